// Benchmarks (Node): vault unlock against raw Argon2id, attachment encryption against OpenSSL AES-256-GCM,
// and peak memory while encrypting a 1 GiB file.
import { createCipheriv, randomBytes } from 'node:crypto'
import { closeSync, openSync, rmSync, writeSync, fsyncSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { createVault, DEFAULT_KDF, openVault } from '../electron/core/vault/vault'
import { median, timeMs, withPeakRss, type Figure } from './measure'

const MiB = 2 ** 20

/** Writes `sizeMiB` of random-looking bytes (one random MiB repeated with a counter) without holding them. */
function writeTestFile(path: string, sizeMiB: number): void {
  const block = randomBytes(MiB)
  const fd = openSync(path, 'w')
  try {
    for (let i = 0; i < sizeMiB; i++) {
      block.writeUInt32LE(i, 0)
      writeSync(fd, block)
    }
  } finally {
    closeSync(fd)
  }
}

/** The OpenSSL baseline: AES-256-GCM over the same file in the same chunk size, written to disk and fsynced. */
function encryptWithAesGcm(source: string, target: string): void {
  const key = randomBytes(32)
  const input = openSync(source, 'r')
  const output = openSync(target, 'w')
  const buffer = Buffer.allocUnsafe(MiB)
  try {
    let read: number
    let counter = 0
    while ((read = readSync(input, buffer, 0, MiB, null)) > 0) {
      const iv = Buffer.alloc(12)
      iv.writeUInt32BE(counter++, 8)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      writeSync(output, cipher.update(buffer.subarray(0, read)))
      cipher.final()
      writeSync(output, cipher.getAuthTag())
    }
    fsyncSync(output)
  } finally {
    closeSync(input)
    closeSync(output)
  }
}

export async function runVaultBench(opts: { dir: string; attachmentMiB?: number; largeMiB?: number }): Promise<Figure[]> {
  const sodium = await loadSodium('native')
  const passphrase = new TextEncoder().encode('bench passphrase for custodia')
  const vaultDir = join(opts.dir, 'vault')
  const { vault: created } = await createVault(vaultDir, passphrase, { sodium, kdf: DEFAULT_KDF })
  created.lock()

  const unlockTimes: number[] = []
  const rawTimes: number[] = []
  for (let i = 0; i < 3; i++) {
    unlockTimes.push(await timeMs(async () => (await openVault(vaultDir, passphrase, { sodium })).lock()))
    rawTimes.push(await timeMs(() => sodium.pwhash(32, passphrase, randomBytes(16), DEFAULT_KDF.opslimit, DEFAULT_KDF.memlimit)))
  }
  const unlock = median(unlockTimes)
  const raw = median(rawTimes)

  const sizeMiB = opts.attachmentMiB ?? 256
  const source = join(opts.dir, 'attachment.bin')
  writeTestFile(source, sizeMiB)
  const vault = await openVault(vaultDir, passphrase, { sodium })
  const record = vault.createRecord('note', { summary: { title: 'bench' }, body: { text: 'bench' } })
  const ours = await timeMs(() => vault.addAttachment(record.id, source, { filename: 'a.bin', mediaType: 'application/octet-stream' }))
  const baseline = await timeMs(() => encryptWithAesGcm(source, join(opts.dir, 'aes.bin')))
  rmSync(join(opts.dir, 'aes.bin'))
  const oursMiBs = sizeMiB / (ours / 1000)
  const aesMiBs = sizeMiB / (baseline / 1000)

  const largeMiB = opts.largeMiB ?? 1024
  const large = join(opts.dir, 'large.bin')
  writeTestFile(large, largeMiB)
  const { peakMiB, baselineMiB } = await withPeakRss(() =>
    vault.addAttachment(record.id, large, { filename: 'large.bin', mediaType: 'application/octet-stream' }),
  )
  vault.lock()

  return [
    { name: 'vault unlock (Argon2id 256 MiB, 3 passes)', value: unlock, unit: 'ms' },
    { name: 'raw native Argon2id, same parameters', value: raw, unit: 'ms' },
    { name: 'unlock / raw Argon2id', value: unlock / raw, unit: 'ratio', goal: '≤ 1.2' },
    { name: `attachment encrypt+write (${sizeMiB} MiB, secretstream)`, value: oursMiBs, unit: 'MiB/s' },
    { name: 'OpenSSL AES-256-GCM encrypt+write, same bytes', value: aesMiBs, unit: 'MiB/s' },
    { name: 'attachment speed / AES-256-GCM', value: oursMiBs / aesMiBs, unit: 'ratio', goal: '≥ 0.5' },
    {
      name: `peak RSS while encrypting ${largeMiB} MiB (baseline ${baselineMiB.toFixed(0)} MiB)`,
      value: peakMiB,
      unit: 'MiB',
      goal: 'flat',
    },
  ]
}
