// Main process (Node only): the attachment blob format — any size of file encrypted as a
// crypto_secretstream_xchacha20poly1305 stream of 1 MiB chunks, with flat memory and reused buffers.
//
// Blob layout (format version 1):
//   0..3    magic "CSTA"
//   4       blob format version (1)
//   5..7    reserved, zero
//   8..31   secretstream header (24 bytes)
//   32..    chunks: each is 1 MiB of plaintext + 17 bytes; the last one is shorter (possibly 17 bytes for an empty
//           file) and is the only one tagged FINAL. Every chunk's AD = caller AD || bytes 0..7.

import type { FileHandle } from 'node:fs/promises'
import { CustodiaError } from '../../../../shared/errors'
import { STREAM_ABYTES, STREAM_HEADER_BYTES, STREAM_STATE_BYTES, STREAM_TAG_FINAL, STREAM_TAG_MESSAGE, type SodiumBackend } from './sodium'

/** Plaintext bytes per secretstream chunk. */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024
/** Ciphertext bytes of every chunk but the last. */
export const ATTACHMENT_CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + STREAM_ABYTES
/** Version written in byte 4 of every blob. */
export const BLOB_FORMAT_VERSION = 1
const MAGIC = Buffer.from('CSTA', 'latin1')
const PREFIX_BYTES = 8
/** Bytes before the first chunk. */
export const BLOB_HEADER_BYTES = PREFIX_BYTES + STREAM_HEADER_BYTES

/** Fills `buf` from the start as far as the source allows; returns the count (< buf.length only at end of input). */
export type FillFunction = (buf: Buffer) => Promise<number>

/** A FillFunction reading a file handle sequentially with large reads. */
export function createFileFiller(handle: FileHandle): FillFunction {
  return async (buf) => {
    let filled = 0
    while (filled < buf.length) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return filled
  }
}

/** A FillFunction over an async iterable of byte chunks of any sizes (copies into the caller's buffer). */
export function createIterableFiller(source: AsyncIterable<Uint8Array>): FillFunction {
  const iterator = source[Symbol.asyncIterator]()
  let pending: Uint8Array | null = null
  let done = false
  return async (buf) => {
    let filled = 0
    while (filled < buf.length) {
      if (!pending || pending.length === 0) {
        if (done) break
        const next = await iterator.next()
        if (next.done) {
          done = true
          break
        }
        if (!(next.value instanceof Uint8Array)) throw new CustodiaError('VALIDATION', 'The attachment stream must yield bytes')
        pending = next.value
        continue
      }
      const take = Math.min(pending.length, buf.length - filled)
      buf.set(pending.subarray(0, take), filled)
      pending = pending.subarray(take)
      filled += take
    }
    return filled
  }
}

function buildPrefix(): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES)
  MAGIC.copy(prefix, 0)
  prefix[4] = BLOB_FORMAT_VERSION
  return prefix
}

async function writeFully(handle: FileHandle, data: Uint8Array, onWrite?: (bytes: Uint8Array) => void): Promise<void> {
  onWrite?.(data)
  let written = 0
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written)
    written += bytesWritten
  }
}

/**
 * Encrypts everything `fill` yields into `out` (an open, empty file) in blob format v1 under the 32-byte attachment
 * key with `ad`. Reads one chunk ahead so the last chunk is tagged FINAL; overlaps each write with the next read.
 * Does not fsync or close `out`. Returns plaintext and blob sizes in bytes. `onWrite`, when given, sees every byte
 * written to `out`, in file order, before it is written (e.g. to hash the blob as it is made).
 */
export async function encryptToBlob(
  sodium: SodiumBackend,
  key: Uint8Array,
  ad: Uint8Array,
  fill: FillFunction,
  out: FileHandle,
  onWrite?: (bytes: Uint8Array) => void,
): Promise<{ plainSize: number; blobSize: number }> {
  const prefix = buildPrefix()
  const chunkAd = Buffer.concat([ad, prefix])
  const pusher = sodium.secretstreamPush(key)
  const input = [Buffer.alloc(ATTACHMENT_CHUNK_BYTES), Buffer.alloc(ATTACHMENT_CHUNK_BYTES)] as const
  const output = [Buffer.allocUnsafe(ATTACHMENT_CIPHER_CHUNK_BYTES), Buffer.allocUnsafe(ATTACHMENT_CIPHER_CHUNK_BYTES)] as const
  let plainSize = 0
  let blobSize = BLOB_HEADER_BYTES
  let pendingWrite: Promise<void> = Promise.resolve()
  try {
    await writeFully(out, Buffer.concat([prefix, pusher.header]), onWrite)
    let current: 0 | 1 = 0
    let length = await fill(input[0])
    for (;;) {
      const next: 0 | 1 = current === 0 ? 1 : 0
      // A short fill means end of input, so there is nothing to look ahead to.
      const nextLength = length < ATTACHMENT_CHUNK_BYTES ? 0 : await fill(input[next])
      const final = nextLength === 0
      // output[current] is free: the write still in flight uses the other buffer.
      const cipher = output[current].subarray(0, length + STREAM_ABYTES)
      pusher.push(cipher, input[current].subarray(0, length), final ? STREAM_TAG_FINAL : STREAM_TAG_MESSAGE, chunkAd)
      plainSize += length
      blobSize += cipher.length
      await pendingWrite
      pendingWrite = writeFully(out, cipher, onWrite)
      if (final) break
      current = next
      length = nextLength
    }
    await pendingWrite
    return { plainSize, blobSize }
  } finally {
    // Never leave a write racing the caller's cleanup (it may close or delete the file next).
    await pendingWrite.catch(() => undefined)
    pusher.dispose()
    input[0].fill(0)
    input[1].fill(0)
  }
}

/** Reads `buf.length` bytes at `position` or as many as there are before the end; returns the count. */
export async function readAt(handle: FileHandle, buf: Buffer, position: number): Promise<number> {
  let filled = 0
  while (filled < buf.length) {
    const { bytesRead } = await handle.read(buf, filled, buf.length - filled, position + filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return filled
}

export interface DecryptBlobOptions {
  /**
   * Where plaintext goes. Default: one buffer reused for every chunk, so the sink must be done with it when it
   * resolves. With a provider, each chunk is decrypted into a new buffer from it (at least ATTACHMENT_CHUNK_BYTES)
   * that the sink then owns: no copy, and the caller decides where buffers come from (e.g. a pool).
   */
  readonly outputBuffer?: () => Buffer
}

/**
 * Decrypts a blob chunk by chunk, handing each authenticated plaintext chunk to `sink`. The next chunk is read while
 * one is decrypted and handed on. A wrong header, any chunk failing authentication, end of input before the FINAL
 * chunk ("truncated") or bytes after it → TAMPERED; an unknown blob version the row did not announce is TAMPERED too
 * (the version is authenticated). Callers must not use what `sink` received unless this resolves.
 */
export async function decryptBlob(
  sodium: SodiumBackend,
  key: Uint8Array,
  ad: Uint8Array,
  source: FileHandle,
  sink: (chunk: Buffer) => Promise<void> | void,
  options: DecryptBlobOptions = {},
): Promise<number> {
  const header = Buffer.alloc(BLOB_HEADER_BYTES)
  if ((await readAt(source, header, 0)) !== BLOB_HEADER_BYTES) throw new CustodiaError('TAMPERED', 'The attachment is truncated')
  const prefix = header.subarray(0, PREFIX_BYTES)
  if (!prefix.subarray(0, 4).equals(MAGIC) || prefix[4] !== BLOB_FORMAT_VERSION || prefix[5] !== 0 || prefix[6] !== 0 || prefix[7] !== 0) {
    throw new CustodiaError('TAMPERED', 'The attachment header was changed')
  }
  const chunkAd = Buffer.concat([ad, prefix])
  const puller = sodium.secretstreamPull(header.subarray(PREFIX_BYTES), key)
  const inputs = [Buffer.allocUnsafe(ATTACHMENT_CIPHER_CHUNK_BYTES), Buffer.allocUnsafe(ATTACHMENT_CIPHER_CHUNK_BYTES)] as const
  const shared = options.outputBuffer ? null : Buffer.alloc(ATTACHMENT_CHUNK_BYTES)
  let position = BLOB_HEADER_BYTES
  let current: 0 | 1 = 0
  let reading = readAt(source, inputs[0], position)
  let plainSize = 0
  let sawFinal = false
  try {
    for (;;) {
      const length = await reading
      if (length === 0) break
      if (sawFinal) throw new CustodiaError('TAMPERED', 'The attachment has data after its final chunk')
      if (length < STREAM_ABYTES) throw new CustodiaError('TAMPERED', 'The attachment is truncated')
      position += length
      const input = inputs[current]
      current = current === 0 ? 1 : 0
      // Always read on, even after a short chunk: bytes after the FINAL chunk must be noticed.
      reading = readAt(source, inputs[current], position)
      const target = shared ?? (options.outputBuffer as () => Buffer)()
      if (target.length < length - STREAM_ABYTES) throw new CustodiaError('INTERNAL', 'The output buffer is too small')
      const plain = target.subarray(0, length - STREAM_ABYTES)
      const tag = puller.pull(plain, input.subarray(0, length), chunkAd)
      if (tag === STREAM_TAG_FINAL) sawFinal = true
      else if (tag !== STREAM_TAG_MESSAGE || length !== ATTACHMENT_CIPHER_CHUNK_BYTES) {
        throw new CustodiaError('TAMPERED', 'The attachment is truncated')
      }
      plainSize += plain.length
      await sink(plain)
    }
    if (!sawFinal) throw new CustodiaError('TAMPERED', 'The attachment is truncated')
    return plainSize
  } finally {
    // Never leave a read racing the caller's close of the handle.
    await reading.catch(() => undefined)
    puller.dispose()
    shared?.fill(0)
  }
}

/** Where one blob chunk is and the secretstream state that opens it, for a thread that reads it itself. */
export interface DetachedBlobChunk {
  /** The secretstream state that opens this chunk: STREAM_STATE_BYTES of key material, wipe it after use. */
  readonly state: Buffer
  /** Byte offset of the chunk's ciphertext (tag byte, message, MAC) in the blob file. */
  readonly position: number
  /** Ciphertext bytes of the chunk. */
  readonly length: number
  /** The last chunk: it must carry the FINAL tag. Every other one must be a full MESSAGE chunk. */
  readonly final: boolean
}

export interface DetachedBlob {
  /** Associated data of every chunk. */
  readonly chunkAd: Buffer
  /** Plaintext bytes, as the blob's size implies (the chunks' tags and MACs confirm it when they are opened). */
  readonly plainSize: number
  /** The chunks in order; finishing, return() or throw wipes the running state. */
  readonly chunks: AsyncGenerator<DetachedBlobChunk, void, undefined>
  /** Wipes the running state even if `chunks` never started (a generator not started skips its finally). */
  discard(): void
}

// Offsets inside a secretstream state: key (32) ‖ 32-bit little-endian counter ‖ 8-byte inonce ‖ pad.
const STATE_COUNTER = 32
const STATE_INONCE = 36
const INONCE_BYTES = 8
const MAC_BYTES = 16
const MAC_WINDOW = 16

/**
 * Prepares a blob of `blobSize` bytes (checked by the caller against its record) for decryption chunk by chunk on
 * other threads, which read the chunks themselves: each chunk comes with its place in the file and the secretstream
 * state that opens it, so chunks can be opened in parallel. Only the 16-byte MACs are read here.
 * Why that is sound: libsodium's secretstream ties every chunk's nonce to the chunks before it by one documented step
 * (after each message the 8-byte inonce is XORed with the first 8 bytes of that message's MAC and the counter goes up
 * by one), and those MACs are in the ciphertext. A chunk opened with its state authenticates exactly as in a
 * sequential pull: a changed, dropped, swapped or extra chunk fails its MAC, here or in the chunk after it. The
 * opener must check the tags as `final` says (test/core/vault/detachedBlob.test.ts checks the states against
 * libsodium's own).
 * Returns null when the backend cannot hand out its state (wasm): use decryptBlob then.
 * Errors (TAMPERED): changed header, a size no blob can have, the file shorter than `blobSize` while read.
 */
export async function openDetachedBlob(
  sodium: SodiumBackend,
  key: Uint8Array,
  ad: Uint8Array,
  source: FileHandle,
  blobSize: number,
): Promise<DetachedBlob | null> {
  const header = Buffer.alloc(BLOB_HEADER_BYTES)
  if ((await readAt(source, header, 0)) !== BLOB_HEADER_BYTES) throw new CustodiaError('TAMPERED', 'The attachment is truncated')
  const prefix = header.subarray(0, PREFIX_BYTES)
  if (!prefix.subarray(0, 4).equals(MAGIC) || prefix[4] !== BLOB_FORMAT_VERSION || prefix[5] !== 0 || prefix[6] !== 0 || prefix[7] !== 0) {
    throw new CustodiaError('TAMPERED', 'The attachment header was changed')
  }
  const payload = blobSize - BLOB_HEADER_BYTES
  const count = Math.max(1, Math.ceil(payload / ATTACHMENT_CIPHER_CHUNK_BYTES))
  const lastLength = payload - (count - 1) * ATTACHMENT_CIPHER_CHUNK_BYTES
  if (payload < STREAM_ABYTES || lastLength < STREAM_ABYTES) throw new CustodiaError('TAMPERED', 'The attachment is truncated')
  const initial = sodium.secretstreamPullState(header.subarray(PREFIX_BYTES), key)
  if (!initial) return null
  if (initial.length !== STREAM_STATE_BYTES) throw new CustodiaError('INTERNAL', 'Unexpected secretstream state size')
  const chunkAd = Buffer.concat([ad, prefix])

  async function* chunks(): AsyncGenerator<DetachedBlobChunk, void, undefined> {
    const running = initial as Buffer
    // MACs are read MAC_WINDOW chunks at a time, in parallel: one wait per window instead of one per chunk.
    const macs = Buffer.alloc(MAC_WINDOW * MAC_BYTES)
    const readMacs = async (first: number): Promise<void> => {
      const reads: Promise<number>[] = []
      for (let i = first; i < Math.min(first + MAC_WINDOW, count - 1); i++) {
        const end = BLOB_HEADER_BYTES + (i + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES
        reads.push(readAt(source, macs.subarray((i - first) * MAC_BYTES, (i - first + 1) * MAC_BYTES), end - MAC_BYTES))
      }
      // allSettled: every read ends before this returns or throws, so the caller may close the file right after.
      const results = await Promise.allSettled(reads)
      for (const r of results) if (r.status === 'rejected') throw r.reason
      if (results.some((r) => r.status === 'fulfilled' && r.value !== MAC_BYTES))
        throw new CustodiaError('TAMPERED', 'The attachment is truncated')
    }
    try {
      for (let i = 0; i < count; i++) {
        const position = BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES
        const length = i === count - 1 ? lastLength : ATTACHMENT_CIPHER_CHUNK_BYTES
        const state = Buffer.from(running)
        if (i < count - 1) {
          // The next chunk's state, from this chunk's MAC.
          if (i % MAC_WINDOW === 0) await readMacs(i)
          const mac = macs.subarray((i % MAC_WINDOW) * MAC_BYTES)
          for (let b = 0; b < INONCE_BYTES; b++) running[STATE_INONCE + b] = (running[STATE_INONCE + b] as number) ^ (mac[b] as number)
          const counter = (running.readUInt32LE(STATE_COUNTER) + 1) >>> 0
          // libsodium rekeys when the counter wraps; 2^32 chunks of 1 MiB is beyond any blob we write.
          if (counter === 0) throw new CustodiaError('UNSUPPORTED', 'The attachment has too many chunks')
          running.writeUInt32LE(counter, STATE_COUNTER)
        }
        yield { state, position, length, final: i === count - 1 }
      }
    } finally {
      running.fill(0)
    }
  }

  return { chunkAd, plainSize: payload - count * STREAM_ABYTES, chunks: chunks(), discard: () => void initial.fill(0) }
}
