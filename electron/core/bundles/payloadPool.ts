// Main process (Node only): worker threads that seal/open age payload chunks (ChaCha20-Poly1305, 64 KiB chunks) off
// the main thread. Chunks are independent once their counter is known, so batches go to idle workers and come back in
// order while the main thread keeps reading, tarring and writing.
// Batch buffers circulate: the caller fills a pooled input buffer, its ArrayBuffer and a pooled output buffer are
// transferred (moved, not copied) to a worker and back, and both return to a free list. Fresh 1 MiB allocations per
// batch made the kernel zero-fill new pages for every MiB and let RSS climb until the next GC; recycling keeps the
// payload path at a fixed few MiB.
// Workers run from an inline CommonJS source (eval) so the same code works under tsx, vitest and the bundled app.
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { CustodiaError } from '../../../shared/errors'
import { resolveNativeSodium } from '../crypto/sodium'

/** age payload chunk (plaintext) and its Poly1305 tag. */
const CHUNK_SIZE = 64 * 1024
const TAG_SIZE = 16
/** Plaintext chunks per batch: 16 × 64 KiB = 1 MiB, large enough that messaging costs are negligible. */
export const CHUNKS_PER_BATCH = 16
/** Capacity of every pooled buffer: one batch of sealed chunks (the larger of the two directions). */
export const BATCH_CAPACITY = CHUNKS_PER_BATCH * (CHUNK_SIZE + TAG_SIZE)
/** Free buffers kept for reuse; more are allocated on demand and left to the GC. */
const MAX_FREE_BUFFERS = 32

const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
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
let blobPlain = null

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

// Opens one vault blob chunk with the state that opens it (openDetachedBlob) and seals its whole 64 KiB pieces as age
// chunks from job.counter on; the plaintext tail (< 64 KiB, last blob chunk only) follows the sealed bytes in out.
function resealBlobChunk(key, job, cipher, out) {
  if (sodium === null) return { failure: 'unavailable' }
  const plainLength = cipher.length - 17
  if (plainLength < 0 || plainLength > BLOB_CHUNK) return { failure: 'blob-truncated' }
  blobPlain = blobPlain || Buffer.alloc(BLOB_CHUNK)
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
    const length = whole > 0 ? sealBatch(key, job.counter, plain.subarray(0, whole), false, out).length : 0
    plain.copy(out, length, whole)
    return { length, tail: plainLength - whole }
  } finally {
    plain.fill(0)
  }
}

parentPort.on('message', (job) => {
  const key = Buffer.from(job.key)
  const data = Buffer.from(job.data, 0, job.length)
  const out = Buffer.from(job.out)
  let result
  try {
    if (job.mode === 'seal') result = sealBatch(key, job.counter, data, job.last, out)
    else if (job.mode === 'open') result = openBatch(key, job.counter, data, job.last, out)
    else result = resealBlobChunk(key, job, data, out)
  } catch (err) {
    result = { failure: 'internal' }
  } finally {
    key.fill(0)
    job.key.fill(0)
  }
  // Plaintext never waits in a free list: sealed input is wiped here, opened output is wiped by the owner on release.
  if (job.mode === 'seal') data.fill(0)
  parentPort.postMessage({ id: job.id, data: job.data, out: job.out, length: result.length, tail: result.tail, failure: result.failure }, [job.data, job.out])
})
`

type Failure = 'truncated' | 'empty-final' | 'boundary' | 'trailing' | 'auth' | 'internal' | 'blob-auth' | 'blob-truncated' | 'unavailable'

interface Pending {
  resolve: (result: { out: Buffer; length: number; tail: number }) => void
  reject: (err: unknown) => void
}

interface PoolWorker {
  worker: Worker
  inFlight: Set<number>
}

interface WorkerReply {
  id: number
  data: ArrayBuffer
  out: ArrayBuffer
  length?: number
  tail?: number
  failure?: Failure
}

/** What reseal() returns: sealed age chunks, then (last blob chunk only) plaintext still to be sealed. */
export interface ResealedChunk {
  /** Pooled: release() it once written. */
  readonly sealed: Buffer
  /** Plaintext after the last whole 64 KiB: copy it, then wipe it (it lives in the same pooled buffer). */
  readonly tail: Buffer
}

const FAILURE_MESSAGES: Record<Failure, string> = {
  truncated: 'bundle payload is truncated',
  'empty-final': 'bundle payload ends with an empty chunk',
  boundary: 'bundle payload is truncated at a chunk boundary',
  trailing: 'bundle has data after its final chunk',
  auth: 'bundle payload failed authentication',
  internal: 'payload encryption failed',
  'blob-auth': 'an attachment in the vault failed authentication',
  'blob-truncated': 'an attachment in the vault is truncated',
  unavailable: 'the payload workers cannot load sodium-native',
}

const FAILURE_CODES: Record<Failure, 'TAMPERED' | 'INTERNAL'> = {
  truncated: 'TAMPERED',
  'empty-final': 'TAMPERED',
  boundary: 'TAMPERED',
  trailing: 'TAMPERED',
  auth: 'TAMPERED',
  internal: 'INTERNAL',
  'blob-auth': 'TAMPERED',
  'blob-truncated': 'TAMPERED',
  unavailable: 'INTERNAL',
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { sodiumPath: this.sodiumPath } })
    const entry: PoolWorker = { worker, inFlight: new Set() }
    worker.on('message', (msg: WorkerReply) => {
      entry.inFlight.delete(msg.id)
      // Idle workers must not keep the app (or a test run) alive; busy ones must, or a pending job could be dropped.
      if (entry.inFlight.size === 0) worker.unref()
      // The worker wiped sealed plaintext already; opened input is ciphertext.
      this.release(Buffer.from(msg.data), false)
      const p = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      if (!p) return
      if (msg.failure === undefined && msg.length !== undefined) {
        p.resolve({ out: Buffer.from(msg.out), length: msg.length, tail: msg.tail ?? 0 })
        return
      }
      this.release(Buffer.from(msg.out), true)
      const failure = msg.failure ?? 'internal'
      p.reject(new CustodiaError(FAILURE_CODES[failure], FAILURE_MESSAGES[failure]))
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
   * Seals (mode 'seal': `data` is plaintext, 64 KiB chunks) or opens (mode 'open': `data` is sealed chunks of
   * 64 KiB + 16) one batch of at most CHUNKS_PER_BATCH chunks whose first chunk has number `counter`; `last` marks
   * the batch holding the final chunk. `data` must start a buffer from acquire(), which moves to the worker and back
   * to the free list: do not use it afterwards. The result is a pooled buffer too: release() it once written
   * (holding plaintext after 'open').
   * Open failures reject with TAMPERED.
   */
  async run(mode: 'seal' | 'open', key: Uint8Array, counter: number, data: Buffer, last: boolean): Promise<Buffer> {
    const { out, length } = await this.dispatch({ mode, counter, last }, key, data)
    return out.subarray(0, length)
  }

  /**
   * Opens one vault blob chunk (DetachedBlobChunk: its state and ciphertext, the ciphertext in a pooled buffer that
   * moves to the worker) and seals its plaintext as age payload chunks numbered from `counter`, in one job: the
   * plaintext never leaves the worker but for the tail after the last whole 64 KiB (only the final blob chunk has
   * one). A chunk that fails authentication, or whose tag is not what `final` says, rejects with TAMPERED.
   */
  async reseal(key: Uint8Array, counter: number, chunk: { state: Buffer; cipher: Buffer; final: boolean }, chunkAd: Uint8Array): Promise<ResealedChunk> {
    if (!this.canReseal) throw new CustodiaError('INTERNAL', 'sodium-native is not available to the payload workers')
    const state = Uint8Array.from(chunk.state)
    chunk.state.fill(0)
    const { out, length, tail } = await this.dispatch({ mode: 'reseal', counter, last: false, final: chunk.final, state, ad: Uint8Array.from(chunkAd) }, key, chunk.cipher)
    return { sealed: out.subarray(0, length), tail: out.subarray(length, length + tail) }
  }

  private dispatch(job: Record<string, unknown>, key: Uint8Array, data: Buffer): Promise<{ out: Buffer; length: number; tail: number }> {
    if (!(data.buffer instanceof ArrayBuffer) || data.byteOffset !== 0 || data.buffer.byteLength !== BATCH_CAPACITY) {
      throw new CustodiaError('INTERNAL', 'payload batch must be a pooled buffer')
    }
    const out = this.acquire()
    const entry = this.pick()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      entry.inFlight.add(id)
      if (entry.inFlight.size === 1) entry.worker.ref()
      // Structured clone copies the key (and a reseal's state) into the message; the worker wipes its copies.
      const keyCopy = Uint8Array.from(key)
      const message = { ...job, id, key: keyCopy, data: data.buffer, length: data.length, out: out.buffer }
      entry.worker.postMessage(message, [data.buffer as ArrayBuffer, out.buffer as ArrayBuffer])
      keyCopy.fill(0)
      if (job['state'] instanceof Uint8Array) job['state'].fill(0)
    })
  }

  /** Batches worth keeping in flight so every worker has the next one queued while the caller fills another. */
  get batchesInFlight(): number {
    return 2 * this.size + 1
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
