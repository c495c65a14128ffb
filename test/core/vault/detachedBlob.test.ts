// Core test (Node): openDetachedBlob checked against libsodium itself — every chunk it places opens with
// sodium-native's own secretstream pull using the state it came with, that state is the one a sequential pull reaches,
// places, tags and sizes are right at chunk-size and MAC-window edges, and tampering (MACs, order, header, sizes,
// truncation) is caught.
import fs from 'node:fs'
import fsp, { type FileHandle } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadSodium,
  STREAM_ABYTES,
  STREAM_HEADER_BYTES,
  STREAM_STATE_BYTES,
  STREAM_TAG_FINAL,
  STREAM_TAG_MESSAGE,
  type SodiumBackend,
} from '../../../electron/core/platform/crypto/sodium'
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  BLOB_HEADER_BYTES,
  openDetachedBlob,
  type DetachedBlob,
} from '../../../electron/core/platform/crypto/streams'
import { createTempDir, writeTestBlob } from '../../helpers/vaultTestUtils'

// sodium-native ships no type declarations: only the three calls used here, typed from its index.js.
interface SodiumNative {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number
  crypto_secretstream_xchacha20poly1305_init_pull(state: Uint8Array, header: Uint8Array, key: Uint8Array): void
  /** Throws on a failed check; returns the plaintext length. */
  crypto_secretstream_xchacha20poly1305_pull(state: Uint8Array, m: Uint8Array, tag: Uint8Array, c: Uint8Array, ad: Uint8Array): number
}
const na = createRequire(import.meta.url)('sodium-native') as SodiumNative

const MiB = 1024 * 1024
const root = createTempDir()
const ad = Buffer.from('detached blob test ad')
let sodium: SodiumBackend
let key: Buffer
let fileCounter = 0

beforeAll(async () => {
  sodium = await loadSodium('native')
  key = sodium.randomBytes(32)
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Encrypts `data` into a new blob file (in odd-sized pieces) and returns the blob's path and bytes. */
async function writeBlob(data: Buffer): Promise<{ file: string; blob: Buffer }> {
  const file = path.join(root, `blob-${fileCounter++}`)
  return { file, blob: await writeTestBlob(sodium, key, ad, data, file) }
}

function writeBlobBytes(blob: Buffer): string {
  const file = path.join(root, `blob-${fileCounter++}`)
  fs.writeFileSync(file, blob)
  return file
}

interface OpenedChunk {
  readonly state: Buffer
  readonly position: number
  readonly length: number
  readonly final: boolean
  /** null: libsodium refused the chunk with its state. */
  readonly plain: Buffer | null
  readonly tag: number | null
}

/** Opens one chunk with sodium-native's pull and the state it came with (the state is copied: pull advances it). */
function pullChunk(state: Uint8Array, cipher: Buffer, chunkAd: Uint8Array): { plain: Buffer; tag: number } | null {
  const plain = Buffer.alloc(cipher.length - STREAM_ABYTES)
  const tag = Buffer.alloc(1)
  try {
    na.crypto_secretstream_xchacha20poly1305_pull(Buffer.from(state), plain, tag, cipher, chunkAd)
  } catch {
    return null
  }
  return { plain, tag: tag[0] as number }
}

/** Iterates the whole detached blob, reading and opening every chunk where it says, as a payload worker does. */
async function openEveryChunk(detached: DetachedBlob, blob: Buffer): Promise<OpenedChunk[]> {
  const opened: OpenedChunk[] = []
  for await (const chunk of detached.chunks) {
    const result = pullChunk(chunk.state, blob.subarray(chunk.position, chunk.position + chunk.length), detached.chunkAd)
    const { position, length, final } = chunk
    opened.push({ state: Buffer.from(chunk.state), position, length, final, plain: result?.plain ?? null, tag: result?.tag ?? null })
  }
  return opened
}

/** Wraps a real handle's reads (the only method openDetachedBlob calls) to see which are started and unfinished. */
function watchReads(handle: FileHandle): {
  handle: FileHandle
  started: () => number
  inFlight: () => number
  settled: () => Promise<void>
} {
  const pending = new Set<Promise<unknown>>()
  let started = 0
  const read = (...args: unknown[]): Promise<unknown> => {
    started++
    const reading = (handle.read as (...a: unknown[]) => Promise<unknown>)(...args)
    const tracked = reading.finally(() => pending.delete(tracked))
    pending.add(tracked)
    tracked.catch(() => undefined)
    return reading
  }
  return {
    handle: { read } as unknown as FileHandle,
    started: () => started,
    inFlight: () => pending.size,
    // Quiet once no read is pending across a turn of the event loop (a short read is followed by another one).
    settled: async () => {
      for (;;) {
        await Promise.allSettled([...pending])
        await new Promise<void>((resolve) => setImmediate(resolve))
        if (pending.size === 0) return
      }
    },
  }
}

async function withHandle<T>(file: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await fsp.open(file, 'r')
  try {
    return await use(handle)
  } finally {
    await handle.close()
  }
}

async function openBlobFile(file: string, blobSize = fs.statSync(file).size): Promise<OpenedChunk[]> {
  return withHandle(file, async (handle) => {
    const detached = await openDetachedBlob(sodium, key, ad, handle, blobSize)
    if (!detached) throw new Error('the native backend must hand out states')
    return openEveryChunk(detached, fs.readFileSync(file))
  })
}

/** The states libsodium itself reaches by pulling the blob's chunks one after another from init_pull. */
function computeSequentialStates(blob: Buffer, count: number): Buffer[] {
  const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES)
  na.crypto_secretstream_xchacha20poly1305_init_pull(state, blob.subarray(8, BLOB_HEADER_BYTES), key)
  const chunkAd = Buffer.concat([ad, blob.subarray(0, 8)])
  const states: Buffer[] = []
  for (let i = 0; i < count; i++) {
    states.push(Buffer.from(state))
    const start = BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES
    const cipher = blob.subarray(start, Math.min(blob.length, start + ATTACHMENT_CIPHER_CHUNK_BYTES))
    na.crypto_secretstream_xchacha20poly1305_pull(state, Buffer.alloc(cipher.length - STREAM_ABYTES), Buffer.alloc(1), cipher, chunkAd)
  }
  return states
}

/** Every check of the plain round trip: chunk count and order, lengths, tags, plaintext, states, plainSize. */
async function expectBlobOpensChunkByChunk(size: number): Promise<void> {
  const data = sodium.randomBytes(size)
  const { file, blob } = await writeBlob(data)
  const count = Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES))
  const plainSize = await withHandle(file, async (handle) => {
    const detached = await openDetachedBlob(sodium, key, ad, handle, blob.length)
    detached?.discard()
    return detached?.plainSize
  })
  expect(plainSize).toBe(size)
  const opened = await openBlobFile(file)
  expect(opened).toHaveLength(count)
  const sequential = computeSequentialStates(blob, count)
  opened.forEach((chunk, i) => {
    const expectedPlain = data.subarray(i * ATTACHMENT_CHUNK_BYTES, Math.min(size, (i + 1) * ATTACHMENT_CHUNK_BYTES))
    expect(chunk.final).toBe(i === count - 1)
    expect(chunk.position).toBe(BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES)
    expect(chunk.length).toBe(expectedPlain.length + STREAM_ABYTES)
    expect(chunk.state).toHaveLength(STREAM_STATE_BYTES)
    expect(chunk.state.equals(sequential[i] as Buffer)).toBe(true)
    expect(chunk.plain?.equals(expectedPlain)).toBe(true)
    expect(chunk.tag).toBe(chunk.final ? STREAM_TAG_FINAL : STREAM_TAG_MESSAGE)
  })
}

describe('openDetachedBlob against libsodium', () => {
  it('yields every chunk with the state that opens it, at sizes around the chunk size', async () => {
    for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5]) await expectBlobOpensChunkByChunk(size)
  })

  it('derives states across MAC windows (MACs are read 16 chunks at a time)', async () => {
    for (const size of [16 * MiB, 16 * MiB + 1, 17 * MiB + 5]) await expectBlobOpensChunkByChunk(size)
  })

  it('property: any size up to ~3.2 MiB opens chunk by chunk to the same bytes', async () => {
    // Sizes near multiples of the chunk size are where the count, FINAL tag and last length can go wrong.
    const nearBoundary = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 3 })).map(([k, d]) => Math.max(0, k * MiB + d))
    const anySize = fc.integer({ min: 0, max: Math.floor(3.2 * MiB) })
    await fc.assert(fc.asyncProperty(fc.oneof(nearBoundary, anySize), expectBlobOpensChunkByChunk), { numRuns: 8 })
  })

  it('a flipped byte in chunk k’s MAC: chunk k does not open, and neither does chunk k+1 with the state derived from it', async () => {
    const data = sodium.randomBytes(3 * MiB + 5)
    const { blob } = await writeBlob(data)
    const k = 1
    // The first 8 MAC bytes feed the next chunk's inonce, so a flip there must spoil chunk k+1's state too.
    const macStart = BLOB_HEADER_BYTES + (k + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES - 16
    const tampered = Buffer.from(blob)
    tampered[macStart + 3]! ^= 0x40
    const opened = await openBlobFile(writeBlobBytes(tampered))
    // The inonce accumulates every MAC, so every later state carries the flip: nothing after chunk k opens either.
    expect(opened.map((c) => c.plain !== null)).toEqual([true, false, false, false])
    expect(opened[0]?.plain?.equals(data.subarray(0, MiB))).toBe(true)
  })

  it('two swapped chunks do not open where they now stand', async () => {
    const { blob } = await writeBlob(sodium.randomBytes(3 * MiB + 5))
    const chunk = (i: number): Buffer =>
      blob.subarray(BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES, BLOB_HEADER_BYTES + (i + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES)
    const swapped = Buffer.concat([
      blob.subarray(0, BLOB_HEADER_BYTES),
      chunk(0),
      chunk(2),
      chunk(1),
      blob.subarray(BLOB_HEADER_BYTES + 3 * ATTACHMENT_CIPHER_CHUNK_BYTES),
    ])
    const opened = await openBlobFile(writeBlobBytes(swapped))
    // The last chunk opens again: XOR is order-blind, so its state is the same after the swapped pair (the counter
    // and inonce of each moved chunk differ from what it was sealed under, which is what catches the swap).
    expect(opened.map((c) => c.plain !== null)).toEqual([true, false, false, true])
  })

  it('a changed blob prefix byte is TAMPERED before any chunk; a changed secretstream header spoils the first chunk', async () => {
    const { blob } = await writeBlob(sodium.randomBytes(MiB + 10))
    for (let i = 0; i < 8; i++) {
      const tampered = Buffer.from(blob)
      tampered[i]! ^= 0x01
      await withHandle(writeBlobBytes(tampered), async (handle) => {
        await expect(openDetachedBlob(sodium, key, ad, handle, tampered.length)).rejects.toMatchObject({ code: 'TAMPERED' })
      })
    }
    // init_pull accepts any 24 bytes: the changed header shows as the first chunk failing its MAC.
    const tampered = Buffer.from(blob)
    tampered[8 + STREAM_HEADER_BYTES - 1]! ^= 0x01
    const opened = await openBlobFile(writeBlobBytes(tampered))
    expect(opened[0]?.plain).toBeNull()
  })

  it('a blob size no blob can have is TAMPERED', async () => {
    const { file, blob } = await writeBlob(sodium.randomBytes(2 * MiB))
    const impossible = [
      BLOB_HEADER_BYTES, // no chunk at all
      BLOB_HEADER_BYTES + STREAM_ABYTES - 1, // a first chunk shorter than its overhead
      BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES + 5, // a last chunk of 5 bytes
      BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES + STREAM_ABYTES - 1,
    ]
    for (const blobSize of impossible) {
      await withHandle(file, async (handle) => {
        await expect(openDetachedBlob(sodium, key, ad, handle, blobSize)).rejects.toMatchObject({ code: 'TAMPERED' })
      })
    }
    // The smallest possible last chunk (an empty FINAL message) is accepted.
    await withHandle(file, async (handle) => {
      const detached = await openDetachedBlob(sodium, key, ad, handle, BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES + STREAM_ABYTES)
      expect(detached?.plainSize).toBe(MiB)
      detached?.discard()
    })
    expect(blob.length).toBe(BLOB_HEADER_BYTES + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES)
  })

  it('a file shorter than blobSize is TAMPERED while iterating, in the first MAC window or a later one', async () => {
    const { blob } = await writeBlob(sodium.randomBytes(17 * MiB + 5))
    // Cut inside chunk 2: its MAC is in the first window, read before the first chunk is handed out.
    // Cut inside chunk 16: the first 16 chunks are handed out, then the second window's read comes up short.
    for (const [cutChunk, handedOut] of [
      [2, 0],
      [16, 16],
    ] as const) {
      const file = writeBlobBytes(blob.subarray(0, BLOB_HEADER_BYTES + cutChunk * ATTACHMENT_CIPHER_CHUNK_BYTES + 100))
      await withHandle(file, async (handle) => {
        const detached = await openDetachedBlob(sodium, key, ad, handle, blob.length)
        let seen = 0
        await expect(
          (async () => {
            for await (const _chunk of (detached as DetachedBlob).chunks) seen++
          })(),
        ).rejects.toMatchObject({ code: 'TAMPERED' })
        expect(seen).toBe(handedOut)
      })
    }
  })

  it('the wasm backend cannot hand out states: null', async () => {
    const wasm = await loadSodium('wasm')
    const { file, blob } = await writeBlob(sodium.randomBytes(1000))
    await withHandle(file, async (handle) => {
      await expect(openDetachedBlob(wasm, key, ad, handle, blob.length)).resolves.toBeNull()
    })
  })

  it('stopping early leaves no read in flight, and the handle closes cleanly right after', async () => {
    const { file, blob } = await writeBlob(sodium.randomBytes(3 * MiB + 5))
    const handle = await fsp.open(file, 'r')
    const watched = watchReads(handle)
    const detached = await openDetachedBlob(sodium, key, ad, watched.handle, blob.length)
    let taken = 0
    for await (const chunk of (detached as DetachedBlob).chunks) {
      expect(chunk.final).toBe(false)
      if (++taken === 1) break
    }
    // The header, then the first window of MACs (3 of them, in parallel).
    expect(watched.started()).toBeGreaterThanOrEqual(4)
    expect(watched.inFlight()).toBe(0)
    await expect(handle.close()).resolves.toBeUndefined()
  })

  it('a consumer that awaits between chunks (as encryptChunks does) gets a short file as TAMPERED, never as an unhandled rejection', async () => {
    const { blob } = await writeBlob(sodium.randomBytes(17 * MiB + 5))
    // Cut in the second MAC window, so the failing read comes while the consumer is busy with earlier chunks.
    const file = writeBlobBytes(blob.subarray(0, BLOB_HEADER_BYTES + 16 * ATTACHMENT_CIPHER_CHUNK_BYTES + 100))
    const unhandled: unknown[] = []
    const noteUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', noteUnhandled)
    try {
      await withHandle(file, async (handle) => {
        const watched = watchReads(handle)
        const detached = await openDetachedBlob(sodium, key, ad, watched.handle, blob.length)
        const consume = async (): Promise<void> => {
          for await (const chunk of (detached as DetachedBlob).chunks) {
            expect(chunk.final).toBe(false)
            // Busy elsewhere until any read started ahead is over (Node reports a rejection nobody handles as soon as
            // the microtasks after it have run).
            await watched.settled()
          }
        }
        await expect(consume()).rejects.toMatchObject({ code: 'TAMPERED' })
      })
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', noteUnhandled)
    }
  })
})
