// Main process (Node only): Custodia bundles = age v1 ( tar ( manifest.json, manifest.sig, records/, readable/, files/ ) ).
// writeBundle streams end to end in two passes (hash, then tar → age → `<out>.partial` → fsync → rename);
// openBundle decrypts fully into a temp folder, checks the tar, the signed manifest and every file before use.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { CustodiaError } from '../../../../shared/errors'
import type { DetachedBlobChunk } from '../../platform/crypto/streams'
import { STREAM_ABYTES } from '../../platform/crypto/sodium'
import {
  AGE_CHUNK_SIZE,
  decodeX25519Recipient,
  decryptToFile,
  encryptChunksInto,
  inspectAgeFile,
  releaseAgePiece,
  type AgeRecipients,
  type SecretstreamRun,
} from '../../platform/crypto/age/age'
import {
  BUNDLE_FORMAT,
  BUNDLE_ID_PATTERN,
  BUNDLE_VERSION,
  checkFilePlacement,
  formatFingerprint,
  importSigningKey,
  parseManifest,
  signManifest,
  verifyManifestSignature,
  type BundleManifest,
  type ManifestFile,
} from './manifest'
import { hashTarEntries, openTarEntry, readTarEntry, scanTar, type TarEntry } from './tarSafe'
import { encodeEntryPadding, encodeFileHeaders, TAR_END_OF_ARCHIVE } from './tarWrite'

export type Consent = 'internal' | 'partners' | 'public'

export interface BundleFileInput {
  readonly attachmentId: string
  readonly filename: string
  readonly mediaType: string
  /** Exact byte count; the export fails if the stream yields a different number. */
  readonly size: number
  /** Called twice (hash pass, write pass) — once if `sha256` is given; must yield the same bytes every time. */
  readonly open: () => AsyncIterable<Uint8Array> | Readable
  /**
   * SHA-256 (64 lowercase hex) if the caller already knows it (e.g. stored by the vault): skips the hash pass. The
   * write pass still hashes and aborts the export (CONFLICT) if the bytes do not match.
   */
  readonly sha256?: string
  /**
   * True when `open()` authenticates what it yields against the same origin as `sha256` (a vault attachment: AEAD
   * chunks under the vault key, the hash sealed in its metadata when it was stored). The write pass then checks the
   * size only instead of hashing again. Ignored without `sha256`.
   */
  readonly sourceAuthenticated?: boolean
  /**
   * The same bytes as a secretstream run (a vault attachment's chunks with their states), for payload workers to
   * decrypt and re-encrypt without the plaintext crossing threads; null when that is not possible here. Used for
   * large files with `sourceAuthenticated`; the run must have exactly `size` bytes.
   */
  readonly openRun?: () => Promise<ClosableRun | null>
}

/** A secretstream run that owns its source file: close() once the age layer is done with it. */
export type ClosableRun = SecretstreamRun & { close(): Promise<void> }

export interface BundleItemInput {
  readonly kind: string
  readonly id: string
  readonly revision: number
  readonly consent: Consent
  readonly title?: string
  /** Any JSON value; written as `records/<id>.json`. */
  readonly record: unknown
  readonly readable?: { readonly ext: 'txt' | 'pdf'; readonly bytes: Uint8Array }
  readonly files: readonly BundleFileInput[]
}

export interface BundleSender {
  readonly name: string
  /** Ed25519: 32-byte seed or 64-byte libsodium secret key (seed ‖ public key). */
  readonly signingSecretKey: Uint8Array
  readonly signingPublicKey: Uint8Array
}

export type BundleRecipients =
  | { readonly x25519: readonly string[]; readonly labels?: readonly (string | undefined)[] }
  | { readonly passphrase: Uint8Array; readonly scryptWorkFactor?: number }

export interface WriteBundleOptions {
  readonly items: readonly BundleItemInput[]
  readonly sender: BundleSender
  readonly recipients: BundleRecipients
  readonly outPath: string
  /** Accepted for symmetry with openBundle: the writer streams and needs no scratch space. */
  readonly tempDir?: string
  /** Plaintext bytes processed over both passes, against twice the content size. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void
  readonly signal?: AbortSignal
  /** Defaults to now; fixed values make golden fixtures reproducible. */
  readonly createdAt?: Date
}

export interface BundleLimits {
  readonly maxEntries: number
  readonly maxTotalBytes: number
  readonly maxManifestBytes: number
  readonly maxRecordBytes: number
  readonly maxFileBytes: number
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxEntries: 100_000,
  maxTotalBytes: 64 * 1024 ** 3,
  maxManifestBytes: 4 * 1024 ** 2,
  maxRecordBytes: 16 * 1024 ** 2,
  maxFileBytes: 16 * 1024 ** 3,
}

export interface OpenBundleOptions {
  readonly identities?: readonly string[]
  readonly passphrase?: Uint8Array
  /** All plaintext goes into a fresh subfolder of this folder, and nowhere else. */
  readonly tempDir: string
  readonly limits?: Partial<BundleLimits>
  /** Default false: a missing or bad signature throws. True: open anyway and report signatureValid = false. */
  readonly allowInvalidSignature?: boolean
  readonly signal?: AbortSignal
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void
}

export interface BundleSigner {
  readonly name: string
  /** Raw 32-byte Ed25519 public key; the caller decides whether it is trusted. */
  readonly publicKey: Uint8Array
  readonly fingerprint: string
}

export interface OpenedBundle {
  readonly manifest: BundleManifest
  /** The exact signed bytes of manifest.json. */
  readonly manifestBytes: Uint8Array
  readonly signer: BundleSigner
  readonly signatureValid: boolean
  /** The record JSON of item `id` (verified against the manifest hash). NOT_FOUND for an unknown id. */
  readRecord(id: string): Promise<unknown>
  /** The bytes of a verified bundle file (e.g. `files/<attachmentId>`), streamed in ≤ 1 MiB pieces. */
  openFile(bundlePath: string): AsyncIterable<Buffer>
  /** The whole of a verified bundle file, for small ones (records, readable text); VALIDATION above 64 MiB. */
  readFile(bundlePath: string): Promise<Buffer>
  /** Deletes the temp folder with everything extracted; later calls fail with NOT_FOUND. */
  dispose(): Promise<void>
}

export interface BundleInfo {
  readonly size: number
  readonly protection: 'x25519' | 'passphrase' | 'other'
  readonly x25519Recipients: number
  readonly scryptWorkFactor: number | null
  readonly otherStanzas: readonly string[]
  /** Size of the tar inside, from the ciphertext length; null if the length is impossible. */
  readonly plaintextSize: number | null
}

const ENTRY_ID = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}'
const RECORD_RE = new RegExp(`^records/${ENTRY_ID}\\.json$`)
const READABLE_RE = new RegExp(`^readable/${ENTRY_ID}\\.(pdf|txt)$`)
const FILE_RE = new RegExp(`^files/${ENTRY_ID}$`)
const BUNDLE_DIRECTORIES: ReadonlySet<string> = new Set(['records', 'readable', 'files'])
const MAX_SIGNATURE_ENTRY = 1024

// ---------------------------------------------------------------- writing

interface PlannedFile {
  readonly manifest: ManifestFile
  readonly source: () => AsyncIterable<Uint8Array>
  /** 2 if the file was read in the hash pass too (for progress totals). */
  readonly passes: 1 | 2
  /** False when the source authenticates itself against the manifest's hash (see sourceAuthenticated). */
  readonly rehash: boolean
  readonly openRun?: () => Promise<ClosableRun | null>
}

function rejectInput(message: string): never {
  throw new CustodiaError('VALIDATION', message)
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CustodiaError('CANCELLED', 'bundle export cancelled')
}

function wrapAsyncIterable(source: AsyncIterable<Uint8Array> | Readable): AsyncIterable<Uint8Array> {
  return source as AsyncIterable<Uint8Array>
}

function validateItems(items: readonly BundleItemInput[]): void {
  const ids = new Set<string>()
  const attachments = new Set<string>()
  for (const item of items) {
    if (!BUNDLE_ID_PATTERN.test(item.id)) rejectInput('item id is not allowed in a bundle')
    if (ids.has(item.id)) rejectInput('two items share an id')
    ids.add(item.id)
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(item.kind)) rejectInput('item kind is not allowed in a bundle')
    if (!Number.isSafeInteger(item.revision) || item.revision < 0) rejectInput('item revision must be a non-negative integer')
    if (!['internal', 'partners', 'public'].includes(item.consent)) rejectInput('item consent is not valid')
    if (item.readable && item.readable.ext !== 'txt' && item.readable.ext !== 'pdf') rejectInput('readable must be txt or pdf')
    for (const f of item.files) {
      if (!BUNDLE_ID_PATTERN.test(f.attachmentId)) rejectInput('attachment id is not allowed in a bundle')
      if (attachments.has(f.attachmentId)) rejectInput('two attachments share an id')
      attachments.add(f.attachmentId)
      if (!Number.isSafeInteger(f.size) || f.size < 0) rejectInput('attachment size must be a non-negative integer')
      if (f.filename.length < 1 || f.filename.length > 255) rejectInput('attachment filename must be 1–255 characters')
      if (f.mediaType.length < 1 || f.mediaType.length > 255) rejectInput('attachment media type must be 1–255 characters')
      if (f.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(f.sha256)) rejectInput('attachment sha256 must be 64 lowercase hex')
    }
  }
}

function encodeRecord(record: unknown): Buffer {
  let text: string | undefined
  try {
    text = JSON.stringify(record)
  } catch {
    rejectInput('record is not serialisable as JSON')
  }
  if (text === undefined) rejectInput('record is not serialisable as JSON')
  return Buffer.from(text, 'utf8')
}

async function* yieldBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

/** Hashes a source and checks its length; the same function verifies the second pass saw the same bytes. */
async function hashSource(
  source: AsyncIterable<Uint8Array>,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256')
  let size = 0
  for await (const chunk of source) {
    checkAborted(signal)
    hash.update(chunk)
    size += chunk.length
    onBytes(chunk.length)
  }
  return { sha256: hash.digest('hex'), size }
}

async function planContent(
  opts: WriteBundleOptions,
  onBytes: (n: number) => void,
): Promise<{ manifestFiles: Map<string, ManifestFile[]>; planned: PlannedFile[] }> {
  const planned: PlannedFile[] = []
  const manifestFiles = new Map<string, ManifestFile[]>()
  for (const item of opts.items) {
    const files: ManifestFile[] = []
    const record = encodeRecord(item.record)
    if (record.length > DEFAULT_BUNDLE_LIMITS.maxRecordBytes) rejectInput('record is larger than 16 MiB')
    const fixed: { path: string; role: 'record' | 'readable'; bytes: Uint8Array; mediaType: string }[] = [
      { path: `records/${item.id}.json`, role: 'record', bytes: record, mediaType: 'application/json' },
    ]
    if (item.readable) {
      fixed.push({
        path: `readable/${item.id}.${item.readable.ext}`,
        role: 'readable',
        bytes: item.readable.bytes,
        mediaType: item.readable.ext === 'pdf' ? 'application/pdf' : 'text/plain; charset=utf-8',
      })
    }
    for (const f of fixed) {
      const entry: ManifestFile = {
        path: f.path,
        sha256: crypto.createHash('sha256').update(f.bytes).digest('hex'),
        size: f.bytes.length,
        role: f.role,
        mediaType: f.mediaType,
      }
      onBytes(f.bytes.length)
      files.push(entry)
      const bytes = f.bytes
      planned.push({ manifest: entry, source: () => yieldBytes(bytes), passes: 2, rehash: true })
    }
    for (const f of item.files) {
      const { sha256, size } =
        f.sha256 !== undefined ? { sha256: f.sha256, size: f.size } : await hashSource(wrapAsyncIterable(f.open()), onBytes, opts.signal)
      if (size !== f.size) rejectInput('attachment size does not match its declared size')
      const entry: ManifestFile = {
        path: `files/${f.attachmentId}`,
        sha256,
        size,
        role: 'attachment',
        filename: f.filename,
        mediaType: f.mediaType,
      }
      files.push(entry)
      planned.push({
        manifest: entry,
        source: () => wrapAsyncIterable(f.open()),
        passes: f.sha256 !== undefined ? 1 : 2,
        rehash: !(f.sha256 !== undefined && f.sourceAuthenticated === true),
        ...(f.openRun ? { openRun: f.openRun } : {}),
      })
    }
    manifestFiles.set(item.id, files)
  }
  return { manifestFiles, planned }
}

function buildManifest(
  opts: WriteBundleOptions,
  manifestFiles: Map<string, ManifestFile[]>,
  recipientKeys: readonly Buffer[],
): BundleManifest {
  const labels = 'x25519' in opts.recipients ? (opts.recipients.labels ?? []) : []
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    sender: {
      name: opts.sender.name,
      signingKey: Buffer.from(opts.sender.signingPublicKey).toString('base64'),
      fingerprint: formatFingerprint(opts.sender.signingPublicKey),
    },
    recipients: recipientKeys.map((key, i) => {
      const label = labels[i]
      return label ? { fingerprint: formatFingerprint(key), label } : { fingerprint: formatFingerprint(key) }
    }),
    items: opts.items.map((item) => ({
      kind: item.kind,
      id: item.id,
      revision: item.revision,
      consent: item.consent,
      ...(item.title !== undefined ? { title: item.title } : {}),
      files: manifestFiles.get(item.id) ?? [],
    })),
  }
}

const ATTACHMENT_CHANGED = 'an attachment changed during export or does not match its declared hash'
/** Attachments at least this large travel as secretstream runs when they can (smaller: not worth the alignment). */
const MIN_RUN_BYTES = 4 * 1024 * 1024

/** Checks a file's bytes as they stream past: size always, SHA-256 unless the source vouches for it. */
async function* checkedBytes(p: PlannedFile, onBytes: (n: number) => void, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  const hash = p.rehash ? crypto.createHash('sha256') : null
  let size = 0
  for await (const chunk of p.source()) {
    checkAborted(signal)
    size += chunk.length
    if (size > p.manifest.size) throw new CustodiaError('CONFLICT', ATTACHMENT_CHANGED)
    hash?.update(chunk)
    onBytes(chunk.length)
    yield chunk
  }
  if (size !== p.manifest.size || (hash !== null && hash.digest('hex') !== p.manifest.sha256)) {
    throw new CustodiaError('CONFLICT', ATTACHMENT_CHANGED)
  }
}

/** A run's chunks with progress and cancel (the run's MACs and tags vouch for its bytes and size). */
async function* countedRunChunks(
  run: SecretstreamRun,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
): AsyncGenerator<DetachedBlobChunk> {
  for await (const chunk of run.chunks) {
    checkAborted(signal)
    onBytes(chunk.length - STREAM_ABYTES)
    yield chunk
  }
}

interface TarContent {
  readonly manifestBytes: Buffer
  readonly signature: Uint8Array
  readonly mtime: Date
  readonly planned: readonly PlannedFile[]
  readonly onBytes: (n: number) => void
  readonly signal: AbortSignal | undefined
}

/**
 * The bundle's tar, as the age layer consumes it: manifest.json, manifest.sig, then every planned file. A vault
 * attachment that can travel as a secretstream run is placed so its data starts on an age chunk boundary (a pax
 * padding comment before it) and is yielded as the run, which payload workers decrypt and re-encrypt chunk for chunk.
 * A file that yields other bytes than planned ends the export with CONFLICT.
 */
async function* generateTar(content: TarContent): AsyncGenerator<Uint8Array | SecretstreamRun> {
  let position = 0
  function* entry(name: string, bytes: Uint8Array): Generator<Uint8Array> {
    const headers = encodeFileHeaders({ name, size: bytes.length, mtime: content.mtime }, position)
    const padding = encodeEntryPadding(bytes.length)
    position += headers.length + bytes.length + padding.length
    yield* [headers, bytes, padding]
  }
  yield* entry('manifest.json', content.manifestBytes)
  yield* entry('manifest.sig', content.signature)
  for (const p of content.planned) {
    checkAborted(content.signal)
    const { size } = p.manifest
    const run = p.openRun && !p.rehash && size >= MIN_RUN_BYTES ? await p.openRun() : null
    try {
      if (run && run.plainSize !== size) throw new CustodiaError('CONFLICT', ATTACHMENT_CHANGED)
      const headers = encodeFileHeaders({ name: p.manifest.path, size, mtime: content.mtime }, position, run ? AGE_CHUNK_SIZE : undefined)
      yield headers
      position += headers.length
      // The age layer settles every job of a run before it asks for the next piece, so closing it then is safe.
      if (run) yield { chunkAd: run.chunkAd, plainSize: size, fd: run.fd, chunks: countedRunChunks(run, content.onBytes, content.signal) }
      else yield* checkedBytes(p, content.onBytes, content.signal)
    } finally {
      await run?.close()
    }
    const padding = encodeEntryPadding(size)
    yield padding
    position += size + padding.length
  }
  yield TAR_END_OF_ARCHIVE
}

/**
 * Writes a signed, encrypted bundle to `outPath` (which must not exist). Data goes to `<outPath>.partial` in the same
 * folder, is fsynced and renamed; on cancel (CANCELLED) or any error the partial file is removed — on cancel already
 * inside the abort, so a vault lock that aborts the job finds no partial file left when it returns.
 * Pass 1 hashes every file whose sha256 the caller did not give (the manifest, first in the tar, holds the hashes);
 * pass 2 streams tar → age → disk and re-hashes, so a file that changed between passes (or a wrong given hash) fails
 * the export (CONFLICT) instead of producing a bundle whose hashes are wrong.
 * Returns the manifest written.
 */
export async function writeBundle(opts: WriteBundleOptions): Promise<BundleManifest> {
  checkAborted(opts.signal)
  validateItems(opts.items)
  const signingKey = importSigningKey(opts.sender.signingSecretKey, opts.sender.signingPublicKey)
  if (opts.sender.name.length < 1 || opts.sender.name.length > 200) rejectInput('sender name must be 1–200 characters')
  let ageRecipients: AgeRecipients
  let recipientKeys: Buffer[] = []
  if ('x25519' in opts.recipients) {
    recipientKeys = opts.recipients.x25519.map(decodeX25519Recipient)
    if (recipientKeys.length === 0) rejectInput('at least one recipient is required')
    ageRecipients = { x25519: opts.recipients.x25519 }
  } else {
    if (opts.recipients.passphrase.length === 0) rejectInput('passphrase is empty')
    ageRecipients =
      opts.recipients.scryptWorkFactor === undefined
        ? { passphrase: opts.recipients.passphrase }
        : { passphrase: opts.recipients.passphrase, scryptWorkFactor: opts.recipients.scryptWorkFactor }
  }
  if (fs.existsSync(opts.outPath)) throw new CustodiaError('CONFLICT', 'a file with that name already exists')
  const partialPath = `${opts.outPath}.partial`
  let out: fs.promises.FileHandle
  try {
    out = await fs.promises.open(partialPath, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CustodiaError('CONFLICT', 'another export to this file is in progress')
    }
    throw new CustodiaError('NOT_FOUND', 'the destination folder cannot be written')
  }
  // A cancel or a lock removes the partial file at once, not when the loop below next checks the signal: writes still
  // in flight land in the unlinked file and vanish with it when it is closed.
  const removePartialNow = (): void => {
    try {
      fs.rmSync(partialPath, { force: true })
    } catch {
      // The error path below tries again once the writes have stopped.
    }
  }
  opts.signal?.addEventListener('abort', removePartialNow, { once: true })
  // Aborted while the file was being created: the listener came too late for that abort.
  if (opts.signal?.aborted) removePartialNow()

  let done = 0
  let total = 0
  for (const item of opts.items) for (const f of item.files) total += f.size * (f.sha256 !== undefined ? 1 : 2)
  const onBytes = (n: number): void => {
    done += n
    opts.onProgress?.(done, Math.max(total, done))
  }
  try {
    const { manifestFiles, planned } = await planContent(opts, onBytes)
    total = planned.reduce((sum, p) => sum + p.passes * p.manifest.size, 0)
    const manifest = buildManifest(opts, manifestFiles, recipientKeys)
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8')
    if (manifestBytes.length > DEFAULT_BUNDLE_LIMITS.maxManifestBytes) rejectInput('manifest would exceed 4 MiB')
    const signature = signManifest(manifestBytes, signingKey)
    const mtime = new Date(Math.floor(Date.parse(manifest.createdAt) / 1000) * 1000)
    const tar = generateTar({ manifestBytes, signature, mtime, planned, onBytes, signal: opts.signal })

    let position = 0
    let pendingWrite: Promise<unknown> = Promise.resolve()
    let written: Buffer | undefined
    const flusher = new BackgroundFlusher(out)
    try {
      for await (const piece of encryptChunksInto(ageRecipients, tar, { fd: out.fd, offset: 0 })) {
        checkAborted(opts.signal)
        if (typeof piece === 'number') {
          // A payload worker wrote these bytes of a vault attachment at this position itself.
          position += piece
          flusher.wrote(piece)
          continue
        }
        // One write in flight while the next piece is encrypted; a written piece's buffer goes back to the pool.
        await pendingWrite
        if (written) releaseAgePiece(written)
        written = piece
        pendingWrite = out.write(piece, 0, piece.length, position)
        position += piece.length
        flusher.wrote(piece.length)
      }
      await pendingWrite
    } finally {
      await pendingWrite.catch(() => undefined)
      if (written) releaseAgePiece(written)
      await flusher.settle()
    }

    await out.sync()
    await out.close()
    checkAborted(opts.signal)
    opts.signal?.removeEventListener('abort', removePartialNow)
    await fs.promises.rename(partialPath, opts.outPath)
    await syncDirectory(path.dirname(opts.outPath))
    return manifest
  } catch (err) {
    opts.signal?.removeEventListener('abort', removePartialNow)
    await out.close().catch(() => undefined)
    await fs.promises.rm(partialPath, { force: true })
    throw convertWriteError(err, opts.signal)
  }
}

function convertWriteError(err: unknown, signal: AbortSignal | undefined): CustodiaError {
  if (signal?.aborted) return new CustodiaError('CANCELLED', 'bundle export cancelled')
  if (err instanceof CustodiaError) return err
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') {
    return new CustodiaError('INTERNAL', 'not enough disk space for the bundle')
  }
  return new CustodiaError('INTERNAL', 'bundle export failed')
}

/** Bytes written between background flushes of a bundle being written. */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024

/**
 * Starts writing a file's dirty pages to disk while the export goes on (fdatasync on a libuv thread, at most one at
 * a time), so the closing fsync finds little left to do: the disk works while the CPUs encrypt, instead of after.
 * Durability still comes from the final fsync alone; a failed background flush is left for that fsync to report.
 */
class BackgroundFlusher {
  private sinceFlush = 0
  private flushing: Promise<void> | null = null

  constructor(private readonly file: fs.promises.FileHandle) {}

  wrote(bytes: number): void {
    this.sinceFlush += bytes
    if (this.sinceFlush < FLUSH_EVERY_BYTES || this.flushing) return
    this.sinceFlush = 0
    this.flushing = this.file.datasync().then(
      () => void (this.flushing = null),
      () => void (this.flushing = null),
    )
  }

  /** Waits for a flush in flight (never rejects): the caller may close the file next. */
  async settle(): Promise<void> {
    await this.flushing
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open directories, which is harmless to skip.
  const dh = await fs.promises.open(dir, 'r').catch(() => undefined)
  await dh?.sync().catch(() => undefined)
  await dh?.close()
}

// ---------------------------------------------------------------- reading

function classifyEntry(limits: BundleLimits): (name: string) => { maxBytes: number; label: string } | null {
  return (name) => {
    if (name === 'manifest.json') return { maxBytes: limits.maxManifestBytes, label: 'manifest' }
    if (name === 'manifest.sig') return { maxBytes: MAX_SIGNATURE_ENTRY, label: 'manifest signature' }
    if (RECORD_RE.test(name)) return { maxBytes: limits.maxRecordBytes, label: 'record' }
    if (READABLE_RE.test(name)) return { maxBytes: limits.maxFileBytes, label: 'readable copy' }
    if (FILE_RE.test(name)) return { maxBytes: limits.maxFileBytes, label: 'attachment' }
    return null
  }
}

function rejectMismatch(detail: string): never {
  throw new CustodiaError('VALIDATION', `manifest does not match files: ${detail}`)
}

/** Checks item/file structure and that the tar holds exactly the manifest's files with the declared sizes. */
function matchManifestToEntries(manifest: BundleManifest, entries: readonly TarEntry[]): Map<string, ManifestFile> {
  const listed = new Map<string, ManifestFile>()
  const ids = new Set<string>()
  for (const item of manifest.items) {
    if (ids.has(item.id)) rejectInput('manifest lists an item id twice')
    ids.add(item.id)
    if (item.files.filter((f) => f.role === 'record').length !== 1) rejectInput('manifest item must have exactly one record')
    if (item.files.filter((f) => f.role === 'readable').length > 1) {
      rejectInput('manifest item has more than one readable copy')
    }
    for (const f of item.files) {
      checkFilePlacement(item, f)
      if (listed.has(f.path.toLowerCase())) rejectInput('manifest lists a file twice')
      listed.set(f.path.toLowerCase(), f)
    }
  }
  const inTar = new Map<string, TarEntry>()
  for (const e of entries) if (e.name !== 'manifest.json' && e.name !== 'manifest.sig') inTar.set(e.name.toLowerCase(), e)
  for (const [key, f] of listed) {
    const e = inTar.get(key)
    if (!e || e.name !== f.path) rejectMismatch(`missing ${f.path}`)
    if (e.size !== f.size) rejectMismatch(`size of ${f.path} differs`)
  }
  for (const [key, e] of inTar) if (!listed.has(key)) rejectMismatch(`unlisted file ${e.name}`)
  return new Map([...listed.values()].map((f) => [f.path, f]))
}

/**
 * Opens a bundle: decrypts it entirely into a fresh subfolder of `tempDir`, scans the tar (see scanTar), verifies the
 * manifest (schema, version), its Ed25519 signature, and that every listed file is present with its size and SHA-256
 * and nothing else is. Only then are the files available through the returned object.
 * Errors (CustodiaError): VALIDATION (hostile structure, specific message), TAMPERED (auth/MAC/hash/signature failure,
 * truncation), UNSUPPORTED (version, parameters), WRONG_PASSPHRASE (no identity/passphrase matches), CANCELLED.
 * On any error the subfolder is removed.
 */
export async function openBundle(bundlePath: string, opts: OpenBundleOptions): Promise<OpenedBundle> {
  const limits: BundleLimits = { ...DEFAULT_BUNDLE_LIMITS, ...opts.limits }
  let workDir: string
  try {
    workDir = await fs.promises.mkdtemp(path.join(opts.tempDir, 'bundle-'))
  } catch {
    throw new CustodiaError('NOT_FOUND', 'temporary folder cannot be used')
  }
  try {
    const ageKeys = {
      ...(opts.identities ? { identities: opts.identities } : {}),
      ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
    }
    const { path: tarPath, size: tarSize } = await decryptToFile(bundlePath, ageKeys, workDir, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: (d: number, t: number) => opts.onProgress?.(d, 2 * t) } : {}),
    })
    const entries = await scanTar(tarPath, {
      maxEntries: limits.maxEntries,
      maxTotalBytes: limits.maxTotalBytes,
      allowedDirectories: BUNDLE_DIRECTORIES,
      classifyFile: classifyEntry(limits),
    })
    const manifestEntry = entries.find((e) => e.name === 'manifest.json')
    if (!manifestEntry) rejectInput('bundle has no manifest')
    const manifestBytes = await readTarEntry(tarPath, manifestEntry)
    const manifest = parseManifest(manifestBytes)
    const signerKey = Buffer.from(manifest.sender.signingKey, 'base64')
    const sigEntry = entries.find((e) => e.name === 'manifest.sig')
    let signatureValid = false
    if (!sigEntry) {
      if (!opts.allowInvalidSignature) rejectInput('bundle has no manifest signature')
    } else {
      const signature = await readTarEntry(tarPath, sigEntry)
      signatureValid = verifyManifestSignature(manifestBytes, signature, signerKey)
      if (!signatureValid && !opts.allowInvalidSignature) {
        throw new CustodiaError('TAMPERED', 'manifest signature does not verify')
      }
    }
    const listed = matchManifestToEntries(manifest, entries)

    // The decrypted tar stays as the one copy of the content: each listed file is hashed in place, in one pass,
    // and later read from its verified byte range (no second copy of a large attachment).
    const fileEntries = entries.filter((e) => listed.has(e.name))
    let done = tarSize
    const hashes = await hashTarEntries(
      tarPath,
      fileEntries,
      (n) => {
        done += n
        opts.onProgress?.(done, 2 * tarSize)
      },
      opts.signal,
    )
    for (const [name, f] of listed) {
      if (hashes.get(name) !== f.sha256) {
        throw new CustodiaError('TAMPERED', `manifest does not match files: hash of ${name} differs`)
      }
    }
    const verified = new Map(fileEntries.map((e) => [e.name, e]))
    return createOpenedBundle(workDir, tarPath, verified, manifest, manifestBytes, signerKey, signatureValid)
  } catch (err) {
    await fs.promises.rm(workDir, { recursive: true, force: true })
    if (opts.signal?.aborted) throw new CustodiaError('CANCELLED', 'opening the bundle was cancelled')
    if (err instanceof CustodiaError) throw err
    throw new CustodiaError('INTERNAL', 'opening the bundle failed')
  }
}

const MAX_READ_FILE_BYTES = 64 * 1024 * 1024

function createOpenedBundle(
  workDir: string,
  tarPath: string,
  verified: ReadonlyMap<string, TarEntry>,
  manifest: BundleManifest,
  manifestBytes: Buffer,
  signerKey: Buffer,
  signatureValid: boolean,
): OpenedBundle {
  let disposed = false
  const resolveEntry = (bundlePath: string): TarEntry => {
    if (disposed) throw new CustodiaError('NOT_FOUND', 'bundle has been closed')
    const entry = verified.get(bundlePath)
    if (!entry) throw new CustodiaError('NOT_FOUND', 'no such file in the bundle')
    return entry
  }
  const readFile = async (bundlePath: string): Promise<Buffer> => {
    const entry = resolveEntry(bundlePath)
    if (entry.size > MAX_READ_FILE_BYTES) rejectInput('bundle file is too large to read at once')
    return readTarEntry(tarPath, entry)
  }
  return {
    manifest,
    manifestBytes: new Uint8Array(manifestBytes),
    signer: {
      name: manifest.sender.name,
      publicKey: new Uint8Array(signerKey),
      fingerprint: formatFingerprint(signerKey),
    },
    signatureValid,
    async readRecord(id: string): Promise<unknown> {
      const item = manifest.items.find((i) => i.id === id)
      if (!item) throw new CustodiaError('NOT_FOUND', 'no such item in the bundle')
      const file = item.files.find((f) => f.role === 'record') as ManifestFile
      const bytes = await readFile(file.path)
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
      } catch {
        throw new CustodiaError('VALIDATION', 'record is not valid JSON')
      }
    },
    openFile: (bundlePath) => openTarEntry(tarPath, resolveEntry(bundlePath)),
    readFile,
    async dispose(): Promise<void> {
      disposed = true
      await fs.promises.rm(workDir, { recursive: true, force: true })
    },
  }
}

/**
 * What can be told without keys: recipient stanza types and counts, scrypt work factor, sizes.
 * Header errors as openBundle (VALIDATION / UNSUPPORTED / TAMPERED if truncated; NOT_FOUND if unreadable).
 */
export async function inspectBundle(bundlePath: string): Promise<BundleInfo> {
  const info = await inspectAgeFile(bundlePath)
  return {
    size: info.size,
    protection: info.scrypt ? 'passphrase' : info.x25519Stanzas > 0 ? 'x25519' : 'other',
    x25519Recipients: info.x25519Stanzas,
    scryptWorkFactor: info.scrypt?.workFactor ?? null,
    otherStanzas: info.otherStanzas,
    plaintextSize: info.plaintextSize,
  }
}
