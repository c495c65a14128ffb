// Core tests (Node): the library service on a real vault in a temp dir — importing our own fixture letters and, when
// present, the real seed letters (fields, originals kept encrypted, no plaintext on disk), batch errors, saving with
// conflicts, revisions, attachments.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCustodiaError } from '../../../shared/errors'
import type { LibraryDocument } from '../../../shared/library/document'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { getDocument } from '../../../electron/core/library/documentService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import {
  diffDocumentRevisions,
  exportDocumentAttachment,
  importDocumentBytes,
  importDocumentFiles,
  listDocumentAttachments,
  listDocumentRevisions,
  listLibrary,
  restoreDocumentRevision,
  saveLibraryDocument,
  type ImportResult,
} from '../../../electron/core/library/libraryService'
import { describeSeedLetters, OWN_LETTERS, type LetterSet } from '../../helpers/letterSets'

interface ExpectedImport {
  title: string | RegExp
  date: string
  kind: string
  language: string
  status: string
}

interface LetterSetExpectations {
  /** What each letter must import as, by file name. */
  byFile: Record<string, ExpectedImport>
  /** A letter with an address block: its file-name prefix and the people it must map into the document. */
  addressed: { prefix: string; authorOrganisation: string; recipients: unknown[]; cc: unknown[] }
  /** The file-name prefix of the press release (tagged so on import). */
  pressRelease: string
  /** Distinctive words of the letters that must never be found in the vault folder, in any usual encoding. */
  markers: string[]
}

const OWN_EXPECTED: LetterSetExpectations = {
  byFile: {
    'dcf-letter-to-prime-minister-2024-02-09.txt': {
      title: 'Letter from Dravonian Civic Forum to Ingrid Solvang Haugen and Torstein Ødegård Lie',
      date: '2024-02-09',
      kind: 'letter',
      language: 'en',
      status: 'sent',
    },
    'fhrc-letter-to-prime-minister-2025-04-14.txt': {
      title: 'Dravonia: Request for Norwegian support to an independent prison monitoring mission',
      date: '2025-04-14',
      kind: 'letter',
      language: 'en',
      status: 'sent',
    },
    'mfa-press-release-2025-01-30.txt': {
      title: 'More help for the families of detained civilians',
      date: '2025-01-30',
      kind: 'correspondence',
      language: 'en',
      status: 'received',
    },
    'phri-joint-statement-2025-03-18.txt': {
      title: 'Statement on the protection of civilians detained in the occupied districts of Dravonia during the ceasefire talks',
      date: '2025-03-18',
      kind: 'statement',
      language: 'en',
      status: 'published',
    },
    'reply-from-ministry-to-fhrc-2025-05-06.txt': {
      title: 'Independent monitoring of places of detention in Dravonia',
      date: '2025-05-06',
      kind: 'letter',
      language: 'en',
      status: 'sent',
    },
    'spf-brev-til-utenriksministeren-2024-03-03.txt': {
      title: 'Besøk hos fengslede journalister i Dravonia',
      date: '2024-03-03',
      kind: 'letter',
      language: 'nb',
      status: 'sent',
    },
    'steppe-sos-standpoint-2025-03-19.txt': {
      title: 'Standpoint on the humanitarian needs of residents of the occupied districts of Dravonia in the ceasefire talks',
      date: '2025-03-19',
      kind: 'statement',
      language: 'en',
      status: 'published',
    },
    'svitanok-lyst-do-ombudsmana-2024-05-05.txt': {
      title: 'Доступ адвокатів до затриманих журналістів',
      date: '2024-05-05',
      kind: 'letter',
      language: 'uk',
      status: 'sent',
    },
  },
  addressed: {
    prefix: 'fhrc',
    authorOrganisation: 'Fjordvik Human Rights Committee',
    recipients: [{ name: 'Ingrid Solvang Haugen', title: 'Prime Minister', email: 'post@pm-office.example' }],
    cc: [
      { name: 'Torstein Ødegård Lie', title: 'Foreign Minister', email: 'minister@mfa.example' },
      { name: 'Marit Aasen Brekke', title: 'State Secretary' },
    ],
  },
  pressRelease: 'mfa',
  markers: [
    'Brennmoen',
    'Solvang Haugen',
    'Kjærnes',
    'Tjærnås',
    'Ødegård',
    'ПОДІЛЬСЬКА',
    'ПРАВОЗАХИСНА',
    'Гнатюк',
    'Dravonia',
    'occupied districts',
    'fengslede journalister',
  ],
}

const SEED_EXPECTED: LetterSetExpectations = {
  byFile: {
    'bdf-letter-to-prime-minister-2023-03-23.txt': {
      title: 'Letter from Belarus Democratic Forum to Jonas Gahr Støre and Anniken Huitfeldt',
      date: '2023-03-23',
      kind: 'letter',
      language: 'en',
      status: 'sent',
    },
    'chrg-joint-statement-2025-08-12.txt': {
      title:
        'Statement on the necessity of considering humanitarian issues of the residents of the TOT of Ukraine during the negotiation process',
      date: '2025-08-12',
      kind: 'statement',
      language: 'en',
      status: 'published',
    },
    'east-sos-standpoint-2025-08-13.txt': {
      title: /^Standpoint on the consideration of humanitarian issues of Ukrainian citizens residing/,
      date: '2025-08-13',
      kind: 'statement',
      language: 'en',
      status: 'published',
    },
    'mfa-press-release-2025-06-12.txt': {
      title: 'Strengthening efforts to protect children and prisoners',
      date: '2025-06-12',
      kind: 'correspondence',
      language: 'en',
      status: 'received',
    },
    'nhc-letter-to-prime-minister-2025-05-26.txt': {
      title: 'Ukraine: Proposal for Norwegian political and diplomatic support to the People First campaign',
      date: '2025-05-26',
      kind: 'letter',
      language: 'en',
      status: 'sent',
    },
  },
  addressed: {
    prefix: 'nhc',
    authorOrganisation: 'Norwegian Helsinki Committee',
    recipients: [{ name: 'Jonas Gahr Støre', title: 'Prime Minister', email: 'postmottak@smk.dep.no' }],
    cc: [{ name: 'Espen Barth Eide', title: 'Foreign Minister', email: 'umin@mfa.no' }],
  },
  pressRelease: 'mfa',
  markers: [
    'Huitfeldt',
    'Tsepkalov',
    'ПРАВОЗАХИСНА',
    'КРИМСЬКА',
    'negotiation process',
    'heartbreaking',
    'Lindeman',
    'People First campaign',
    'temporarily occupied',
  ],
}

function encodingsOf(word: string): Buffer[] {
  const out = [Buffer.from(word, 'utf8'), Buffer.from(word, 'utf16le')]
  // Base64 depends on the alignment of the word in its stream: check all three, minus the boundary characters.
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from('x'.repeat(shift) + word, 'utf8').toString('base64')
    out.push(Buffer.from(b64.slice(shift === 0 ? 0 : 4, -4), 'latin1'))
  }
  return out
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return isCustodiaError(error) ? error.code : 'not-a-custodia-error'
  }
  return undefined
}

let work: string
let vault: Vault

async function freshVault(name: string): Promise<Vault> {
  return (
    await createVault(path.join(work, name), new TextEncoder().encode('library test passphrase'), {
      sodium: await loadSodium('native'),
      kdf: MIN_KDF,
    })
  ).vault
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
  vault = await freshVault('vault')
})
afterAll(() => {
  vault.lock()
  fs.rmSync(work, { recursive: true, force: true })
})

/** The import tests over one set of letters, each set in a vault of its own. */
function describeLetterImport(set: LetterSet, want: LetterSetExpectations): void {
  let letters: Vault
  let results: ImportResult[]
  const idOf = (prefix: string): string => {
    const r = results.find((x) => x.file.startsWith(`${prefix}-`))
    if (!r?.ok) throw new Error(`no imported letter starts with ${prefix}`)
    return r.id
  }

  beforeAll(async () => {
    letters = await freshVault(`vault-${set.label.replace(/\W+/g, '-')}`)
    results = await importDocumentFiles(letters, [...set.paths], { author: 'importer' })
  })
  afterAll(() => letters.lock())

  it('creates one document per file with the detected title, date, kind, language and status', () => {
    expect(set.files).toEqual(Object.keys(want.byFile).sort())
    expect(results.map((r) => r.file)).toEqual(set.files)
    for (const r of results) {
      if (!r.ok) throw new Error(`${r.file}: ${r.code} ${r.message}`)
      const expected = want.byFile[r.file]!
      const doc = getDocument(letters, r.id).document
      if (typeof expected.title === 'string') expect(doc.title).toBe(expected.title)
      else expect(doc.title).toMatch(expected.title)
      expect([doc.date, doc.kind, doc.language, doc.status]).toEqual([expected.date, expected.kind, expected.language, expected.status])
      expect(r).toMatchObject({ kind: expected.kind, date: expected.date, language: expected.language, title: doc.title })
      expect(doc.richText).toBeNull()
      expect(doc.text.length).toBeGreaterThan(1000)
      expect(doc.importedHtml).toMatch(/^<p>/)
    }
    const newestFirst = Object.values(want.byFile)
      .map((e) => e.date)
      .sort()
      .reverse()
    expect(listLibrary(letters).map((d) => d.date)).toEqual(newestFirst)
  })

  it('maps the detected sender, recipients and CC into the document', () => {
    const doc = getDocument(letters, idOf(want.addressed.prefix)).document
    expect(doc.authorOrganisation).toBe(want.addressed.authorOrganisation)
    expect(doc.recipients).toEqual(want.addressed.recipients)
    expect(doc.cc).toEqual(want.addressed.cc)
    expect(getDocument(letters, idOf(want.pressRelease)).document.tags).toEqual(['press-release'])
  })

  it('keeps each original file as an encrypted attachment that exports byte for byte', async () => {
    for (const r of results) {
      if (!r.ok) throw new Error(r.message)
      const attachments = listDocumentAttachments(letters, r.id)
      expect(attachments).toEqual([expect.objectContaining({ id: r.attachmentId, filename: r.file, mediaType: 'text/plain' })])
      const dest = path.join(work, `copy-${r.file}`)
      await exportDocumentAttachment(letters, r.id, r.attachmentId, dest)
      expect(fs.readFileSync(dest).equals(fs.readFileSync(path.join(set.dir, r.file)))).toBe(true)
      fs.rmSync(dest)
    }
  })

  it('refuses to export an attachment through a document it does not belong to, creating nothing', async () => {
    const [a, b] = results
    if (!a?.ok || !b?.ok) throw new Error('letter import failed')
    const dest = path.join(work, 'wrong-owner.txt')
    await expect(exportDocumentAttachment(letters, a.id, b.attachmentId, dest)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(fs.existsSync(dest)).toBe(false)
  })

  it('logs document.imported with ids and format only', () => {
    const entries = letters.audit.list().filter((e) => e.type === 'document.imported')
    expect(entries).toHaveLength(set.files.length)
    for (const e of entries) {
      expect(Object.keys(e.details).sort()).toEqual(['attachmentId', 'format', 'recordId'])
      expect(e.details['format']).toBe('txt')
    }
  })

  it('leaves no plaintext marker of the letters anywhere in the vault folder (UTF-8, UTF-16LE, base64)', () => {
    const files = filesUnder(letters.dir)
    expect(files.some((f) => f.includes(`${path.sep}blobs${path.sep}`))).toBe(true)
    const needles = want.markers.flatMap((m) => encodingsOf(m).map((bytes) => ({ m, bytes })))
    // The markers really are in the letters: the scan would catch them if they were stored in clear.
    const allLetters = Buffer.concat(set.paths.map((p) => fs.readFileSync(p)))
    for (const m of want.markers) expect(allLetters.includes(Buffer.from(m, 'utf8'))).toBe(true)
    for (const file of files) {
      const bytes = fs.readFileSync(file)
      for (const { m, bytes: needle } of needles) {
        if (bytes.includes(needle)) throw new Error(`marker "${m}" found in ${path.relative(letters.dir, file)}`)
      }
    }
  })
}

describe('import of our own fixture letters (English, Norwegian, Ukrainian)', () => describeLetterImport(OWN_LETTERS, OWN_EXPECTED))

describeSeedLetters('import of the letters', (seeds) => describeLetterImport(seeds, SEED_EXPECTED))

describe('batch import errors', () => {
  it('gives each bad file its own specific error and still imports the good ones, leaving nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(work, 'bad-'))
    fs.writeFileSync(path.join(dir, 'notes.odt'), 'whatever')
    fs.writeFileSync(path.join(dir, 'empty.txt'), '  \n\n ')
    fs.writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0x41, 0x00, 0x42]))
    fs.writeFileSync(path.join(dir, 'broken.docx'), 'this is not a zip file')
    fs.mkdirSync(path.join(dir, 'folder.txt'))
    fs.writeFileSync(path.join(dir, 'good.md'), '# Meeting note\n\nWe met the ombudsman on 3 March 2024.\n')
    const before = vault.listRecords().length
    const out = await importDocumentFiles(
      vault,
      ['notes.odt', 'missing.txt', 'empty.txt', 'binary.txt', 'broken.docx', 'folder.txt', 'good.md'].map((f) => path.join(dir, f)),
    )
    const byFile = Object.fromEntries(out.map((r) => [r.file, r]))
    expect(byFile['notes.odt']).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringMatching(/unsupported file type/) })
    expect(byFile['missing.txt']).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'the file does not exist' })
    expect(byFile['empty.txt']).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringMatching(/no readable text/) })
    expect(byFile['binary.txt']).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringMatching(/binary data/) })
    expect(byFile['broken.docx']).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringMatching(/could not read/) })
    expect(byFile['folder.txt']).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringMatching(/not a regular file/) })
    expect(byFile['good.md']).toMatchObject({ ok: true, kind: 'note', date: '2024-03-03', language: 'en' })
    for (const r of out) if (!r.ok) expect(r.message).not.toContain(dir)
    expect(vault.listRecords().length).toBe(before + 1)
  })

  it('rejects bytes with an unusable file name before anything is stored', async () => {
    const before = vault.listRecords().length
    await expect(importDocumentBytes(vault, new TextEncoder().encode('text'), '')).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(importDocumentBytes(vault, new TextEncoder().encode('text'), '..')).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(vault.listRecords().length).toBe(before)
  })
})

describe('saving and revisions', () => {
  let id: string
  let original: LibraryDocument

  beforeAll(async () => {
    const r = await importDocumentBytes(
      vault,
      new TextEncoder().encode('Quarterly report\n\nThe quick brown fox jumps over the lazy dog.\n'),
      'report.txt',
      { author: 'alice' },
    )
    id = r.id
    original = { ...getDocument(vault, id).document, title: 'Quarterly report' }
    saveLibraryDocument(vault, id, original, { expectedRevision: 1, author: 'alice' })
  })

  it('saves with the expected revision, refuses a stale save with CONFLICT and changes nothing', () => {
    const edited = {
      ...original,
      title: 'Quarterly report (final)',
      text: 'The quick red fox leaps over the lazy dog.',
      richText: { type: 'doc', content: [] },
    }
    expect(saveLibraryDocument(vault, id, edited, { expectedRevision: 2, author: 'bob' })).toEqual({ id, revision: 3 })
    const stale = { ...original, title: 'Someone else' }
    expect(codeOf(() => saveLibraryDocument(vault, id, stale, { expectedRevision: 2, author: 'carol' }))).toBe('CONFLICT')
    expect(getDocument(vault, id)).toMatchObject({ revision: 3, document: { title: 'Quarterly report (final)' } })
  })

  it('refuses invalid documents and unknown ids with specific codes', () => {
    expect(codeOf(() => saveLibraryDocument(vault, id, { ...original, title: '' }, { expectedRevision: 3 }))).toBe('VALIDATION')
    expect(codeOf(() => saveLibraryDocument(vault, id, { ...original, kind: 'statement' }, { expectedRevision: 3 }))).toBe('VALIDATION')
    expect(codeOf(() => saveLibraryDocument(vault, 'f'.repeat(32), original, { expectedRevision: 1 }))).toBe('NOT_FOUND')
    expect(getDocument(vault, id).revision).toBe(3)
  })

  it('lists revisions newest first with author and time', () => {
    const revisions = listDocumentRevisions(vault, id)
    expect(revisions.map((r) => [r.revision, r.author, r.title])).toEqual([
      [3, 'bob', 'Quarterly report (final)'],
      [2, 'alice', 'Quarterly report'],
      [1, 'alice', 'The quick brown fox jumps over the lazy dog.'],
    ])
    for (const r of revisions) expect(Date.parse(r.savedAt)).not.toBeNaN()
  })

  it('diffs two revisions word by word, over the text and the metadata', () => {
    const diff = diffDocumentRevisions(vault, id, 2, 3)
    expect(diff.textChanged).toBe(true)
    expect(diff.fields.map((f) => f.field)).toEqual(['title'])
    expect(diff.fields[0]!.parts).toEqual([
      { kind: 'same', value: 'Quarterly report' },
      { kind: 'added', value: ' (final)' },
    ])
    const removed = diff.text.filter((p) => p.kind === 'removed').map((p) => p.value.trim())
    const added = diff.text.filter((p) => p.kind === 'added').map((p) => p.value.trim())
    expect(removed).toEqual(expect.arrayContaining(['brown', 'jumps']))
    expect(added).toEqual(expect.arrayContaining(['red', 'leaps']))
    // The runs rebuild both versions exactly.
    expect(
      diff.text
        .filter((p) => p.kind !== 'added')
        .map((p) => p.value)
        .join(''),
    ).toBe(original.text)
    expect(
      diff.text
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.value)
        .join(''),
    ).toBe('The quick red fox leaps over the lazy dog.')
    expect(diffDocumentRevisions(vault, id, 3, 3)).toMatchObject({ fields: [], textChanged: false })
    expect(() => diffDocumentRevisions(vault, id, 1, 9)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('restores an old revision as a new one and keeps the history', () => {
    expect(codeOf(() => restoreDocumentRevision(vault, id, 2, { expectedRevision: 2 }))).toBe('CONFLICT')
    expect(restoreDocumentRevision(vault, id, 2, { expectedRevision: 3, author: 'dave' })).toEqual({ id, revision: 4 })
    const current = getDocument(vault, id)
    expect(current.revision).toBe(4)
    expect(current.author).toBe('dave')
    expect(current.document).toEqual(original)
    expect(listDocumentRevisions(vault, id).map((r) => r.revision)).toEqual([4, 3, 2, 1])
    expect(
      vault.audit
        .list()
        .filter((e) => e.type === 'document.restored')
        .at(-1)?.details,
    ).toEqual({ recordId: id, fromRevision: 2, revision: 4 })
  })
})
