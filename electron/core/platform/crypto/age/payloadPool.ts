// Main process (Node only): worker threads that seal/open age payload chunks (ChaCha20-Poly1305, 64 KiB chunks) off
// the main thread. Chunks are independent once their counter is known, so batches go to idle workers and come back in
// order while the main thread keeps reading, tarring and writing.
// Batch buffers circulate: the caller fills a pooled input buffer, its ArrayBuffer and a pooled output buffer are
// transferred (moved, not copied) to a worker and back, and both return to a free list. Fresh 1 MiB allocations per
// batch made the kernel zero-fill new pages for every MiB and let RSS climb until the next GC; recycling keeps the
// payload path at a fixed few MiB.
// Reseal jobs (exports of vault attachments) move no buffers at all: the worker reads a chunk of the vault's
// encrypted blob by position, decrypts it with sodium-native, seals it as age chunks and writes them at their place in
// the bundle file; the main thread only hands out positions and secretstream states.
// Workers run from an inline CommonJS source (eval) so the same code works under tsx, vitest and the bundled app.
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { CustodiaError } from '../../../../../shared/errors'
import { resolveNativeSodium } from '../sodium'
import type { DetachedBlobChunk } from '../streams'

/** age payload chunk (plaintext) and its Poly1305 tag. */
const CHUNK_SIZE = 64 * 1024
const TAG_SIZE = 16
/** Plaintext chunks per batch: 16 × 64 KiB = 1 MiB, large enough that messaging costs are negligible. */
export const CHUNKS_PER_BATCH = 16
/** Capacity of every pooled buffer: one batch of sealed chunks (the larger of the two directions). */
const BATCH_CAPACITY = CHUNKS_PER_BATCH * (CHUNK_SIZE + TAG_SIZE)
/** Free buffers kept for reuse (about what one pipeline has in flight); more are allocated on demand, left to the GC. */
const MAX_FREE_BUFFERS = 16

const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const fs = require('node:fs')
const CHUNK = 65536
const TAG = 16
const SEALED = CHUNK + TAG
const nonce = Buffer.alloc(12)
// Vault attachment blobs (crypto/streams.ts): 1 MiB secretstream chunks, 17 bytes of overhead each.
const BLOB_CHUNK = 1048576
const BLOB_SEALED = BLOB_CHUNK + 17
const STREAM_TAG_MESSAGE = 0
const STREAM_TAG_FINAL = 3
// sodium-native when the main thread found it: it seals and opens straight into the batch buffers, where node:crypto
// returns a new Buffer per chunk (garbage that let each worker's RSS climb by tens of MiB before a GC).
let sodium = null
if (workerData.sodiumPath) {
  try {
    sodium = require(workerData.sodiumPath)
  } catch {
    sodium = null
  }
}
let blobCipher = null
let blobPlain = null
let blobOut = null
let fileSealed = null
let filePlain = null
const BATCH_CHUNKS = 16

// age payload nonce: 11-byte big-endian chunk counter, then 0x01 for the last chunk or 0x00.
function setNonce(counter, last) {
  nonce.fill(0)
  nonce.writeUInt32BE(Math.floor(counter / 4294967296), 3)
  nonce.writeUInt32BE(counter >>> 0, 7)
  nonce[11] = last ? 1 : 0
  return nonce
}

// Opens one sealed chunk into out at offset o; returns the plaintext length, or -1 when the tag does not verify.
function openChunkInto(key, counter, last, sealed, out, o) {
  if (sealed.length < TAG) return -1
  if (sodium) {
    const length = sealed.length - TAG
    try {
      sodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(out.subarray(o, o + length), null, sealed.subarray(0, length), sealed.subarray(length), null, setNonce(counter, last), key)
    } catch {
      return -1
    }
    return length
  }
  const d = crypto.createDecipheriv('chacha20-poly1305', key, setNonce(counter, last), { authTagLength: TAG })
  d.setAuthTag(sealed.subarray(sealed.length - TAG))
  const plain = d.update(sealed.subarray(0, sealed.length - TAG))
  try {
    d.final()
  } catch {
    plain.fill(0)
    return -1
  }
  plain.copy(out, o)
  plain.fill(0)
  return plain.length
}

function sealBatch(key, counter, data, lastBatch, out) {
  const count = Math.max(1, Math.ceil(data.length / CHUNK))
  let o = 0
  for (let i = 0; i < count; i++) {
    const plain = data.subarray(i * CHUNK, Math.min(data.length, (i + 1) * CHUNK))
    const chunkNonce = setNonce(counter + i, lastBatch && i === count - 1)
    if (sodium) {
      sodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(out.subarray(o, o + plain.length), out.subarray(o + plain.length, o + plain.length + TAG), plain, null, null, chunkNonce, key)
      o += plain.length + TAG
      continue
    }
    const c = crypto.createCipheriv('chacha20-poly1305', key, chunkNonce, { authTagLength: TAG })
    o += c.update(plain).copy(out, o)
    c.final()
    o += c.getAuthTag().copy(out, o)
  }
  return { length: o }
}

function openBatch(key, counter, data, lastBatch, out) {
  const count = Math.ceil(data.length / SEALED)
  if (count === 0 || data.length - count * TAG < 0) return { failure: 'truncated' }
  const scratch = Buffer.alloc(CHUNK)
  let o = 0
  for (let i = 0; i < count; i++) {
    const index = counter + i
    const last = lastBatch && i === count - 1
    const sealed = data.subarray(i * SEALED, Math.min(data.length, (i + 1) * SEALED))
    if (sealed.length < TAG) return { failure: 'truncated' }
    if (last && index > 0 && sealed.length === TAG) return { failure: 'empty-final' }
    const n = openChunkInto(key, index, last, sealed, out, o)
    if (n < 0) {
      out.fill(0, 0, o)
      // Only for a precise message: the other flag tells truncation at a chunk boundary from data after the end.
      if (last && sealed.length === SEALED && openChunkInto(key, index, false, sealed, scratch, 0) >= 0) return { failure: 'boundary' }
      if (!last && openChunkInto(key, index, true, sealed, scratch, 0) >= 0) return { failure: 'trailing' }
      return { failure: 'auth' }
    }
    o += n
  }
  scratch.fill(0)
  return { length: o }
}

function readFully(fd, buf, position) {
  let done = 0
  while (done < buf.length) {
    const n = fs.readSync(fd, buf, done, buf.length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
}

function writeFully(fd, buf, position) {
  for (let done = 0; done < buf.length; ) done += fs.writeSync(fd, buf, done, buf.length - done, position + done)
}

// Reads one vault blob chunk (job.blobFd at job.cipherPos), opens it with the state that opens it (openDetachedBlob),
// seals its whole 64 KiB pieces as age chunks from job.counter on and writes them to job.outFd at job.outPos. Nothing
// crosses threads but the plaintext tail after the last whole 64 KiB (< 64 KiB, final blob chunk only).
function resealBlobChunk(key, job) {
  if (sodium === null) return { failure: 'unavailable' }
  const plainLength = job.cipherLen - 17
  if (plainLength < 0 || plainLength > BLOB_CHUNK) return { failure: 'blob-truncated' }
  blobCipher = blobCipher || Buffer.alloc(BLOB_SEALED)
  blobPlain = blobPlain || Buffer.alloc(BLOB_CHUNK)
  blobOut = blobOut || Buffer.alloc((BLOB_CHUNK / CHUNK) * SEALED)
  const cipher = blobCipher.subarray(0, job.cipherLen)
  if (readFully(job.blobFd, cipher, job.cipherPos) !== cipher.length) return { failure: 'blob-truncated' }
  const plain = blobPlain.subarray(0, plainLength)
  const state = Buffer.from(job.state)
  const tag = Buffer.alloc(1)
  try {
    sodium.crypto_secretstream_xchacha20poly1305_pull(state, plain, tag, cipher, Buffer.from(job.ad))
  } catch {
    return { failure: 'blob-auth' }
  } finally {
    state.fill(0)
    job.state.fill(0)
  }
  try {
    if (job.final ? tag[0] !== STREAM_TAG_FINAL : tag[0] !== STREAM_TAG_MESSAGE || cipher.length !== BLOB_SEALED) {
      return { failure: 'blob-truncated' }
    }
    const whole = plainLength - (plainLength % CHUNK)
    const written = whole > 0 ? sealBatch(key, job.counter, plain.subarray(0, whole), false, blobOut).length : 0
    writeFully(job.outFd, blobOut.subarray(0, written), job.outPos)
    return { written, tail: Uint8Array.from(plain.subarray(whole)) }
  } finally {
    plain.fill(0)
  }
}

// Reads one batch of sealed age chunks (job.inFd at job.inPos), opens it and writes the plaintext to job.outFd at
// job.outPos: decryption of a whole file without moving bytes between threads.
function openFileBatch(key, job) {
  fileSealed = fileSealed || Buffer.alloc(BATCH_CHUNKS * SEALED)
  filePlain = filePlain || Buffer.alloc(BATCH_CHUNKS * CHUNK)
  if (job.inLen > fileSealed.length) return { failure: 'internal' }
  const data = fileSealed.subarray(0, job.inLen)
  if (readFully(job.inFd, data, job.inPos) !== data.length) return { failure: 'changed' }
  const result = openBatch(key, job.counter, data, job.last, filePlain)
  if (result.failure) return result
  try {
    writeFully(job.outFd, filePlain.subarray(0, result.length), job.outPos)
  } finally {
    filePlain.fill(0, 0, result.length)
  }
  return { written: result.length }
}

// Seals one batch (transferred in, wiped and sent back) and writes the sealed chunks to job.outFd at job.outPos.
function sealFileBatch(key, job, data) {
  fileSealed = fileSealed || Buffer.alloc(BATCH_CHUNKS * SEALED)
  const { length } = sealBatch(key, job.counter, data, job.last, fileSealed)
  writeFully(job.outFd, fileSealed.subarray(0, length), job.outPos)
  return { written: length }
}

function failureOf(err) {
  const code = err && err.code
  if (code === 'ENOSPC') return 'nospace'
  if (typeof code === 'string') return 'io'
  return 'internal'
}

parentPort.on('message', (job) => {
  const key = Buffer.from(job.key)
  if (job.mode === 'reseal' || job.mode === 'open-file') {
    let result
    try {
      result = job.mode === 'reseal' ? resealBlobChunk(key, job) : openFileBatch(key, job)
    } catch (err) {
      result = { failure: failureOf(err) }
    } finally {
      key.fill(0)
      job.key.fill(0)
    }
    parentPort.postMessage({ id: job.id, written: result.written, tail: result.tail, failure: result.failure })
    if (result.tail) result.tail.fill(0)
    return
  }
  const data = Buffer.from(job.data, 0, job.length)
  let result
  try {
    result = job.mode === 'seal-file' ? sealFileBatch(key, job, data) : sealBatch(key, job.counter, data, job.last, Buffer.from(job.out))
  } catch (err) {
    result = { failure: failureOf(err) }
  } finally {
    key.fill(0)
    job.key.fill(0)
  }
  // Plaintext never waits in a free list: the sealed input is wiped here.
  data.fill(0)
  const transfer = job.out ? [job.data, job.out] : [job.data]
  parentPort.postMessage({ id: job.id, data: job.data, out: job.out, length: result.length, written: result.written, failure: result.failure }, transfer)
})
`

type Failure =
  | 'truncated'
  | 'empty-final'
  | 'boundary'
  | 'trailing'
  | 'auth'
  | 'changed'
  | 'internal'
  | 'blob-auth'
  | 'blob-truncated'
  | 'unavailable'
  | 'io'
  | 'nospace'

interface Pending {
  resolve: (reply: WorkerReply) => void
  reject: (err: unknown) => void
}

interface PoolWorker {
  worker: Worker
  inFlight: Set<number>
}

interface WorkerReply {
  id: number
  /** Batch jobs: the input and output buffers, moved back. */
  data?: ArrayBuffer
  out?: ArrayBuffer
  length?: number
  /** Reseal jobs: sealed bytes the worker wrote, and the plaintext tail it could not seal yet. */
  written?: number
  tail?: Uint8Array
  failure?: Failure
}

/** Where a reseal job reads one vault blob chunk and writes its sealed age chunks (open descriptors, positions). */
export interface ResealPlacement {
  readonly blobFd: number
  readonly outFd: number
  /** Byte offset in outFd of age payload chunk number `counter`. */
  readonly outPos: number
}

/** What reseal() returns once the worker has written the sealed chunks. */
export interface ResealedChunk {
  /** Sealed bytes written at the placement's outPos. */
  readonly written: number
  /** Plaintext after the last whole 64 KiB (final blob chunk only): copy it, then wipe it. */
  readonly tail: Buffer
}

const FAILURE_MESSAGES: Record<Failure, string> = {
  truncated: 'bundle payload is truncated',
  'empty-final': 'bundle payload ends with an empty chunk',
  boundary: 'bundle payload is truncated at a chunk boundary',
  trailing: 'bundle has data after its final chunk',
  auth: 'bundle payload failed authentication',
  changed: 'bundle changed while it was being read',
  internal: 'payload encryption failed',
  'blob-auth': 'an attachment in the vault failed authentication',
  'blob-truncated': 'an attachment in the vault is truncated',
  unavailable: 'the payload workers cannot load sodium-native',
  io: 'reading or writing a file failed',
  nospace: 'not enough disk space',
}

const FAILURE_CODES: Record<Failure, 'TAMPERED' | 'INTERNAL'> = {
  truncated: 'TAMPERED',
  'empty-final': 'TAMPERED',
  boundary: 'TAMPERED',
  trailing: 'TAMPERED',
  auth: 'TAMPERED',
  changed: 'TAMPERED',
  internal: 'INTERNAL',
  'blob-auth': 'TAMPERED',
  'blob-truncated': 'TAMPERED',
  unavailable: 'INTERNAL',
  io: 'INTERNAL',
  nospace: 'INTERNAL',
}

class PayloadPool {
  private readonly workers: PoolWorker[] = []
  private readonly pending = new Map<number, Pending>()
  private readonly free: ArrayBuffer[] = []
  /** Buffers lent to plaintext producers (see lend), recognised when they come back through encryptChunks. */
  private readonly lent = new WeakSet<ArrayBuffer>()
  private nextId = 1

  constructor(
    private readonly size: number,
    /** sodium-native's entry point for reseal jobs; null: this process cannot reseal (see canReseal). */
    private readonly sodiumPath: string | null,
  ) {}

  /** Whether workers can open vault blob chunks themselves (sodium-native is installed). */
  get canReseal(): boolean {
    return this.sodiumPath !== null
  }

  /** A pooled buffer of BATCH_CAPACITY bytes (contents undefined); give it back with release() when done. */
  acquire(): Buffer {
    const reused = this.free.pop()
    return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(BATCH_CAPACITY)
  }

  /**
   * Returns a buffer from acquire() or from run()'s result to the free list. `holdsPlaintext` wipes it first (filled
   * batches not sent, opened output); ciphertext is returned as is. Buffers of other sizes are ignored.
   */
  release(buf: Buffer, holdsPlaintext: boolean): void {
    const ab = buf.buffer
    if (!(ab instanceof ArrayBuffer) || ab.byteLength !== BATCH_CAPACITY || this.free.length >= MAX_FREE_BUFFERS) return
    if (holdsPlaintext) new Uint8Array(ab).fill(0)
    this.free.push(ab)
  }

  /**
   * A pooled buffer for a producer whose output is fed to encryptChunks (e.g. vault attachment chunks in an export):
   * encryptChunks hands it back through reclaim() once its bytes are copied into a batch, so a long export cycles a
   * few buffers instead of allocating one per MiB. Anything else holding it must be done with it by then.
   */
  lend(): Buffer {
    const buf = this.acquire()
    this.lent.add(buf.buffer as ArrayBuffer)
    return buf
  }

  /** Takes back (wiped) a buffer from lend(); returns false and does nothing for any other bytes. */
  reclaim(piece: Uint8Array): boolean {
    const ab = piece.buffer
    if (!(ab instanceof ArrayBuffer) || !this.lent.has(ab)) return false
    this.lent.delete(ab)
    this.release(Buffer.from(ab), true)
    return true
  }

  private spawn(): PoolWorker {
    // execArgv: [] — the worker needs only node built-ins, not the parent's loaders (tsx, inspector flags).
    // resourceLimits: a worker keeps only a few small objects alive (its buffers live outside the JS heap), and V8's
    // default young generation let each worker's RSS grow by ~10 MiB during an import (measured: 33 → 21 MiB).
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { sodiumPath: this.sodiumPath },
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 },
    })
    const entry: PoolWorker = { worker, inFlight: new Set() }
    worker.on('message', (msg: WorkerReply) => {
      entry.inFlight.delete(msg.id)
      // Idle workers must not keep the app (or a test run) alive; busy ones must, or a pending job could be dropped.
      if (entry.inFlight.size === 0) worker.unref()
      // The worker wiped sealed plaintext already; opened input is ciphertext.
      if (msg.data) this.release(Buffer.from(msg.data), false)
      const p = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      if (!p) return
      if (msg.failure === undefined) {
        p.resolve(msg)
        return
      }
      if (msg.out) this.release(Buffer.from(msg.out), true)
      p.reject(new CustodiaError(FAILURE_CODES[msg.failure], FAILURE_MESSAGES[msg.failure]))
    })
    const fail = (): void => {
      for (const id of entry.inFlight) {
        this.pending.get(id)?.reject(new CustodiaError('INTERNAL', 'payload worker stopped'))
        this.pending.delete(id)
      }
      const i = this.workers.indexOf(entry)
      if (i !== -1) this.workers.splice(i, 1)
    }
    worker.on('error', fail)
    worker.on('exit', fail)
    // unref only after the listeners are attached: adding a 'message' listener refs the worker's port again.
    worker.unref()
    this.workers.push(entry)
    return entry
  }

  private pick(): PoolWorker {
    const idle = this.workers.find((w) => w.inFlight.size === 0)
    if (idle) return idle
    if (this.workers.length < this.size) return this.spawn()
    return this.workers.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a))
  }

  /**
   * Seals one batch of plaintext (at most CHUNKS_PER_BATCH chunks of 64 KiB) whose first chunk has number `counter`;
   * `last` marks the batch holding the final chunk. `data` must start a buffer from acquire(), which moves to the
   * worker and back to the free list (wiped): do not use it afterwards. The result is a pooled buffer too: release()
   * it once written.
   */
  async seal(key: Uint8Array, counter: number, data: Buffer, last: boolean): Promise<Buffer> {
    checkPooled(data)
    const out = this.acquire()
    const reply = await this.dispatch({ mode: 'seal', counter, last, data: data.buffer, length: data.length, out: out.buffer }, key, [
      data.buffer as ArrayBuffer,
      out.buffer as ArrayBuffer,
    ])
    return Buffer.from(reply.out as ArrayBuffer, 0, reply.length)
  }

  /**
   * seal(), with the worker writing the sealed chunks to `outFd` at `outPos` itself instead of sending them back.
   * Resolves to the bytes written; `data` returns to the free list (wiped).
   */
  async sealInto(
    key: Uint8Array,
    counter: number,
    data: Buffer,
    last: boolean,
    placement: { outFd: number; outPos: number },
  ): Promise<number> {
    checkPooled(data)
    const reply = await this.dispatch({ mode: 'seal-file', counter, last, data: data.buffer, length: data.length, ...placement }, key, [
      data.buffer as ArrayBuffer,
    ])
    return reply.written ?? 0
  }

  /**
   * Opens one batch of sealed age chunks (at most CHUNKS_PER_BATCH, the first numbered `counter`; `last`: the batch
   * with the final chunk) read by the worker from `inFd` at `inPos`, and has the worker write the plaintext to `outFd`
   * at `outPos`: no bytes move between threads. Resolves to the plaintext bytes written. Failures reject TAMPERED
   * (authentication, truncation, trailing data, the file changing under it) or INTERNAL (I/O).
   */
  async openInto(
    key: Uint8Array,
    counter: number,
    last: boolean,
    placement: { inFd: number; inPos: number; inLen: number; outFd: number; outPos: number },
  ): Promise<number> {
    const reply = await this.dispatch({ mode: 'open-file', counter, last, ...placement }, key, [])
    return reply.written ?? 0
  }

  /**
   * Reads one vault blob chunk (DetachedBlobChunk: its place in the blob and the state that opens it), opens it and
   * seals its plaintext as age payload chunks numbered from `counter`, written straight to the output file, all in
   * one job on one worker: no bytes move between threads but the plaintext tail after the last whole 64 KiB (only the
   * final blob chunk has one). A chunk that fails authentication, or whose tag is not what `final` says, rejects with
   * TAMPERED. Both descriptors must stay open until the job settles.
   */
  async reseal(
    key: Uint8Array,
    counter: number,
    chunk: DetachedBlobChunk,
    chunkAd: Uint8Array,
    placement: ResealPlacement,
  ): Promise<ResealedChunk> {
    if (!this.canReseal) throw new CustodiaError('INTERNAL', 'sodium-native is not available to the payload workers')
    const state = Uint8Array.from(chunk.state)
    chunk.state.fill(0)
    const job = {
      mode: 'reseal',
      counter,
      final: chunk.final,
      state,
      ad: Uint8Array.from(chunkAd),
      blobFd: placement.blobFd,
      cipherPos: chunk.position,
      cipherLen: chunk.length,
      outFd: placement.outFd,
      outPos: placement.outPos,
    }
    const reply = await this.dispatch(job, key, [])
    const tail = reply.tail ?? new Uint8Array(0)
    // A view, not a copy: the caller wipes the one copy of that plaintext.
    return { written: reply.written ?? 0, tail: Buffer.from(tail.buffer, tail.byteOffset, tail.length) }
  }

  /** Posts a job to a worker; the key (and a reseal's state) are copied into the message and wiped here. */
  private dispatch(job: Record<string, unknown>, key: Uint8Array, transfer: ArrayBuffer[]): Promise<WorkerReply> {
    const entry = this.pick()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      entry.inFlight.add(id)
      if (entry.inFlight.size === 1) entry.worker.ref()
      const keyCopy = Uint8Array.from(key)
      entry.worker.postMessage({ ...job, id, key: keyCopy }, transfer)
      keyCopy.fill(0)
      if (job['state'] instanceof Uint8Array) job['state'].fill(0)
    })
  }

  /** Batches worth keeping in flight so every worker has the next one queued while the caller fills another. */
  get batchesInFlight(): number {
    return 2 * this.size + 1
  }
}

function checkPooled(data: Buffer): void {
  if (!(data.buffer instanceof ArrayBuffer) || data.byteOffset !== 0 || data.buffer.byteLength !== BATCH_CAPACITY) {
    throw new CustodiaError('INTERNAL', 'payload batch must be a pooled buffer')
  }
}

let shared: PayloadPool | undefined

/**
 * The number of payload workers: one per core, at most 4. The main thread only reads, tars and writes (a vault
 * attachment is decrypted in the workers too, see reseal), so it needs no core of its own; measured on 2 cores, a
 * 900 MiB export took 1.42 s with two workers and 1.63 s with one. CUSTODIA_PAYLOAD_WORKERS overrides it (benchmarks).
 */
function choosePoolSize(): number {
  const override = Number(process.env.CUSTODIA_PAYLOAD_WORKERS)
  if (Number.isInteger(override) && override >= 1 && override <= 16) return override
  return Math.max(1, Math.min(4, os.availableParallelism()))
}

/** The process-wide pool, created lazily. */
export function getPayloadPool(): PayloadPool {
  shared ??= new PayloadPool(choosePoolSize(), resolveNativeSodium())
  return shared
}
