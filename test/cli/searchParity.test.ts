// CLI (Node): one wiring for the app and the CLI — the same vault searched through the app's dispatcher and through
// `custodia search` gives the same hits, dossiers and annotations included, saved searches in neither; and after a
// CLI search the app's next unlock loads the snapshot the CLI left without re-indexing anything.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAnnotationRecordId } from '../../electron/core/annotations/annotationService'
import type { AppServices } from '../../electron/core/app/services'
import { callChannel, startTestServices, TEST_PASSPHRASE } from '../helpers/appServices'
import { runCustodia } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const root = createTempDir()
const dir = path.join(root, 'vault')
const LETTER_TEXT = 'We ask for the release of Алесь Бяляцкі, who is held in a penal colony far from his family.'
const QUOTE = 'penal colony'
/** Latin and Cyrillic spellings, a phrase in the letter and quoted by the annotation, a word only the annotation has. */
const QUERIES = ['Bialiatski', 'Бяляцкі', QUOTE, 'transfer', 'watchlist']
let services: AppServices
const ids: Record<'letter' | 'dossier' | 'annotation' | 'saved', string> = { letter: '', dossier: '', annotation: '', saved: '' }

type Hit = [id: string, kind: string]

async function searchWithCli(query: string): Promise<Hit[]> {
  const result = await runCustodia(['search', dir, query, '--limit', '50'], { env: { CUSTODIA_PASSPHRASE: TEST_PASSPHRASE } })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t').slice(0, 2) as Hit)
}

async function searchWithApp(query: string): Promise<Hit[]> {
  const result = await callChannel<{ hits: { id: string; kind: string }[] }>(services, 'search:query', { query, limit: 50 })
  return result.hits.map((h): Hit => [h.id, h.kind])
}

beforeAll(async () => {
  services = await startTestServices(root)
  ids.letter = (
    await callChannel<{ id: string }>(services, 'library:create', {
      document: { kind: 'letter', title: 'Appeal to the Minister', date: '2024-03-01', text: LETTER_TEXT },
    })
  ).id
  // Only the Cyrillic name: the Latin query has to go through the dossier extractor's name forms and the folding.
  ids.dossier = (
    await callChannel<{ id: string }>(services, 'dossiers:create', {
      dossier: { names: { original: 'Алесь Бяляцкі' }, category: 'civilian-detainee' },
    })
  ).id
  const start = [...LETTER_TEXT.slice(0, LETTER_TEXT.indexOf(QUOTE))].length
  const created = await callChannel<{ annotation: { id: string } }>(services, 'annotations:create', {
    recordId: ids.letter,
    selection: { start, end: start + QUOTE.length },
    body: 'Transfer to a colony 500 km away cuts off family visits',
  })
  ids.annotation = toAnnotationRecordId(created.annotation.id)
  // A saved search is a tool, not a document: neither side may list it (the fallback extractor would index its name).
  ids.saved = (
    await callChannel<{ id: string }>(services, 'search:createSaved', { name: 'Bialiatski watchlist', query: 'Bialiatski', filter: {} })
  ).id
  // The app locks before it ever searched these records: the CLI is the first to index them.
  services.session.lock('user')
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('custodia search and the app search the same index the same way', () => {
  it('gives the same hits (ids and kinds) for every query, and the app does not re-index after the CLI', async () => {
    const fromCli: Hit[][] = []
    for (const query of QUERIES) fromCli.push(await searchWithCli(query))

    await services.session.unlock(dir, TEST_PASSPHRASE)
    const engine = await services.session.requireSearch()
    // The CLI indexed with the app's extractors and saved the index: the app loads it and has nothing to redo.
    expect(engine.openReport).toEqual({ snapshot: 'loaded', reindexed: 0 })

    const fromApp: Hit[][] = []
    for (const query of QUERIES) fromApp.push(await searchWithApp(query))
    expect(fromCli).toEqual(fromApp)

    const [latin, cyrillic, phrase, transfer, watchlist] = fromApp
    const sorted = (hits: Hit[] | undefined) => [...(hits ?? [])].sort((a, b) => a[0].localeCompare(b[0]))
    const expected = (...keys: (keyof typeof ids)[]) => sorted(keys.map((k): Hit => [ids[k], k === 'saved' ? 'saved-search' : k]))
    expect(sorted(latin)).toEqual(expected('letter', 'dossier'))
    expect(sorted(cyrillic)).toEqual(expected('letter', 'dossier'))
    expect(sorted(phrase)).toEqual(expected('letter', 'annotation'))
    expect(sorted(transfer)).toEqual(expected('annotation'))
    expect(watchlist).toEqual([])
  }, 60_000)

  it('a CLI search after the app searched loads the app snapshot and still agrees', async () => {
    // The app's index (now caught up) is saved when it locks; the CLI starts from it.
    services.session.lock('user')
    for (const query of QUERIES) {
      const cli = await searchWithCli(query)
      await services.session.unlock(dir, TEST_PASSPHRASE)
      try {
        expect(cli).toEqual(await searchWithApp(query))
      } finally {
        services.session.lock('user')
      }
    }
  }, 60_000)
})
