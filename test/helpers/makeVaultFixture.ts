// Test helper script (Node, run by hand once per format version): writes the golden vault fixture that every later
// version of Custodia must still open — test/fixtures/vault-v1/vault plus expected.json describing its contents.
// Usage: node --import tsx test/helpers/makeVaultFixture.ts [outDir]   (default test/fixtures/vault-v1; must not exist)
// Never regenerate an existing fixture: its whole point is that its bytes were written by an older build.

import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createVault, FORMAT_VERSION, MIN_KDF } from '../../electron/core/vault/vault'

export const FIXTURE_PASSPHRASE = 'fixture passphrase — Łódź'
export const FIXTURE_RECORDS = [
  {
    id: '0123456789abcdef0123456789abcdef',
    kind: 'letter',
    revisions: [
      {
        summary: { title: 'Letter to the prosecutor', date: '2024-03-01' },
        body: { paragraphs: ['Dear Sir,', 'We request access.'] },
        author: 'Ana',
      },
      {
        summary: { title: 'Letter to the prosecutor (final)', date: '2024-03-02' },
        body: { paragraphs: ['Dear Sir,', 'We demand access.'] },
        author: 'Bo',
      },
    ],
  },
  {
    id: 'fedcba9876543210fedcba9876543210',
    kind: 'dossier',
    revisions: [{ summary: { title: 'Алесь Бяляцкі' }, body: { status: 'detained', notes: 'Вясна' }, author: 'Ana' }],
  },
]
export const FIXTURE_ATTACHMENT = { recordIndex: 0, filename: 'scan-001.txt', mediaType: 'text/plain', text: 'Scanned page.\n'.repeat(100) }

async function makeFixture(outDir: string): Promise<void> {
  if (fs.existsSync(outDir)) throw new Error('The fixture folder exists already; fixtures are never regenerated')
  const vaultDir = path.join(outDir, 'vault')
  const { vault, recoveryKey } = await createVault(vaultDir, Buffer.from(FIXTURE_PASSPHRASE, 'utf8'), { kdf: MIN_KDF })
  for (const record of FIXTURE_RECORDS) {
    const [first, ...rest] = record.revisions
    vault.createRecord(record.kind, { summary: first!.summary, body: first!.body }, { id: record.id, author: first!.author })
    for (const revision of rest)
      vault.updateRecord(record.id, { summary: revision.summary, body: revision.body }, { author: revision.author })
  }
  const attachment = await vault.addAttachmentFromStream(
    FIXTURE_RECORDS[FIXTURE_ATTACHMENT.recordIndex]!.id,
    Readable.from([Buffer.from(FIXTURE_ATTACHMENT.text, 'utf8')]),
    { filename: FIXTURE_ATTACHMENT.filename, mediaType: FIXTURE_ATTACHMENT.mediaType },
  )
  vault.lock()
  fs.rmSync(path.join(vaultDir, 'tmp'), { recursive: true, force: true }) // git keeps no empty folders; open recreates it
  const expected = {
    formatVersion: FORMAT_VERSION,
    vaultId: vault.vaultId,
    passphrase: FIXTURE_PASSPHRASE,
    recoveryKey,
    kdf: MIN_KDF,
    records: FIXTURE_RECORDS,
    attachment: { id: attachment.id, recordId: attachment.recordId, ...FIXTURE_ATTACHMENT },
  }
  fs.writeFileSync(path.join(outDir, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  makeFixture(path.resolve(process.argv[2] ?? path.join(repoRoot, 'test/fixtures/vault-v1'))).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  })
}
