// Core test (Node): single-byte flips anywhere in vault.sqlite of a closed vault. The audit behind issue #19 found
// flips that made a record or attachment silently drop out of a list, turned a record into NOT_FOUND, or surfaced as a
// raw SqliteError. Now each flip must end in one of two ways: the unlock refuses with a specific error (CORRUPT,
// TAMPERED, UNSUPPORTED, NOT_A_VAULT), or the vault opens and shows exactly what it held — every record, every
// revision, every attachment, byte for byte. Anything else fails, with the seed and offset to reproduce it.

import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { isCustodiaError } from '../../../shared/errors'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createXorshift32 } from '../../helpers/seededRandom'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const FLIPS = 120
const REFUSALS = new Set(['CORRUPT', 'TAMPERED', 'UNSUPPORTED', 'NOT_A_VAULT'])

/** Everything a user can see of the vault, as one comparable value. */
async function visibleState(vault: Vault): Promise<unknown> {
  const records = vault.listRecords().sort((a, b) => a.id.localeCompare(b.id))
  return Promise.all(
    records.map(async (record) => ({
      id: record.id,
      revisions: vault.listRevisions(record.id).map((info) => vault.getRecord(record.id, info.revision).body),
      attachments: await Promise.all(
        vault
          .listAttachments(record.id)
          .map(async (a) => ({ name: a.filename, bytes: (await vault.readAttachment(a.id)).toString('hex') })),
      ),
    })),
  )
}

describe('single-byte flips in vault.sqlite', () => {
  it(`${FLIPS} seeded flips: refused with a specific error, or everything reads exactly as before`, async () => {
    const base = path.join(root, 'base')
    const { vault } = await createVault(base, TEST_PASSPHRASE, { kdf: MIN_KDF })
    for (let i = 0; i < 6; i++) {
      const id = vault.createRecord('note', { summary: { title: `Record ${i}` }, body: { text: `Body ${i} `.repeat(30) } }).id
      if (i % 2 === 0) vault.updateRecord(id, { summary: { title: `Record ${i}, revised` }, body: { text: `Second ${i}` } })
      if (i % 3 === 0)
        await vault.addAttachmentFromStream(id, Readable.from([Buffer.from(`file ${i} `.repeat(50))]), {
          filename: `f${i}.txt`,
          mediaType: 'text/plain',
        })
    }
    vault.setSetting('autoLockMinutes', '5')
    vault.lock()
    // Open and lock once more so the WAL is checkpointed into vault.sqlite and the flips hit the real file.
    const again = await openVault(base, TEST_PASSPHRASE)
    const expected = await visibleState(again)
    again.lock()
    const file = path.join(base, 'vault.sqlite')
    const size = fs.statSync(file).size

    const next = createXorshift32(0x9e3779b9)
    const outcomes: Record<string, number> = {}
    for (let flip = 0; flip < FLIPS; flip++) {
      const offset = next() % size
      const mask = 1 << (next() % 8)
      const dir = path.join(root, `flip-${flip}`)
      fs.cpSync(base, dir, { recursive: true })
      const target = path.join(dir, 'vault.sqlite')
      const bytes = fs.readFileSync(target)
      bytes[offset]! ^= mask
      fs.writeFileSync(target, bytes)
      let outcome: string
      try {
        const opened = await openVault(dir, TEST_PASSPHRASE)
        try {
          const seen = await visibleState(opened)
          outcome = JSON.stringify(seen) === JSON.stringify(expected) ? 'identical' : 'CHANGED SILENTLY'
        } catch (error) {
          // Found while reading (a damaged ciphertext): specific and loud, never a quiet gap.
          outcome = isCustodiaError(error) && REFUSALS.has(error.code) ? `read ${error.code}` : `read ${String(error)}`
        } finally {
          opened.lock()
        }
      } catch (error) {
        outcome = isCustodiaError(error) && (REFUSALS.has(error.code) || error.code === 'WRONG_PASSPHRASE') ? error.code : String(error)
      }
      fs.rmSync(dir, { recursive: true, force: true })
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
      expect({ flip, offset, mask, outcome }).toEqual({
        flip,
        offset,
        mask,
        outcome: expect.stringMatching(/^(identical|read (CORRUPT|TAMPERED)|CORRUPT|TAMPERED|UNSUPPORTED|NOT_A_VAULT)$/),
      })
    }
    console.info('byte flips in vault.sqlite:', outcomes)
  }, 120_000)
})
