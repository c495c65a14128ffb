// Core (Node): bundles between two real vaults — round trip (records, revisions, attachments equal; both audit logs),
// consent (an internal-only dossier never leaves and the export says why), redaction profiles, signer trust,
// cancel leaving no file, and interop with the `age` CLI (decrypt + tar -x, manifest hashes match the files).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptToFile, encodeX25519Identity } from '../../../electron/core/platform/crypto/age/age'
import { createDossierList, getDossier, updateDossier } from '../../../electron/core/dossiers/dossierService'
import { updateDocument } from '../../../electron/core/library/documentService'
import { exportBundle, planExport } from '../../../electron/core/exchange/exportService'
import { importBundleItems, openBundleForImport } from '../../../electron/core/exchange/importService'
import { disposeIdentity, loadOwnIdentity } from '../../../electron/core/exchange/identity'
import type { Vault } from '../../../electron/core/vault/vault'
import { formatPlainDate } from '../../../shared/text/plainDate'
import { addDocument, addDossier, exchangeIdentities, makeTempDir, makeVault, sha256, writeRandomFile } from './helpers'

let root: string
let a: Vault
let b: Vault
let outsider: Vault
let bInA: string
let aInB: string
const ids: Record<string, string> = {}
let photoBytes: Buffer
let pdfBytes: Buffer

beforeAll(async () => {
  root = makeTempDir()
  a = await makeVault(root, 'Viasna', 'Human Rights Centre Viasna')
  b = await makeVault(root, 'Partner', 'Partner Org')
  outsider = await makeVault(root, 'Outsider', 'Elsewhere')
  ;({ bInA, aInB } = exchangeIdentities(a, b))

  ids.letter = addDocument(a, 'Appeal for Ales', 'We urge the release of Ales.')
  updateDocument(a, ids.letter, {
    kind: 'letter',
    title: 'Appeal for Ales (final)',
    date: '2026-05-13',
    text: 'We urge the immediate release of Ales.',
  })
  const pdf = writeRandomFile(root, 'scan.pdf', 1_200_000)
  pdfBytes = pdf.bytes
  await a.addAttachment(ids.letter, pdf.file, { filename: 'scan.pdf', mediaType: 'application/pdf' })
  ids.note = addDocument(a, 'Visit notes', 'Short visit, no access to a lawyer.', 'note')

  ids.public = addDossier(a, 'Public Person', 'public')
  const photo = writeRandomFile(root, 'photo.jpg', 40_000)
  photoBytes = photo.bytes
  const photoInfo = await a.addAttachment(ids.public, photo.file, { filename: 'photo.jpg', mediaType: 'image/jpeg' })
  const pub = getDossier(a, ids.public).dossier
  updateDossier(a, ids.public, {
    ...pub,
    photoAttachmentId: photoInfo.id,
    statusHistory: [...pub.statusHistory, { date: '2024-01-02', status: 'charged' }],
  })
  ids.partners = addDossier(a, 'Partner Person', 'partners')
  ids.internal = addDossier(a, 'Internal Person', 'internal')
  ids.list = createDossierList(a, { name: 'Annex May', dossierIds: [ids.public, ids.partners, ids.internal] }).id
})
afterAll(() => {
  for (const v of [a, b, outsider]) v.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

function listTmp(vault: Vault): string[] {
  return fs.readdirSync(path.join(vault.dir, 'tmp'))
}

describe('bundle round trip between two vaults', () => {
  let bundlePath: string
  let newerBundle: string
  let exported: Awaited<ReturnType<typeof exportBundle>>

  it('exports to a verified contact with history, attachments and readable copies; consent keeps the internal dossier home', async () => {
    bundlePath = path.join(root, 'to-partner.custodia')
    const progress: number[] = []
    exported = await exportBundle(
      a,
      { selection: { recordIds: [ids.letter!, ids.note!, ids.list!] }, contactIds: [bInA], profile: 'full', includeHistory: true },
      { outPath: bundlePath, onProgress: (p) => progress.push(p.bytesDone) },
    )
    expect(exported.items).toBe(5) // letter, note, list, public + partners dossiers
    expect(exported.excluded).toEqual([expect.objectContaining({ id: ids.internal, reason: 'internal-only', title: 'Internal Person' })])
    expect(exported.attachments).toBe(2)
    expect(exported.knownHashes).toBe(2)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress).toEqual([...progress].sort((x, y) => x - y))
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.partial'))).toEqual([])

    const entry = a.audit
      .list()
      .filter((e) => e.type === 'bundle.exported')
      .at(-1)!
    expect(entry.details).toMatchObject({
      items: 5,
      attachments: 2,
      excluded: 1,
      excludedIds: ids.internal,
      recipients: 1,
      protection: 'x25519',
    })
    const auditIds = Object.entries(entry.details)
      .filter(([k]) => k.startsWith('ids'))
      .flatMap(([, v]) => String(v).split(','))
    expect(auditIds.sort()).toEqual([ids.letter, ids.note, ids.list, ids.public, ids.partners].sort())
  })

  it('a vault that is not a recipient cannot open it', async () => {
    await expect(openBundleForImport(outsider, bundlePath)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(listTmp(outsider)).toEqual([])
  })

  it('imports into the partner vault: verified signer, records, revisions and attachments equal', async () => {
    const opened = await openBundleForImport(b, bundlePath)
    expect(opened.preview.signer).toMatchObject({ status: 'verified', contactId: aInB, fingerprint: loadFingerprint(a) })
    expect(opened.preview.items.map((i) => i.id).sort()).toEqual([ids.letter, ids.note, ids.list, ids.public, ids.partners].sort())
    expect(opened.preview.items.every((i) => !i.held && i.importable)).toBe(true)
    expect(listTmp(b)).toHaveLength(1) // the extracted bundle, inside the vault folder only
    const result = await importBundleItems(b, opened)
    await opened.dispose()
    expect(listTmp(b)).toEqual([])
    expect(result.created).toHaveLength(5)
    expect(result.attachments).toBe(2)

    for (const id of [ids.letter!, ids.note!, ids.partners!]) {
      const revsA = a.listRevisions(id)
      const revsB = b.listRevisions(id)
      expect(revsB.map((r) => r.revision)).toEqual(revsA.map((r) => r.revision))
      for (const r of revsA) {
        const ra = a.getRecord(id, r.revision)
        const rb = b.getRecord(id, r.revision)
        expect(rb.kind).toBe(ra.kind)
        expect(rb.body).toEqual(ra.body)
        expect(rb.summary).toEqual(ra.summary)
      }
    }
    // The letter's attachment: same name, type, bytes and stored hash.
    const [att] = b.listAttachments(ids.letter!)
    expect(att).toMatchObject({ filename: 'scan.pdf', mediaType: 'application/pdf', size: pdfBytes.length })
    expect((await b.readAttachment(att!.id)).equals(pdfBytes)).toBe(true)
    expect(b.getAttachmentSha256(att!.id)).toBe(sha256(pdfBytes))
    // The dossier's photo arrives under a new attachment id and the dossier points at it.
    const pubB = getDossier(b, ids.public!).dossier
    const [photo] = b.listAttachments(ids.public!)
    expect(pubB.photoAttachmentId).toBe(photo!.id)
    expect((await b.readAttachment(photo!.id)).equals(photoBytes)).toBe(true)
    const { photoAttachmentId: _pa, ...restA } = getDossier(a, ids.public!).dossier
    const { photoAttachmentId: _pb, ...restB } = pubB
    expect(restB).toEqual(restA)
    // The list holds only the members that travelled.
    expect((b.getRecord(ids.list!).body as { dossierIds: string[] }).dossierIds).toEqual([ids.public, ids.partners])
    expect(b.hasRecord(ids.internal!)).toBe(false)

    const opened2 = b.audit
      .list()
      .filter((e) => e.type === 'bundle.opened')
      .at(-1)!
    const imported = b.audit
      .list()
      .filter((e) => e.type === 'bundle.imported')
      .at(-1)!
    const exportedEntry = a.audit
      .list()
      .filter((e) => e.type === 'bundle.exported')
      .at(-1)!
    expect(opened2.details).toMatchObject({
      bundle: exportedEntry.details.bundle,
      signerStatus: 'verified',
      items: 5,
      signerFingerprint: loadFingerprint(a),
    })
    expect(imported.details).toMatchObject({ bundle: exportedEntry.details.bundle, created: 5, revised: 0, attachments: 2 })
    expect(b.audit.verify().ok).toBe(true)
  })

  it('refuses the same bundle a second time, naming the day of the first import, and changes nothing', async () => {
    const opened = await openBundleForImport(b, bundlePath)
    const firstImport = b.audit
      .list()
      .filter((e) => e.type === 'bundle.imported')
      .at(-1)!
    expect(opened.preview.alreadyImportedAt).not.toBeNull()
    expect(opened.preview.items.every((i) => i.held && i.alreadyImported)).toBe(true)
    const records = b.listRecords().length
    const audit = b.audit.list().length
    await expect(importBundleItems(b, opened, { asRevisions: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `This bundle was already imported on ${formatPlainDate(firstImport.at)}.`,
    })
    await expect(importBundleItems(b, opened, { ids: [ids.note!] })).rejects.toMatchObject({ code: 'CONFLICT' })
    await opened.dispose()
    expect(b.listRecords().length).toBe(records)
    expect(b.audit.list().length).toBe(audit)
  })

  it('a newer bundle imports as new revisions of the records already held, without duplicating attachments', async () => {
    const final = a.getRecord<{ title: string; date: string; text: string }>(ids.letter!).body
    updateDocument(a, ids.letter!, { kind: 'letter', title: final.title, date: final.date, text: final.text, tags: ['appeal', 'final'] })
    newerBundle = path.join(root, 'newer.custodia')
    await exportBundle(a, { selection: { recordIds: [ids.letter!, ids.note!] }, contactIds: [bInA] }, { outPath: newerBundle })
    const opened = await openBundleForImport(b, newerBundle)
    expect(opened.preview.alreadyImportedAt).toBeNull()
    expect(opened.preview.items.every((i) => i.held && !i.alreadyImported)).toBe(true)
    const before = b.getRecord(ids.letter!).revision
    const result = await importBundleItems(b, opened, { ids: [ids.letter!], asRevisions: true })
    await opened.dispose()
    expect(result).toMatchObject({ created: [], revised: [{ id: ids.letter, revision: before + 1 }], attachments: 0 })
    expect(b.getRecord(ids.letter!).body).toEqual(a.getRecord(ids.letter!).body)
    expect(b.listAttachments(ids.letter!)).toHaveLength(1)
  })

  it('as new records, items we hold get fresh ids; an item of a bundle not imported yet still can be', async () => {
    const opened = await openBundleForImport(b, newerBundle)
    expect(opened.preview.alreadyImportedAt).not.toBeNull()
    expect(Object.fromEntries(opened.preview.items.map((i) => [i.id, i.alreadyImported]))).toEqual({
      [ids.letter!]: true,
      [ids.note!]: false,
    })
    const result = await importBundleItems(b, opened, { ids: [ids.note!] })
    await opened.dispose()
    expect(result.created).toHaveLength(1)
    expect(result.created[0]!.id).not.toBe(ids.note)
    expect(b.getRecord(result.created[0]!.id).body).toEqual(a.getRecord(ids.note!).body)
  })
})

describe('consent, redaction and trust', () => {
  it('to the public (passphrase, no named partner): only public dossiers go, each exclusion explained', () => {
    const plan = planExport(a, { selection: { all: true }, passphrase: Buffer.from('pass'), profile: 'public-list' })
    expect(plan.audience).toEqual({ kind: 'public' })
    const reasons = Object.fromEntries(plan.excluded.map((e) => [e.id, e.reason]))
    expect(reasons).toEqual({ [ids.internal!]: 'internal-only', [ids.partners!]: 'partners-only' })
    expect(plan.excluded.every((e) => e.explanation.length > 10)).toBe(true)
    expect(plan.items.every((i) => i.attachments === 0)).toBe(true)
  })

  it('to a partner that a partners-dossier does not name: partner-not-named', () => {
    const plan = planExport(a, {
      selection: { recordIds: [ids.partners!] },
      ageRecipients: [loadRecipient(outsider)],
      partnerNames: ['Elsewhere'],
    })
    expect(plan.items).toEqual([])
    expect(plan.excluded).toEqual([expect.objectContaining({ id: ids.partners, reason: 'partner-not-named' })])
  })

  it('refuses an export where consent leaves nothing, writing no file', async () => {
    const out = path.join(root, 'nothing.custodia')
    await expect(exportBundle(a, { selection: { recordIds: [ids.internal!] }, contactIds: [bInA] }, { outPath: out })).rejects.toThrow(
      /consent excludes every chosen record/,
    )
    expect(fs.existsSync(out)).toBe(false)
  })

  it('the public-list profile strips family, medical notes and sources: not a byte of them in the decrypted bundle', async () => {
    const out = path.join(root, 'public.custodia')
    await exportBundle(
      a,
      {
        selection: { recordIds: [ids.public!, ids.internal!] },
        passphrase: Buffer.from('a long shared passphrase'),
        scryptWorkFactor: 10,
        profile: 'public-list',
      },
      { outPath: out },
    )
    // The age CLI asks for passphrases on a terminal only: decrypt the whole tar with our own age layer instead.
    const scratch = fs.mkdtempSync(path.join(root, 'scan-'))
    const { path: tarPath } = await decryptToFile(out, { passphrase: Buffer.from('a long shared passphrase') }, scratch)
    const tar = fs.readFileSync(tarPath).toString('utf8')
    expect(tar).toContain('Public Person')
    for (const secret of ['Public Person Sister', '+375 29', 'needs insulin', 'Public Person Source', 'Internal Person'])
      expect(tar).not.toContain(secret)
  }, 30_000)

  it('an unknown signer is reported and needs an explicit decision', async () => {
    const out = path.join(root, 'to-outsider.custodia')
    await exportBundle(a, { selection: { recordIds: [ids.note!] }, ageRecipients: [loadRecipient(outsider)] }, { outPath: out })
    const opened = await openBundleForImport(outsider, out)
    expect(opened.preview.signer).toMatchObject({ status: 'unknown', contactId: null, name: 'Viasna (Human Rights Centre Viasna)' })
    await expect(importBundleItems(outsider, opened)).rejects.toThrow(/not in your contacts/)
    expect(outsider.hasRecord(ids.note!)).toBe(false)
    const result = await importBundleItems(outsider, opened, { trustUnknownSigner: true })
    await opened.dispose()
    expect(result.created).toEqual([{ bundleId: ids.note, id: ids.note }])
  })

  it('a flipped byte in the bundle is refused before anything is stored', async () => {
    const out = path.join(root, 'tampered.custodia')
    await exportBundle(a, { selection: { recordIds: [ids.letter!] }, contactIds: [bInA] }, { outPath: out })
    const bytes = fs.readFileSync(out)
    bytes[bytes.length - 100]! ^= 1
    fs.writeFileSync(out, bytes)
    const count = b.listRecords().length
    await expect(openBundleForImport(b, out)).rejects.toMatchObject({ code: 'TAMPERED' })
    expect(b.listRecords().length).toBe(count)
    expect(listTmp(b)).toEqual([])
  })
})

describe('cancel and interop', () => {
  it('cancel during export leaves no file and no partial file', async () => {
    const big = writeRandomFile(root, 'big.bin', 6 * 1024 * 1024)
    const doc = addDocument(a, 'Big evidence', 'See attachment.', 'note')
    await a.addAttachment(doc, big.file, { filename: 'big.bin', mediaType: 'application/octet-stream' })
    const out = path.join(root, 'cancelled.custodia')
    const controller = new AbortController()
    await expect(
      exportBundle(
        a,
        { selection: { recordIds: [doc] }, contactIds: [bInA] },
        { outPath: out, signal: controller.signal, onProgress: (p) => p.bytesDone > 1024 * 1024 && controller.abort() },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(fs.readdirSync(root).filter((f) => f.startsWith('cancelled'))).toEqual([])
  })

  it('a bundle for an X25519 contact decrypts with `age -d -i key.txt | tar -x`, and the manifest hashes match the files', async () => {
    const out = path.join(root, 'interop.custodia')
    await exportBundle(
      a,
      { selection: { recordIds: [ids.letter!, ids.public!] }, contactIds: [bInA], profile: 'standard' },
      { outPath: out },
    )
    const own = loadOwnIdentity(b)
    const keyFile = path.join(root, 'key.txt')
    fs.writeFileSync(keyFile, `# test key\n${encodeX25519Identity(own.x25519SecretKey)}\n`, { mode: 0o600 })
    disposeIdentity(own)
    const dest = fs.mkdtempSync(path.join(root, 'extract-'))
    execFileSync('sh', ['-c', 'set -e; age -d -i "$1" "$2" | tar -x -C "$3"', 'sh', keyFile, out, dest])
    const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'manifest.json'), 'utf8')) as {
      items: { id: string; files: { path: string; sha256: string; size: number }[] }[]
    }
    const listed = manifest.items.flatMap((i) => i.files)
    expect(listed.length).toBeGreaterThanOrEqual(6) // 2 records, 2 readable copies, 2 attachments
    for (const f of listed) {
      const data = fs.readFileSync(path.join(dest, f.path))
      expect(data.length).toBe(f.size)
      expect(sha256(data)).toBe(f.sha256)
    }
    expect(fs.readFileSync(path.join(dest, `files/${a.listAttachments(ids.letter!)[0]!.id}`)).equals(pdfBytes)).toBe(true)
    const readable = fs.readFileSync(path.join(dest, `readable/${ids.public}.txt`), 'utf8')
    expect(readable).toContain('Public Person')
    expect(readable).toContain('needs insulin') // 'standard' keeps medical notes…
    expect(readable).not.toContain('Sister') // …but never family contacts
    expect(fs.readFileSync(path.join(dest, `readable/${ids.letter}.txt`), 'utf8')).toContain('We urge the immediate release of Ales.')
  }, 30_000)
})

function loadFingerprint(vault: Vault): string {
  const own = loadOwnIdentity(vault)
  disposeIdentity(own)
  return own.fingerprint
}

function loadRecipient(vault: Vault): string {
  const own = loadOwnIdentity(vault)
  disposeIdentity(own)
  return own.recipient
}
