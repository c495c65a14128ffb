// Core test (Node): the resealed-attachment export path end to end — a large vault attachment travels as a
// secretstream run (payload workers open its blob chunks and seal them as age chunks), lands 64 KiB-aligned in the
// tar, decrypts with the `age` CLI and imports into another vault byte for byte; a tampered blob, cancel and lock
// leave no file; the wasm backend falls back to the copy path; encryptChunksInto reseals runs in place and refuses
// misplaced ones.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AGE_CHUNK_SIZE,
  encodeX25519Identity,
  encryptChunks,
  encryptChunksInto,
  generateX25519Identity,
  type SecretstreamRun,
} from '../../../../electron/core/platform/crypto/age/age'
import { scanTar, type TarEntry } from '../../../../electron/core/exchange/bundle/tarSafe'
import { loadSodium, type SodiumBackend } from '../../../../electron/core/platform/crypto/sodium'
import {
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  BLOB_HEADER_BYTES,
  createIterableFiller,
  encryptToBlob,
  openDetachedBlob,
} from '../../../../electron/core/platform/crypto/streams'
import { exportBundle } from '../../../../electron/core/exchange/exportService'
import { disposeIdentity, loadOwnIdentity } from '../../../../electron/core/exchange/identity'
import { importBundleItems, openBundleForImport } from '../../../../electron/core/exchange/importService'
import { openVault, type Vault } from '../../../../electron/core/vault/vault'
import { addDocument, exchangeIdentities, makeTempDir, makeVault, PASSPHRASE, sha256, writeRandomFile } from '../helpers'

const MiB = 1024 * 1024
const BIG_SIZE = 9 * MiB + 12_345
const SMALL_SIZE = 100 * 1024

let root: string
let senderDir: string
let a: Vault
let b: Vault
let bInA: string
let docId: string
let bigId: string
let smallId: string
let bigBytes: Buffer
let smallBytes: Buffer
let keyFile: string
let outCounter = 0

beforeAll(async () => {
  root = makeTempDir()
  senderDir = path.join(root, 'Sender')
  a = await makeVault(root, 'Sender', 'Org A')
  b = await makeVault(root, 'Receiver', 'Org B')
  ;({ bInA } = exchangeIdentities(a, b))
  docId = addDocument(a, 'Evidence', 'See the attachments.', 'note')
  const big = writeRandomFile(root, 'big.bin', BIG_SIZE)
  const small = writeRandomFile(root, 'small.bin', SMALL_SIZE)
  bigBytes = big.bytes
  smallBytes = small.bytes
  bigId = (await a.addAttachment(docId, big.file, { filename: 'big.bin', mediaType: 'application/octet-stream' })).id
  smallId = (await a.addAttachment(docId, small.file, { filename: 'small.bin', mediaType: 'application/octet-stream' })).id
  const own = loadOwnIdentity(b)
  keyFile = path.join(root, 'key.txt')
  fs.writeFileSync(keyFile, `# test key\n${encodeX25519Identity(own.x25519SecretKey)}\n`, { mode: 0o600 })
  disposeIdentity(own)
})
afterAll(() => {
  a?.lock()
  b?.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

// As format.ts's openBundle scans bundles, with name classes loose enough for every entry a bundle holds.
const BUNDLE_RULES = {
  maxEntries: 100,
  maxTotalBytes: 64 * MiB,
  allowedDirectories: new Set(['records', 'readable', 'files']),
  classifyFile: (name: string) =>
    /^(manifest\.(json|sig)|(records|readable|files)\/[^/]+)$/.test(name) ? { maxBytes: 64 * MiB, label: 'entry' } : null,
}

function nextOutPath(name: string): string {
  return path.join(root, `${name}-${outCounter++}.custodia`)
}

function exportToB(
  vault: Vault,
  outPath: string,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): ReturnType<typeof exportBundle> {
  return exportBundle(
    vault,
    { selection: { recordIds: [docId] }, contactIds: [bInA] },
    {
      outPath,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: (p) => options.onProgress?.(p.bytesDone) } : {}),
    },
  )
}

/** Decrypts with the Debian age CLI: once piped into `tar -x` (as a recipient would), once to a tar file to scan. */
function decryptWithAgeCli(bundlePath: string): { dest: string; tarPath: string } {
  const dest = fs.mkdtempSync(path.join(root, 'extract-'))
  execFileSync('sh', ['-c', 'set -e; age -d -i "$1" "$2" | tar -x -C "$3"', 'sh', keyFile, bundlePath, dest])
  const tarPath = path.join(dest, '..', `${path.basename(dest)}.tar`)
  execFileSync('age', ['-d', '-i', keyFile, '-o', tarPath, bundlePath])
  return { dest, tarPath }
}

/** Type flags of every header in a tar, in order (pax headers included, which scanTar folds away). */
function listHeaderTypes(tar: Buffer): string[] {
  const types: string[] = []
  for (let offset = 0; offset + 512 <= tar.length;) {
    const block = tar.subarray(offset, offset + 512)
    if (block.every((x) => x === 0)) break
    types.push(String.fromCharCode(block[156] as number))
    const size = parseInt(block.toString('latin1', 124, 136).replace(/[\0 ]+$/, ''), 8)
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return types
}

function blobPathOf(attachmentId: string): string {
  return path.join(senderDir, 'blobs', attachmentId.slice(0, 2), attachmentId)
}

/** How many of this process's file descriptors point at `file` (Linux /proc): a run must close its blob. */
function countOpenDescriptors(file: string): number {
  let count = 0
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === file) count++
    } catch {
      // The descriptor used to list the folder is gone by now.
    }
  }
  return count
}

function expectNoOutput(outPath: string): void {
  expect(fs.existsSync(outPath)).toBe(false)
  expect(fs.existsSync(`${outPath}.partial`)).toBe(false)
  expect(countOpenDescriptors(blobPathOf(bigId))).toBe(0)
}

describe('exporting a large attachment as a secretstream run', () => {
  it('decrypts with `age -d | tar -x` to the original bytes, 64 KiB-aligned in the tar, and imports equal', async () => {
    const out = nextOutPath('run')
    const result = await exportToB(a, out)
    expect(result.attachments).toBe(2)
    expect(result.knownHashes).toBe(2)
    const { dest, tarPath } = decryptWithAgeCli(out)
    expect(sha256(fs.readFileSync(path.join(dest, 'files', bigId)))).toBe(sha256(bigBytes))
    expect(sha256(fs.readFileSync(path.join(dest, 'files', smallId)))).toBe(sha256(smallBytes))

    const entries = await scanTar(tarPath, BUNDLE_RULES)
    const byName = new Map(entries.map((e): [string, TarEntry] => [e.name, e]))
    const big = byName.get(`files/${bigId}`)
    expect(big?.size).toBe(BIG_SIZE)
    // Only the run path aligns an entry: the copy path never writes padding before it.
    expect((big?.dataOffset ?? 1) % AGE_CHUNK_SIZE).toBe(0)
    expect(byName.get(`files/${smallId}`)?.size).toBe(SMALL_SIZE)
    const tar = fs.readFileSync(tarPath)
    expect(tar.subarray(big!.dataOffset, big!.dataOffset + BIG_SIZE).equals(bigBytes)).toBe(true)
    expect(countOpenDescriptors(blobPathOf(bigId))).toBe(0)

    const opened = await openBundleForImport(b, out)
    const imported = await importBundleItems(b, opened)
    await opened.dispose()
    expect(imported.attachments).toBe(2)
    const received = new Map(b.listAttachments(docId).map((att) => [att.filename, att.id]))
    expect((await b.readAttachment(received.get('big.bin')!)).equals(bigBytes)).toBe(true)
    expect((await b.readAttachment(received.get('small.bin')!)).equals(smallBytes)).toBe(true)
    expect(b.getAttachmentSha256(received.get('big.bin')!)).toBe(sha256(bigBytes))
  }, 30_000)

  it('a flipped byte inside a blob chunk or in a chunk’s MAC fails the export with TAMPERED and leaves no file', async () => {
    const blobPath = blobPathOf(bigId)
    const original = fs.readFileSync(blobPath)
    expect(original.length).toBe(BLOB_HEADER_BYTES + 10 * ATTACHMENT_CIPHER_CHUNK_BYTES - (MiB - 12_345))
    const chunkStart = (i: number): number => BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES
    const flips = {
      'middle of chunk 4': chunkStart(4) + Math.floor(ATTACHMENT_CIPHER_CHUNK_BYTES / 2),
      'MAC of chunk 2': chunkStart(3) - 16 + 5,
    }
    // Several chunks fail at once in the workers (after a MAC flip, every later state is wrong too): each failure
    // must reach the export's rejection, none may escape as an unhandled rejection.
    const unhandled: unknown[] = []
    const noteUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', noteUnhandled)
    try {
      for (const [label, at] of Object.entries(flips)) {
        const tampered = Buffer.from(original)
        tampered[at]! ^= 0x20
        fs.writeFileSync(blobPath, tampered)
        const out = nextOutPath('tampered')
        try {
          const err = await exportToB(a, out).then(
            () => null,
            (e: unknown) => e,
          )
          expect(err, label).toMatchObject({ code: 'TAMPERED' })
          expect((err as Error).message, label).not.toContain(root)
          expectNoOutput(out)
        } finally {
          fs.writeFileSync(blobPath, original)
        }
      }
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', noteUnhandled)
    }
    // The vault's own reader agrees the restored blob is whole again.
    expect((await a.readAttachment(bigId)).equals(bigBytes)).toBe(true)
  }, 30_000)

  it('cancelling after ~2 MiB rejects CANCELLED and leaves no file', async () => {
    const out = nextOutPath('cancelled')
    const controller = new AbortController()
    const err = await exportToB(a, out, { signal: controller.signal, onProgress: (done) => done > 2 * MiB && controller.abort() }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'CANCELLED' })
    expectNoOutput(out)
  }, 30_000)

  it('locking the vault mid-export rejects and leaves no file', async () => {
    const out = nextOutPath('locked')
    let lockedAt = -1
    const err = await exportToB(a, out, {
      onProgress: (done) => {
        if (done > 2 * MiB && !a.locked) {
          lockedAt = done
          a.lock()
        }
      },
    }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(lockedAt).toBeGreaterThan(2 * MiB)
    expect(lockedAt).toBeLessThan(BIG_SIZE)
    expect(['VAULT_LOCKED', 'TAMPERED']).toContain((err as { code?: string } | null)?.code)
    expectNoOutput(out)
    a = await openVault(senderDir, Buffer.from(PASSPHRASE), { sodium: await loadSodium('native') })
  }, 30_000)

  it('a vault opened with the wasm backend exports the same attachment through the copy path', async () => {
    a.lock()
    a = await openVault(senderDir, Buffer.from(PASSPHRASE), { sodium: await loadSodium('wasm') })
    await expect(a.openAttachmentRun(bigId)).resolves.toBeNull()
    expect(countOpenDescriptors(blobPathOf(bigId))).toBe(0)
    const out = nextOutPath('wasm')
    await exportToB(a, out)
    const { dest, tarPath } = decryptWithAgeCli(out)
    expect(fs.readFileSync(path.join(dest, 'files', bigId)).equals(bigBytes)).toBe(true)
    expect(fs.readFileSync(path.join(dest, 'files', smallId)).equals(smallBytes)).toBe(true)
    // The copy path writes plain ustar headers only: no pax padding anywhere.
    const types = listHeaderTypes(fs.readFileSync(tarPath))
    expect(types.length).toBeGreaterThanOrEqual(6)
    expect(types.every((t) => t === '0' || t === '5')).toBe(true)
  }, 30_000)
})

describe('encryptChunksInto with secretstream runs', () => {
  let dir: string
  let sodium: SodiumBackend
  const key = Buffer.alloc(32, 7)
  const ad = Buffer.from('run test ad')
  const recipient = generateX25519Identity()
  let identityFile: string

  beforeAll(async () => {
    dir = makeTempDir()
    sodium = await loadSodium('native')
    identityFile = path.join(dir, 'key.txt')
    fs.writeFileSync(identityFile, `${encodeX25519Identity(recipient.secretKey)}\n`, { mode: 0o600 })
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  async function writeBlobFile(data: Buffer, name: string): Promise<string> {
    const file = path.join(dir, name)
    const out = await fsp.open(file, 'w')
    try {
      await encryptToBlob(
        sodium,
        key,
        ad,
        createIterableFiller(
          (async function* () {
            yield data
          })(),
        ),
        out,
      )
    } finally {
      await out.close()
    }
    return file
  }

  /**
   * Runs encryptChunksInto over `pieces` (runs opened from blob files) into a file whose age stream starts at
   * `offset`, writing yielded Buffers at the running position and skipping what the workers wrote; returns the age
   * bytes or the error.
   */
  async function encryptWithRuns(
    pieces: readonly (Buffer | { blobFile: string })[],
    offset = 0,
  ): Promise<{ age: Buffer } | { error: unknown }> {
    const handles: fsp.FileHandle[] = []
    const outFile = path.join(dir, `out-${outCounter++}.age`)
    const out = await fsp.open(outFile, 'w+')
    try {
      const source: (Buffer | SecretstreamRun)[] = []
      for (const piece of pieces) {
        if (Buffer.isBuffer(piece)) {
          source.push(piece)
          continue
        }
        const handle = await fsp.open(piece.blobFile, 'r')
        handles.push(handle)
        const detached = await openDetachedBlob(sodium, key, ad, handle, (await handle.stat()).size)
        if (!detached) throw new Error('the native backend must hand out states')
        source.push({ chunkAd: detached.chunkAd, plainSize: detached.plainSize, fd: handle.fd, chunks: detached.chunks })
      }
      let position = offset
      for await (const piece of encryptChunksInto(
        { x25519: [recipient.recipient] },
        (async function* () {
          yield* source
        })(),
        { fd: out.fd, offset },
      )) {
        if (typeof piece === 'number') {
          position += piece
          continue
        }
        await out.write(piece, 0, piece.length, position)
        position += piece.length
      }
      await out.close()
      const written = fs.readFileSync(outFile)
      expect(written.length).toBe(position)
      return { age: written.subarray(offset) }
    } catch (error) {
      return { error }
    } finally {
      await out.close().catch(() => undefined)
      for (const handle of handles) await handle.close()
    }
  }

  function decryptWithAgeCliBytes(age: Buffer): Buffer {
    const file = path.join(dir, `in-${outCounter++}.age`)
    fs.writeFileSync(file, age)
    return execFileSync('age', ['-d', '-i', identityFile, file], { maxBuffer: 64 * MiB })
  }

  it('a run between plain bytes is resealed in place, at any offset in the output file: the age CLI decrypts the exact concatenation', async () => {
    const head = sodium.randomBytes(AGE_CHUNK_SIZE)
    const middle = sodium.randomBytes(2 * MiB + 100)
    const tail = Buffer.from('bytes after the run')
    const blobFile = await writeBlobFile(middle, 'middle.blob')
    for (const offset of [0, 777]) {
      const result = await encryptWithRuns([head, { blobFile }, tail], offset)
      expect(result).toHaveProperty('age')
      expect(decryptWithAgeCliBytes((result as { age: Buffer }).age).equals(Buffer.concat([head, middle, tail]))).toBe(true)
    }
  }, 30_000)

  it('a run that does not start on a 64 KiB boundary rejects INTERNAL', async () => {
    const blobFile = await writeBlobFile(sodium.randomBytes(MiB + 5), 'unaligned.blob')
    const result = await encryptWithRuns([Buffer.alloc(10, 1), { blobFile }])
    expect(result).toMatchObject({ error: { code: 'INTERNAL' } })
  })

  it('a payload that ends with a run rejects INTERNAL (the last age chunk could not be marked)', async () => {
    // A whole number of 64 KiB chunks leaves no tail to seal as the final chunk.
    const blobFile = await writeBlobFile(sodium.randomBytes(MiB), 'whole.blob')
    expect(await encryptWithRuns([{ blobFile }])).toMatchObject({ error: { code: 'INTERNAL' } })
    expect(await encryptWithRuns([sodium.randomBytes(AGE_CHUNK_SIZE), { blobFile }])).toMatchObject({ error: { code: 'INTERNAL' } })
  })

  it('encryptChunks, which has no output file for the workers, refuses a run with INTERNAL', async () => {
    const blobFile = await writeBlobFile(sodium.randomBytes(MiB + 5), 'no-output.blob')
    const handle = await fsp.open(blobFile, 'r')
    try {
      const detached = await openDetachedBlob(sodium, key, ad, handle, (await handle.stat()).size)
      const run: SecretstreamRun = { chunkAd: detached!.chunkAd, plainSize: detached!.plainSize, fd: handle.fd, chunks: detached!.chunks }
      // The types keep runs out of encryptChunks; this checks the guard behind them.
      const source = [run] as unknown as Uint8Array[]
      const consume = async (): Promise<void> => {
        for await (const _piece of encryptChunks({ x25519: [recipient.recipient] }, source)) {
          // Only the header comes out before the run.
        }
      }
      await expect(consume()).rejects.toMatchObject({ code: 'INTERNAL' })
      detached!.discard()
    } finally {
      await handle.close()
    }
  })
})
