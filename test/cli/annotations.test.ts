// CLI (Node): `custodia annotate` and `custodia annotations` round trips on a real vault — the annotation id printed,
// one tab-separated line per annotation after the document changed, --w3c JSON-LD, --occurrence, and usage and
// domain errors with their exit codes.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { createDocument, getDocument, updateDocument } from '../../electron/core/library/documentService'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import { sliceCodePoints } from '../../shared/annotations/codePoints'
import { runCustodia } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const root = createTempDir()
const dir = path.join(root, 'vault')
const TEXT = 'Статья 1. The prisoner was denied family visits. The prisoner was denied a lawyer.\n\nSigned, the monitor.'
let docId = ''

function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCustodia(argv, { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
}

beforeAll(async () => {
  const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  docId = createDocument(vault, { kind: 'statement', title: 'Monitor statement', date: '2025-03-01', text: TEXT }).id
  vault.lock()
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('custodia annotate / annotations', () => {
  it('annotates a unique quote and lists it as one tab-separated line', async () => {
    const r = await run([
      'annotate',
      dir,
      docId,
      '--quote',
      'denied family visits',
      '--body',
      'Visits\tstopped\nin May',
      '--legal',
      'gc4-art27',
      '--tag',
      'visits',
    ])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const id = r.stdout.trim()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const listed = await run(['annotations', dir, docId])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toBe(`${id}\topen\texact\tgc4-art27\tdenied family visits\tVisits stopped in May\n`)
  })

  it('asks for context when the quote occurs several times, and accepts --occurrence N', async () => {
    const ambiguous = await run(['annotate', dir, docId, '--quote', 'The prisoner was denied', '--body', 'x'])
    expect(ambiguous.code).toBe(EXIT_CODES.VALIDATION)
    expect(ambiguous.stderr).toMatch(/occurs 2 times: quote more context, or pass --occurrence N \(1-2\)/)
    const second = await run([
      'annotate',
      dir,
      docId,
      '--quote',
      'The prisoner was denied',
      '--occurrence',
      '2',
      '--body',
      'Second sentence',
    ])
    expect(second.code).toBe(0)
    const lines = (await run(['annotations', dir, docId])).stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/\topen\texact\t-\tThe prisoner was denied\tSecond sentence$/)
    // The second occurrence was annotated, not the first: check the stored position against the text.
    const vault = await openVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
    try {
      const w3c = (await run(['annotations', dir, docId, '--w3c'])).stdout
      const collection = JSON.parse(w3c) as {
        first: { items: { target: { selector: { type: string; start?: number; end?: number }[] } }[] }
      }
      const pos = collection.first.items[1]!.target.selector.find((s) => s.type === 'TextPositionSelector')!
      expect(pos.start).toBe([...TEXT].length - [...TEXT.slice(TEXT.lastIndexOf('The prisoner was denied'))].length)
      expect(sliceCodePoints(getDocument(vault, docId).document.text, pos.start!, pos.end!)).toBe('The prisoner was denied')
    } finally {
      vault.lock()
    }
  })

  it('lists re-anchored annotations after the document changed, orphans included with their quote', async () => {
    const vault = await openVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
    const current = getDocument(vault, docId)
    const edited =
      'Preface added later.\n\n' +
      TEXT.replace('The prisoner was denied family', 'The detainee was denied family').replace(
        'The prisoner was denied a lawyer.',
        'Counsel came in June.',
      )
    updateDocument(vault, docId, { ...current.document, text: edited }, { expectedRevision: current.revision })
    vault.lock()
    const lines = (await run(['annotations', dir, docId])).stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
    expect(lines.map((l) => l.slice(1, 5))).toEqual([
      ['open', 'relocated', 'gc4-art27', 'denied family visits'],
      ['open', 'orphaned', '-', 'The prisoner was denied'],
    ])
  })

  it('prints the W3C collection as JSON-LD', async () => {
    const r = await run(['annotations', dir, docId, '--w3c'])
    const parsed = JSON.parse(r.stdout) as { '@context': unknown[]; type: string; total: number }
    expect(parsed['@context'][0]).toBe('http://www.w3.org/ns/anno.jsonld')
    expect(parsed).toMatchObject({ type: 'AnnotationCollection', total: 2 })
  })

  it('reports usage and domain errors with their exit codes and changes nothing', async () => {
    const before = (await run(['annotations', dir, docId])).stdout
    expect((await run(['annotate', dir, docId, '--body', 'x'])).code).toBe(EXIT_CODES.USAGE)
    expect((await run(['annotate', dir, docId, '--quote', 'denied family visits'])).code).toBe(EXIT_CODES.USAGE)
    expect((await run(['annotate', dir, docId, '--quote', 'denied family visits', '--body', 'x', '--occurrence', 'two'])).code).toBe(
      EXIT_CODES.USAGE,
    )
    const absent = await run(['annotate', dir, docId, '--quote', 'not in the text', '--body', 'x'])
    expect(absent).toMatchObject({ code: EXIT_CODES.NOT_FOUND, stderr: 'custodia: The quote does not occur in the record text\n' })
    expect((await run(['annotate', dir, docId, '--quote', 'Preface', '--body', 'x', '--legal', 'made-up'])).code).toBe(
      EXIT_CODES.VALIDATION,
    )
    expect((await run(['annotations', dir, 'f'.repeat(32)])).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await run(['annotations', dir])).code).toBe(EXIT_CODES.USAGE)
    expect((await run(['annotations', dir, docId])).stdout).toBe(before)
  })
})
