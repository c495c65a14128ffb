// Main process (Node only): age v1 (https://age-encryption.org/v1) on node:crypto — X25519 and scrypt recipients,
// streaming encryption, and decryption into a temp file that is released only after the whole file authenticated.
// Why our own: the age-encryption npm package runs at ~50 MiB/s; OpenSSL's ChaCha20-Poly1305 here runs > 1 GiB/s,
// and payload chunks are sealed/opened in parallel by worker threads (payloadPool.ts).
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { CustodiaError } from '../../../../../shared/errors'
import { decodeBech32, encodeBech32 } from './bech32'
import { STREAM_ABYTES } from '../sodium'
import { readAt, type DetachedBlobChunk } from '../streams'
import { CHUNKS_PER_BATCH, getPayloadPool } from './payloadPool'

export const AGE_VERSION_LINE = 'age-encryption.org/v1'
/** Plaintext bytes per payload chunk (spec: 64 KiB); each ciphertext chunk adds a 16-byte Poly1305 tag. */
export const AGE_CHUNK_SIZE = 64 * 1024
const TAG_SIZE = 16
const SEALED_CHUNK_SIZE = AGE_CHUNK_SIZE + TAG_SIZE
const PAYLOAD_NONCE_SIZE = 16
const FILE_KEY_SIZE = 16
/** Hostile-input bounds for the textual header (our choice; the spec sets none). */
export const MAX_HEADER_BYTES = 64 * 1024
export const MAX_HEADER_LINE = 4096
/** scrypt N = 2^logN with r = 8 needs 128·r·N bytes: 2^22 is 4 GiB, the most we let a file ask of us. */
export const MAX_SCRYPT_LOG2 = 22
export const DEFAULT_SCRYPT_LOG2 = 18
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt'
const X25519_LABEL = 'age-encryption.org/v1/X25519'
const IDENTITY_HRP = 'age-secret-key-'
const RECIPIENT_HRP = 'age'
const ZERO_NONCE = Buffer.alloc(12)
// DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 / SPKI (RFC 8410), so OpenSSL can use it.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')
const BATCH_BYTES = CHUNKS_PER_BATCH * AGE_CHUNK_SIZE

export type AgeRecipients = { readonly x25519: readonly string[] } | { readonly passphrase: Uint8Array; readonly scryptWorkFactor?: number }

export interface AgeKeys {
  /** `AGE-SECRET-KEY-1…` strings or raw 32-byte X25519 secret keys. */
  readonly identities?: readonly (string | Uint8Array)[]
  readonly passphrase?: Uint8Array
}

export interface AgeStanza {
  readonly type: string
  readonly args: readonly string[]
  readonly body: Buffer
}

export interface AgeHeader {
  readonly stanzas: readonly AgeStanza[]
  /** Header bytes covered by the MAC: everything up to and including the `---` of the last line. */
  readonly macInput: Buffer
  readonly mac: Buffer
  /** Length of the whole header including the MAC line's LF; the payload nonce starts here. */
  readonly length: number
}

export interface X25519Identity {
  /** 32 random bytes; zero it when done. */
  readonly secretKey: Buffer
  readonly publicKey: Buffer
  /** `age1…` text of the public key. */
  readonly recipient: string
}

// ---------------------------------------------------------------- encodings

/** Standard base64 without padding, as the age header uses. */
function encodeB64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64').replace(/=+$/, '')
}

/** Strict unpadded base64: alphabet only, canonical (re-encodes to the same text), else VALIDATION. */
function decodeB64Strict(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) failHeader(`${what} is not valid base64`)
  const out = Buffer.from(text, 'base64')
  if (encodeB64(out) !== text) failHeader(`${what} is not canonical base64`)
  return out
}

function failHeader(reason: string): never {
  throw new CustodiaError('VALIDATION', `malformed age header: ${reason}`)
}

// ---------------------------------------------------------------- primitives

function deriveKey(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', ikm, salt, info, 32))
}

function sealChaCha(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE })
  const head = c.update(plaintext)
  const tail = c.final()
  return Buffer.concat([head, tail, c.getAuthTag()])
}

/** Returns the plaintext, or null when the tag does not verify. */
function openChaCha(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Buffer | null {
  if (sealed.length < TAG_SIZE) return null
  const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE })
  d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE))
  const head = d.update(sealed.subarray(0, sealed.length - TAG_SIZE))
  try {
    const tail = d.final()
    return tail.length ? Buffer.concat([head, tail]) : head
  } catch {
    head.fill(0)
    return null
  }
}

function importX25519Secret(secret: Uint8Array): crypto.KeyObject {
  if (secret.length !== 32) throw new CustodiaError('VALIDATION', 'X25519 secret key must be 32 bytes')
  return crypto.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' })
}

function importX25519Public(publicKey: Uint8Array): crypto.KeyObject {
  if (publicKey.length !== 32) throw new CustodiaError('VALIDATION', 'X25519 public key must be 32 bytes')
  return crypto.createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
}

/** X25519 public key (32 bytes) of a 32-byte secret (RFC 7748; clamping is done by OpenSSL). */
export function deriveX25519PublicKey(secretKey: Uint8Array): Buffer {
  const der = crypto.createPublicKey(importX25519Secret(secretKey)).export({ format: 'der', type: 'spki' })
  return Buffer.from(der.subarray(X25519_SPKI_PREFIX.length))
}

/**
 * X25519(secret, public) → 32-byte shared secret. Returns null for a low-order public key (all-zero result), which
 * age requires to be rejected.
 */
export function computeX25519(secretKey: Uint8Array, publicKey: Uint8Array): Buffer | null {
  let shared: Buffer
  try {
    shared = crypto.diffieHellman({ privateKey: importX25519Secret(secretKey), publicKey: importX25519Public(publicKey) })
  } catch {
    // OpenSSL refuses to output an all-zero X25519 result itself.
    return null
  }
  return shared.every((b) => b === 0) ? null : shared
}

async function deriveScryptKey(passphrase: Uint8Array, salt: Uint8Array, logN: number): Promise<Buffer> {
  const N = 2 ** logN
  const label = Buffer.concat([Buffer.from(SCRYPT_LABEL, 'latin1'), salt])
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase, label, 32, { N, r: 8, p: 1, maxmem: 128 * 8 * N + 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(new CustodiaError('INTERNAL', 'scrypt key derivation failed')) : resolve(key),
    )
  })
}

// ---------------------------------------------------------------- keys

/** A fresh X25519 identity from the OS CSPRNG. */
export function generateX25519Identity(): X25519Identity {
  const secretKey = crypto.randomBytes(32)
  const publicKey = deriveX25519PublicKey(secretKey)
  return { secretKey, publicKey, recipient: encodeBech32(RECIPIENT_HRP, publicKey) }
}

/** `AGE-SECRET-KEY-1…` (uppercase bech32) text of a 32-byte secret: for key files handed to the age CLI. */
export function encodeX25519Identity(secretKey: Uint8Array): string {
  if (secretKey.length !== 32) throw new CustodiaError('VALIDATION', 'X25519 secret key must be 32 bytes')
  return encodeBech32(IDENTITY_HRP, secretKey).toUpperCase()
}

/** Parses `AGE-SECRET-KEY-1…` into its 32-byte secret; VALIDATION if it is anything else. */
export function decodeX25519Identity(text: string): Buffer {
  const { hrp, data } = decodeBech32(text.trim())
  if (hrp !== IDENTITY_HRP || data.length !== 32) {
    throw new CustodiaError('VALIDATION', 'not an age X25519 identity (AGE-SECRET-KEY-1…)')
  }
  return Buffer.from(data)
}

/** `age1…` text of a 32-byte X25519 public key. */
export function encodeX25519Recipient(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new CustodiaError('VALIDATION', 'X25519 public key must be 32 bytes')
  return encodeBech32(RECIPIENT_HRP, publicKey)
}

/** Parses `age1…` into its 32-byte public key; VALIDATION otherwise (post-quantum `age1pq1…` is not supported). */
export function decodeX25519Recipient(text: string): Buffer {
  const { hrp, data } = decodeBech32(text.trim())
  if (hrp !== RECIPIENT_HRP || data.length !== 32) {
    throw new CustodiaError('VALIDATION', 'not an age X25519 recipient (age1…)')
  }
  return Buffer.from(data)
}

/** Identities from an age key file (as written by age-keygen): one per line, `#` comments and blank lines skipped. */
export function parseIdentityFile(text: string): Buffer[] {
  const out: Buffer[] = []
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) continue
    out.push(decodeX25519Identity(t))
  }
  if (out.length === 0) throw new CustodiaError('VALIDATION', 'key file holds no identity')
  return out
}

// ---------------------------------------------------------------- header

function encodeStanza(stanza: AgeStanza): string {
  const b64 = encodeB64(stanza.body)
  const lines: string[] = []
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64))
  // The body's last line must be shorter than 64 columns, so a full last line is followed by an empty one.
  if (b64.length % 64 === 0) lines.push('')
  return `-> ${[stanza.type, ...stanza.args].join(' ')}\n${lines.map((l) => `${l}\n`).join('')}`
}

function wrapForX25519(fileKey: Buffer, recipientKey: Buffer): AgeStanza {
  const ephemeral = crypto.randomBytes(32)
  try {
    const share = deriveX25519PublicKey(ephemeral)
    const shared = computeX25519(ephemeral, recipientKey)
    if (!shared) throw new CustodiaError('VALIDATION', 'recipient is a low-order X25519 point')
    const wrapKey = deriveKey(shared, Buffer.concat([share, recipientKey]), X25519_LABEL)
    shared.fill(0)
    const body = sealChaCha(wrapKey, ZERO_NONCE, fileKey)
    wrapKey.fill(0)
    return { type: 'X25519', args: [encodeB64(share)], body }
  } finally {
    ephemeral.fill(0)
  }
}

async function wrapForPassphrase(fileKey: Buffer, passphrase: Uint8Array, logN: number): Promise<AgeStanza> {
  const salt = crypto.randomBytes(16)
  const key = await deriveScryptKey(passphrase, salt, logN)
  const body = sealChaCha(key, ZERO_NONCE, fileKey)
  key.fill(0)
  return { type: 'scrypt', args: [encodeB64(salt), String(logN)], body }
}

async function buildHeader(fileKey: Buffer, recipients: AgeRecipients): Promise<Buffer> {
  const stanzas: AgeStanza[] = []
  if ('passphrase' in recipients) {
    const logN = recipients.scryptWorkFactor ?? DEFAULT_SCRYPT_LOG2
    if (!Number.isInteger(logN) || logN < 1 || logN > MAX_SCRYPT_LOG2) {
      throw new CustodiaError('VALIDATION', `scrypt work factor must be an integer 1..${MAX_SCRYPT_LOG2}`)
    }
    if (recipients.passphrase.length === 0) throw new CustodiaError('VALIDATION', 'passphrase is empty')
    stanzas.push(await wrapForPassphrase(fileKey, recipients.passphrase, logN))
  } else {
    if (recipients.x25519.length === 0) throw new CustodiaError('VALIDATION', 'at least one recipient is required')
    for (const r of recipients.x25519) stanzas.push(wrapForX25519(fileKey, decodeX25519Recipient(r)))
  }
  const text = `${AGE_VERSION_LINE}\n${stanzas.map(encodeStanza).join('')}---`
  const macKey = deriveKey(fileKey, Buffer.alloc(0), 'header')
  const mac = crypto.createHmac('sha256', macKey).update(text, 'latin1').digest()
  macKey.fill(0)
  return Buffer.from(`${text} ${encodeB64(mac)}\n`, 'latin1')
}

function checkKnownStanza(s: AgeStanza): void {
  if (s.type === 'X25519') {
    if (s.args.length !== 1) failHeader('X25519 stanza must have one argument')
    if (decodeB64Strict(s.args[0] as string, 'X25519 share').length !== 32) failHeader('X25519 share must be 32 bytes')
    if (s.body.length !== 32) failHeader('X25519 stanza body must be 32 bytes')
  } else if (s.type === 'scrypt') {
    if (s.args.length !== 2) failHeader('scrypt stanza must have two arguments')
    if (decodeB64Strict(s.args[0] as string, 'scrypt salt').length !== 16) failHeader('scrypt salt must be 16 bytes')
    const logText = s.args[1] as string
    if (!/^[1-9][0-9]{0,2}$/.test(logText)) failHeader('scrypt work factor is not a decimal number')
    if (Number(logText) > MAX_SCRYPT_LOG2) {
      throw new CustodiaError('UNSUPPORTED', `scrypt work factor above 2^${MAX_SCRYPT_LOG2} is refused`)
    }
    if (s.body.length !== 32) failHeader('scrypt stanza body must be 32 bytes')
  }
}

/**
 * Parses an age v1 header from the start of `buf`. `complete` says `buf` holds the whole file (so a missing line end
 * means truncation rather than an oversized header). Strict: printable ASCII only, lines ≤ MAX_HEADER_LINE, header ≤
 * MAX_HEADER_BYTES, canonical unpadded base64, body lines of 64 columns with a shorter last line, at least one stanza,
 * a scrypt stanza only alone, known stanza types well formed.
 * Errors: UNSUPPORTED (other age version, scrypt work factor > 2^22), TAMPERED (truncated), VALIDATION (anything else).
 */
export function parseAgeHeader(buf: Buffer, complete: boolean): AgeHeader {
  let pos = 0
  const limit = Math.min(buf.length, MAX_HEADER_BYTES)
  const readLine = (): string => {
    const end = buf.indexOf(0x0a, pos)
    if (end === -1 || end >= limit) {
      if (limit - pos > MAX_HEADER_LINE) failHeader('line too long')
      if (complete && buf.length <= MAX_HEADER_BYTES) {
        throw new CustodiaError('TAMPERED', 'bundle is truncated inside the age header')
      }
      throw new CustodiaError('VALIDATION', `malformed age header: larger than ${MAX_HEADER_BYTES / 1024} KiB`)
    }
    if (end - pos > MAX_HEADER_LINE) failHeader('line too long')
    for (let i = pos; i < end; i++) {
      const c = buf[i] as number
      if (c < 0x20 || c > 0x7e) failHeader('non-printable byte')
    }
    const line = buf.toString('latin1', pos, end)
    pos = end + 1
    return line
  }

  const version = readLine()
  if (version !== AGE_VERSION_LINE) {
    if (version.startsWith('age-encryption.org/')) throw new CustodiaError('UNSUPPORTED', 'unknown age format version')
    throw new CustodiaError('VALIDATION', 'not an age-encrypted file')
  }
  const stanzas: AgeStanza[] = []
  for (;;) {
    const lineStart = pos
    const line = readLine()
    if (line.startsWith('---')) {
      const m = /^--- ([A-Za-z0-9+/]{43})$/.exec(line)
      if (!m) failHeader('bad MAC line')
      const mac = decodeB64Strict(m[1] as string, 'header MAC')
      if (stanzas.length === 0) failHeader('no recipient stanza')
      if (stanzas.some((s) => s.type === 'scrypt') && stanzas.length > 1) {
        failHeader('a scrypt stanza must be the only stanza')
      }
      return { stanzas, macInput: buf.subarray(0, lineStart + 3), mac, length: pos }
    }
    if (!line.startsWith('-> ')) failHeader('expected a stanza or the MAC line')
    const args = line.slice(3).split(' ')
    if (args.some((a) => a.length === 0)) failHeader('empty stanza argument')
    const bodyLines: string[] = []
    for (;;) {
      const bl = readLine()
      if (bl.length > 64) failHeader('stanza body line longer than 64 columns')
      bodyLines.push(bl)
      if (bl.length < 64) break
    }
    const stanza: AgeStanza = {
      type: args[0] as string,
      args: args.slice(1),
      body: decodeB64Strict(bodyLines.join(''), 'stanza body'),
    }
    checkKnownStanza(stanza)
    stanzas.push(stanza)
  }
}

async function unwrapFileKey(header: AgeHeader, keys: AgeKeys): Promise<Buffer> {
  const scrypt = header.stanzas.find((s) => s.type === 'scrypt')
  if (scrypt) {
    if (!keys.passphrase) throw new CustodiaError('WRONG_PASSPHRASE', 'bundle is protected by a passphrase')
    const key = await deriveScryptKey(keys.passphrase, decodeB64Strict(scrypt.args[0] as string, 'scrypt salt'), Number(scrypt.args[1]))
    const fileKey = openChaCha(key, ZERO_NONCE, scrypt.body)
    key.fill(0)
    if (!fileKey || fileKey.length !== FILE_KEY_SIZE) throw new CustodiaError('WRONG_PASSPHRASE', 'wrong passphrase')
    return fileKey
  }
  const secrets = (keys.identities ?? []).map((id) => (typeof id === 'string' ? decodeX25519Identity(id) : Buffer.from(id)))
  try {
    for (const secret of secrets) {
      const ours = deriveX25519PublicKey(secret)
      for (const s of header.stanzas) {
        if (s.type !== 'X25519') continue
        const share = decodeB64Strict(s.args[0] as string, 'X25519 share')
        const shared = computeX25519(secret, share)
        if (!shared) throw new CustodiaError('VALIDATION', 'malformed age header: low-order X25519 share')
        const wrapKey = deriveKey(shared, Buffer.concat([share, ours]), X25519_LABEL)
        shared.fill(0)
        const fileKey = openChaCha(wrapKey, ZERO_NONCE, s.body)
        wrapKey.fill(0)
        if (fileKey && fileKey.length === FILE_KEY_SIZE) return fileKey
      }
    }
  } finally {
    for (const s of secrets) s.fill(0)
  }
  throw new CustodiaError('WRONG_PASSPHRASE', 'no identity matches this bundle')
}

function verifyHeaderMac(header: AgeHeader, fileKey: Buffer): void {
  const macKey = deriveKey(fileKey, Buffer.alloc(0), 'header')
  const expected = crypto.createHmac('sha256', macKey).update(header.macInput).digest()
  macKey.fill(0)
  if (!crypto.timingSafeEqual(expected, header.mac)) throw new CustodiaError('TAMPERED', 'age header MAC mismatch')
}

// ---------------------------------------------------------------- payload

/**
 * Payload plaintext that is still encrypted as secretstream chunks in a file (a vault attachment, see
 * openDetachedBlob). Each chunk is one job for a payload worker, which reads it from `fd`, opens it, seals it as age
 * chunks and writes them to the output file itself: the bytes are decrypted and re-encrypted on any free core and
 * never cross threads. Every chunk but the last must hold exactly 1 MiB (16 age chunks); the run must start at an
 * age chunk boundary of the payload and cannot end the payload. `fd` must stay open until the run is consumed.
 */
export interface SecretstreamRun {
  /** Associated data of every chunk. */
  readonly chunkAd: Uint8Array
  /** Plaintext bytes in the run. */
  readonly plainSize: number
  /** The encrypted source, for the workers' positional reads. */
  readonly fd: number
  readonly chunks: AsyncIterable<DetachedBlobChunk>
}

/** The file an age stream with secretstream runs goes to: workers write the runs' sealed chunks into it directly. */
export interface DirectOutput {
  /** An open descriptor of the output file. */
  readonly fd: number
  /** Where the age file's first byte is in it. */
  readonly offset: number
}

/** Whether payload workers can open secretstream runs here (they need sodium-native). */
export function canResealRuns(): boolean {
  return getPayloadPool().canReseal
}

/**
 * Encrypts `source` to age v1 bytes, yielded in ~1 MiB pieces: header ‖ 16-byte nonce first, then sealed chunks.
 * Plaintext is gathered into 1 MiB batches that worker threads seal (payloadPool); results come back in order. A
 * full batch is sent only once more input shows it does not hold the final chunk. Memory stays bounded: at most
 * `batchesInFlight` batches are outstanding. A consumer may hand each yielded piece back with releaseAgePiece()
 * once it has been written, so the next batches reuse its memory. Source pieces from lendPlaintextBuffer() go back to
 * the pool as soon as they are copied.
 */
export function encryptChunks(
  recipients: AgeRecipients,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Buffer, void, undefined> {
  // Without runs in the source nothing is written directly, so only Buffers come out.
  return sealPayload(recipients, source, undefined) as AsyncGenerator<Buffer, void, undefined>
}

/**
 * encryptChunks straight into a file: the workers write every sealed batch (and every secretstream run the source
 * holds) into `output` themselves. The generator yields the header (a Buffer, for the consumer to write at the age
 * file's start) and then, in order, the number of bytes each job wrote, so the consumer writes every Buffer at its
 * running position and moves the position on by every number. All writes have ended when the generator finishes.
 */
export function encryptChunksInto(
  recipients: AgeRecipients,
  source: AsyncIterable<Uint8Array | SecretstreamRun>,
  output: DirectOutput,
): AsyncGenerator<Buffer | number, void, undefined> {
  return sealPayload(recipients, source, output)
}

async function* sealPayload(
  recipients: AgeRecipients,
  source: AsyncIterable<Uint8Array | SecretstreamRun> | Iterable<Uint8Array | SecretstreamRun>,
  output: DirectOutput | undefined,
): AsyncGenerator<Buffer | number, void, undefined> {
  const fileKey = crypto.randomBytes(FILE_KEY_SIZE)
  let payloadKey: Buffer | undefined
  const pool = getPayloadPool()
  const queue: Promise<Buffer | number>[] = []
  let batch: Buffer | undefined
  try {
    const header = await buildHeader(fileKey, recipients)
    const nonce = crypto.randomBytes(PAYLOAD_NONCE_SIZE)
    payloadKey = deriveKey(fileKey, nonce, 'payload')
    fileKey.fill(0)
    const start = Buffer.concat([header, nonce])
    const payloadOffset = start.length
    yield start

    const maxInFlight = pool.batchesInFlight
    const enqueue = (full: Buffer, counter: number, last: boolean): void => {
      // With an output file the worker writes the sealed batch itself and only its length comes back.
      const key = payloadKey as Buffer
      const job = output
        ? pool.sealInto(key, counter, full, last, { outFd: output.fd, outPos: output.offset + payloadOffset + counter * SEALED_CHUNK_SIZE })
        : pool.seal(key, counter, full, last)
      job.catch(() => undefined) // awaited in order below; this only silences an early rejection
      queue.push(job)
    }
    batch = pool.acquire()
    let fill = 0
    let counter = 0
    let endsWithRun = false
    for await (const piece of source) {
      if (!(piece instanceof Uint8Array)) {
        if (!output) throw new CustodiaError('INTERNAL', 'a secretstream run needs an output file')
        // Whole chunks gathered so far go now (more input follows: the run), then the run's chunks are resealed.
        if (fill % AGE_CHUNK_SIZE !== 0) throw new CustodiaError('INTERNAL', 'a secretstream run must start at an age chunk boundary')
        if (fill > 0) {
          enqueue(batch.subarray(0, fill), counter, false)
          counter += fill / AGE_CHUNK_SIZE
          batch = pool.acquire()
          fill = 0
        }
        const runJobs: Promise<unknown>[] = []
        try {
          for await (const chunk of piece.chunks) {
            const plainLength = chunk.length - STREAM_ABYTES
            if (!chunk.final && plainLength !== BATCH_BYTES) throw new CustodiaError('INTERNAL', 'a secretstream run chunk must hold 1 MiB')
            const placement = { blobFd: piece.fd, outFd: output.fd, outPos: output.offset + payloadOffset + counter * SEALED_CHUNK_SIZE }
            const job = pool.reseal(payloadKey, counter, chunk, piece.chunkAd, placement)
            job.catch(() => undefined)
            runJobs.push(job)
            counter += Math.floor(plainLength / AGE_CHUNK_SIZE)
            if (chunk.final) {
              // The tail (under 64 KiB) opens the next batch, ahead of whatever the source yields next.
              const { written, tail } = await job
              tail.copy(batch, 0)
              fill = tail.length
              tail.fill(0)
              queue.push(Promise.resolve(written))
            } else {
              const written = job.then((r) => r.written)
              written.catch(() => undefined) // awaited in order; this only silences an early rejection
              queue.push(written)
            }
            while (queue.length >= maxInFlight) yield await (queue.shift() as Promise<Buffer | number>)
          }
        } finally {
          // Workers read the run's file and write the output: neither may be closed (and its descriptor number
          // reused by another file) while a job still runs, so every job settles before the run is let go.
          await Promise.allSettled(runJobs)
        }
        endsWithRun = true
        continue
      }
      endsWithRun = false
      let off = 0
      while (off < piece.length) {
        if (fill === BATCH_BYTES) {
          enqueue(batch.subarray(0, BATCH_BYTES), counter, false)
          counter += CHUNKS_PER_BATCH
          batch = pool.acquire()
          fill = 0
          while (queue.length >= maxInFlight) yield await (queue.shift() as Promise<Buffer | number>)
        }
        const n = Math.min(BATCH_BYTES - fill, piece.length - off)
        batch.set(piece.subarray(off, off + n), fill)
        fill += n
        off += n
      }
      pool.reclaim(piece)
    }
    // The final age chunk must be sealed with the last flag, so the payload cannot end inside a run.
    if (endsWithRun && fill === 0) throw new CustodiaError('INTERNAL', 'the payload cannot end with a secretstream run')
    const final = batch
    batch = undefined
    enqueue(final.subarray(0, fill), counter, true)
    while (queue.length > 0) yield await (queue.shift() as Promise<Buffer | number>)
  } finally {
    fileKey.fill(0)
    payloadKey?.fill(0)
    if (batch) pool.release(batch, true)
    // An abandoned iteration still owns sealed batches: wait for them so their buffers return to the pool.
    for (const settled of await Promise.allSettled(queue))
      if (settled.status === 'fulfilled' && typeof settled.value !== 'number') pool.release(settled.value, false)
  }
}

/**
 * A buffer (≥ 1 MiB) for plaintext that will be fed to encryptChunks, which returns it to the payload pool, wiped,
 * once copied: producers of large sources (vault attachments) use these instead of allocating a buffer per chunk.
 */
export function lendPlaintextBuffer(): Buffer {
  return getPayloadPool().lend()
}

/** Hands a piece yielded by encryptChunks back for reuse once it has been written (optional; others are ignored). */
export function releaseAgePiece(piece: Buffer): void {
  getPayloadPool().release(piece, false)
}

/** Streaming age encryption: returns a Readable of the age file for `source` (bytes in, bytes out). */
export function encryptStream(recipients: AgeRecipients, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable): Readable {
  return Readable.from(encryptChunks(recipients, source), { objectMode: false })
}

async function readHeaderFrom(fh: fs.promises.FileHandle, fileSize: number): Promise<AgeHeader> {
  const want = Math.min(fileSize, MAX_HEADER_BYTES + 1)
  const buf = Buffer.alloc(want)
  const got = await readAt(fh, buf, 0)
  return parseAgeHeader(buf.subarray(0, got), fileSize <= MAX_HEADER_BYTES)
}

export interface AgeFileInfo {
  readonly size: number
  readonly headerLength: number
  readonly x25519Stanzas: number
  readonly scrypt: { readonly workFactor: number } | null
  /** Types of stanzas we do not implement (e.g. plugins); they are ignored when decrypting. */
  readonly otherStanzas: readonly string[]
  /** Plaintext size implied by the ciphertext length, or null if the length is impossible for age. */
  readonly plaintextSize: number | null
}

/** What can be told about an age file without keys: its stanza types and sizes. Header errors as parseAgeHeader. */
export async function inspectAgeFile(filePath: string): Promise<AgeFileInfo> {
  const fh = await openInput(filePath)
  try {
    const { size } = await fh.stat()
    const header = await readHeaderFrom(fh, size)
    const scrypt = header.stanzas.find((s) => s.type === 'scrypt')
    const payload = size - header.length - PAYLOAD_NONCE_SIZE
    let plaintextSize: number | null = null
    if (payload >= TAG_SIZE) {
      const chunks = Math.ceil(payload / SEALED_CHUNK_SIZE)
      const lastLen = payload - (chunks - 1) * SEALED_CHUNK_SIZE
      if (lastLen >= TAG_SIZE && (lastLen > TAG_SIZE || chunks === 1)) plaintextSize = payload - chunks * TAG_SIZE
    }
    return {
      size,
      headerLength: header.length,
      x25519Stanzas: header.stanzas.filter((s) => s.type === 'X25519').length,
      scrypt: scrypt ? { workFactor: Number(scrypt.args[1]) } : null,
      otherStanzas: header.stanzas.filter((s) => s.type !== 'X25519' && s.type !== 'scrypt').map((s) => s.type),
      plaintextSize,
    }
  } finally {
    await fh.close()
  }
}

async function openInput(filePath: string): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(filePath, 'r')
  } catch {
    throw new CustodiaError('NOT_FOUND', 'bundle file cannot be opened')
  }
}

export interface DecryptOptions {
  readonly signal?: AbortSignal
  /** Called after each ~1 MiB with ciphertext bytes processed and the file size. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void
}

/**
 * Decrypts the age file at `inputPath` into a new file inside `tempDir` and returns its path and size. The plaintext
 * is written to a `.partial` temp file and renamed only after every chunk and the end of the file authenticated;
 * on any error the temp file is deleted and nothing else is left.
 * Errors: WRONG_PASSPHRASE (no key matches), TAMPERED (header MAC, chunk auth, truncation anywhere incl. exactly at a
 * chunk boundary, empty final chunk after data, trailing bytes), VALIDATION/UNSUPPORTED (header), CANCELLED.
 */
export async function decryptToFile(
  inputPath: string,
  keys: AgeKeys,
  tempDir: string,
  options: DecryptOptions = {},
): Promise<{ path: string; size: number }> {
  const fh = await openInput(inputPath)
  const name = `age-${crypto.randomBytes(8).toString('hex')}`
  const partialPath = path.join(tempDir, `${name}.partial`)
  let out: fs.promises.FileHandle | undefined
  let fileKey: Buffer | undefined
  let payloadKey: Buffer | undefined
  const pool = getPayloadPool()
  const queue: Promise<number>[] = []
  try {
    const { size } = await fh.stat()
    const header = await readHeaderFrom(fh, size)
    fileKey = await unwrapFileKey(header, keys)
    verifyHeaderMac(header, fileKey)

    const payloadStart = header.length + PAYLOAD_NONCE_SIZE
    const payloadLen = size - payloadStart
    if (payloadLen < TAG_SIZE) throw new CustodiaError('TAMPERED', 'bundle is truncated before its payload')
    const nonce = Buffer.alloc(PAYLOAD_NONCE_SIZE)
    await readAt(fh, nonce, header.length)
    payloadKey = deriveKey(fileKey, nonce, 'payload')
    fileKey.fill(0)

    out = await fs.promises.open(partialPath, 'wx', 0o600)
    const chunkCount = Math.ceil(payloadLen / SEALED_CHUNK_SIZE)
    const lastLen = payloadLen - (chunkCount - 1) * SEALED_CHUNK_SIZE
    const maxInFlight = pool.batchesInFlight
    let written = 0
    // Workers read each batch from the bundle and write its plaintext at its place (every chunk before the last
    // holds 64 KiB); results are awaited in order, so the first failure in the file is the one reported.
    for (let first = 0; first < chunkCount; first += CHUNKS_PER_BATCH) {
      if (options.signal?.aborted) throw new CustodiaError('CANCELLED', 'decryption cancelled')
      const count = Math.min(CHUNKS_PER_BATCH, chunkCount - first)
      const isLastBatch = first + count === chunkCount
      const inPos = payloadStart + first * SEALED_CHUNK_SIZE
      const inLen = (count - 1) * SEALED_CHUNK_SIZE + (isLastBatch ? lastLen : SEALED_CHUNK_SIZE)
      const job = pool.openInto(payloadKey, first, isLastBatch, {
        inFd: fh.fd,
        inPos,
        inLen,
        outFd: out.fd,
        outPos: first * AGE_CHUNK_SIZE,
      })
      job.catch(() => undefined) // awaited in order below
      queue.push(job)
      while (queue.length >= maxInFlight) written += await (queue.shift() as Promise<number>)
      options.onProgress?.(inPos + inLen, size)
    }
    while (queue.length > 0) written += await (queue.shift() as Promise<number>)
    // Reading stopped at the size seen at open: a file that has grown since has bytes nobody authenticated.
    if ((await fh.stat()).size !== size) throw new CustodiaError('TAMPERED', 'bundle changed while it was being read')
    await out.close()
    out = undefined
    const finalPath = path.join(tempDir, name)
    await fs.promises.rename(partialPath, finalPath)
    return { path: finalPath, size: written }
  } catch (err) {
    // Workers hold both descriptors until their jobs end: let them finish before closing anything.
    await Promise.allSettled(queue)
    await out?.close().catch(() => undefined)
    await fs.promises.rm(partialPath, { force: true })
    throw convertToCustodiaError(err)
  } finally {
    fileKey?.fill(0)
    payloadKey?.fill(0)
    await fh.close()
  }
}

function convertToCustodiaError(err: unknown): CustodiaError {
  if (err instanceof CustodiaError) return err
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC') return new CustodiaError('INTERNAL', 'not enough disk space')
  if (code === 'ENOENT') return new CustodiaError('NOT_FOUND', 'temporary folder does not exist')
  return new CustodiaError('INTERNAL', 'decryption failed')
}
