// Main process (Node only): worker threads that seal/open age payload chunks (ChaCha20-Poly1305, 64 KiB chunks) in
// parallel. Chunks are independent once their counter is known, so ~1 MiB batches go to idle workers and come back
// in order; the main thread keeps reading, tarring and writing meanwhile.
// Workers run from an inline CommonJS source (eval) so the same code works under tsx, vitest and the bundled app.
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { CustodiaError } from '../../../shared/errors'

/** Plaintext chunks per batch: 16 × 64 KiB = 1 MiB, large enough that messaging costs are negligible. */
export const CHUNKS_PER_BATCH = 16

const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort } = require('node:worker_threads')
const crypto = require('node:crypto')
const CHUNK = 65536
const TAG = 16
const SEALED = CHUNK + TAG

// age payload nonce: 11-byte big-endian chunk counter, then 0x01 for the last chunk or 0x00.
function makeNonce(counter, last) {
  const n = Buffer.alloc(12)
  n.writeUInt32BE(Math.floor(counter / 4294967296), 3)
  n.writeUInt32BE(counter >>> 0, 7)
  n[11] = last ? 1 : 0
  return n
}

function openChunk(key, counter, last, sealed) {
  if (sealed.length < TAG) return null
  const d = crypto.createDecipheriv('chacha20-poly1305', key, makeNonce(counter, last), { authTagLength: TAG })
  d.setAuthTag(sealed.subarray(sealed.length - TAG))
  const plain = d.update(sealed.subarray(0, sealed.length - TAG))
  try {
    d.final()
    return plain
  } catch {
    plain.fill(0)
    return null
  }
}

function sealBatch(key, counter, data, lastBatch) {
  const count = Math.max(1, Math.ceil(data.length / CHUNK))
  const out = Buffer.allocUnsafeSlow(data.length + count * TAG)
  let o = 0
  for (let i = 0; i < count; i++) {
    const plain = data.subarray(i * CHUNK, Math.min(data.length, (i + 1) * CHUNK))
    const nonce = makeNonce(counter + i, lastBatch && i === count - 1)
    const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
    o += c.update(plain).copy(out, o)
    c.final()
    o += c.getAuthTag().copy(out, o)
  }
  return { out }
}

function openBatch(key, counter, data, lastBatch) {
  const count = Math.ceil(data.length / SEALED)
  const plainLen = data.length - count * TAG
  if (count === 0 || plainLen < 0) return { failure: 'truncated' }
  const out = Buffer.allocUnsafeSlow(plainLen)
  let o = 0
  for (let i = 0; i < count; i++) {
    const index = counter + i
    const last = lastBatch && i === count - 1
    const sealed = data.subarray(i * SEALED, Math.min(data.length, (i + 1) * SEALED))
    if (sealed.length < TAG) return { failure: 'truncated' }
    if (last && index > 0 && sealed.length === TAG) return { failure: 'empty-final' }
    const plain = openChunk(key, index, last, sealed)
    if (!plain) {
      out.fill(0)
      // Only for a precise message: the other flag tells truncation at a chunk boundary from data after the end.
      if (last && sealed.length === SEALED && openChunk(key, index, false, sealed)) return { failure: 'boundary' }
      if (!last && openChunk(key, index, true, sealed)) return { failure: 'trailing' }
      return { failure: 'auth' }
    }
    o += plain.copy(out, o)
  }
  return { out }
}

parentPort.on('message', (job) => {
  const key = Buffer.from(job.key)
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength)
  let result
  try {
    result = job.mode === 'seal' ? sealBatch(key, job.counter, data, job.last) : openBatch(key, job.counter, data, job.last)
  } catch (err) {
    result = { failure: 'internal' }
  } finally {
    key.fill(0)
    job.key.fill(0)
  }
  if (job.mode === 'seal') data.fill(0)
  if (result.out) parentPort.postMessage({ id: job.id, out: result.out }, [result.out.buffer])
  else parentPort.postMessage({ id: job.id, failure: result.failure })
})
`

type Failure = 'truncated' | 'empty-final' | 'boundary' | 'trailing' | 'auth' | 'internal'

interface Pending {
  resolve: (out: Buffer) => void
  reject: (err: unknown) => void
}

interface PoolWorker {
  worker: Worker
  inFlight: Set<number>
}

const FAILURE_MESSAGES: Record<Failure, string> = {
  truncated: 'bundle payload is truncated',
  'empty-final': 'bundle payload ends with an empty chunk',
  boundary: 'bundle payload is truncated at a chunk boundary',
  trailing: 'bundle has data after its final chunk',
  auth: 'bundle payload failed authentication',
  internal: 'payload encryption failed',
}

class PayloadPool {
  private readonly workers: PoolWorker[] = []
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly size: number) {}

  private spawn(): PoolWorker {
    // execArgv: [] — the worker needs only node built-ins, not the parent's loaders (tsx, inspector flags).
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] })
    const entry: PoolWorker = { worker, inFlight: new Set() }
    worker.on('message', (msg: { id: number; out?: Uint8Array; failure?: Failure }) => {
      entry.inFlight.delete(msg.id)
      // Idle workers must not keep the app (or a test run) alive; busy ones must, or a pending job could be dropped.
      if (entry.inFlight.size === 0) worker.unref()
      const p = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      if (!p) return
      if (msg.out) p.resolve(Buffer.from(msg.out.buffer, msg.out.byteOffset, msg.out.byteLength))
      else {
        const failure = msg.failure ?? 'internal'
        p.reject(new CustodiaError(failure === 'internal' ? 'INTERNAL' : 'TAMPERED', FAILURE_MESSAGES[failure]))
      }
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
   * 64 KiB + 16) one batch whose first chunk has number `counter`; `last` marks the batch holding the final chunk.
   * `data`'s ArrayBuffer is transferred (unusable afterwards). Open failures reject with TAMPERED.
   */
  run(mode: 'seal' | 'open', key: Uint8Array, counter: number, data: Buffer, last: boolean): Promise<Buffer> {
    // Transferring a view of Node's shared allocation pool would detach it for everyone: copy such input first.
    if (data.byteOffset !== 0 || data.buffer.byteLength !== data.byteLength) {
      const own = allocateTransferable(data.length)
      data.copy(own)
      data = own
    }
    const entry = this.pick()
    const id = this.nextId++
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      entry.inFlight.add(id)
      if (entry.inFlight.size === 1) entry.worker.ref()
      const keyCopy = Uint8Array.from(key)
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      entry.worker.postMessage({ id, mode, key: keyCopy, counter, data: view, last }, [view.buffer as ArrayBuffer])
    })
  }

  get parallelism(): number {
    return this.size
  }
}

let shared: PayloadPool | undefined

/** The process-wide pool: one worker per core (at most 4), created lazily. */
export function getPayloadPool(): PayloadPool {
  shared ??= new PayloadPool(Math.max(1, Math.min(4, os.availableParallelism())))
  return shared
}

/** A buffer with its own ArrayBuffer (not Node's shared pool), so it can be transferred to a worker. */
export function allocateTransferable(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size)
}
