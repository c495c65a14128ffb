// Main process (Node only): reading attachments back out of the vault — as a pulled stream of authenticated plaintext
// chunks, as detached chunks for the bundle writer's worker threads, into a file (temp file + rename, nothing left on
// failure) or into memory. Every path checks the blob's version and size against its row first (openBlob).

import fsp from 'node:fs/promises'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import {
  ATTACHMENT_CHUNK_BYTES,
  decryptBlob,
  openDetachedBlob,
  type DecryptBlobOptions,
  type DetachedBlobChunk,
} from '../platform/crypto/streams'
import { ITEM_KEY_BLOB_VERSION, LEGACY_BLOB_VERSION, openAttachmentRow } from './attachments'
import { FILE_MODE, isErrno, syncDirectory } from './files'
import type { VaultInternals } from './internals'
import { withItemKeyAsync } from './itemKeys'
import { MAX_READ_ATTACHMENT_BYTES, type AttachmentInfo } from './types'
import { createRandomId, validateId } from './validation'

/** An attachment handed out as detached chunks (see Vault.openAttachmentRun). */
export interface AttachmentRun {
  chunkAd: Buffer
  plainSize: number
  fd: number
  chunks: AsyncGenerator<DetachedBlobChunk, void, undefined>
  close(): Promise<void>
}

export async function* openAttachmentStream(
  vault: VaultInternals,
  attachmentId: string,
  options: { buffers?: () => Buffer },
): AsyncGenerator<Buffer, void, undefined> {
  vault.assertUnlocked()
  // Bridges decryptAttachment's push sink to a pull iterator: the sink waits until the consumer asks again.
  let wake: (() => void) | null = null
  let pending: Buffer | null = null
  let finished = false
  let failure: unknown = null
  let stopped = false
  let consumerReady: (() => void) | null = null
  const waitForConsumer = (): Promise<void> => new Promise((r) => (consumerReady = r))
  const signal = (): void => {
    const w = wake
    wake = null
    w?.()
  }
  const producer = decryptAttachment(
    vault,
    attachmentId,
    async (chunk) => {
      if (stopped) throw new CustodiaError('CANCELLED', 'Reading the attachment was stopped')
      pending = chunk
      signal()
      await waitForConsumer()
    },
    { outputBuffer: options.buffers ?? (() => Buffer.alloc(ATTACHMENT_CHUNK_BYTES)) },
  ).then(
    () => {
      finished = true
      signal()
    },
    (err: unknown) => {
      failure = err
      finished = true
      signal()
    },
  )
  try {
    for (;;) {
      if (pending === null && !finished) await new Promise<void>((r) => (wake = r))
      if (pending !== null) {
        const chunk: Buffer = pending
        pending = null
        yield chunk
        const ready = consumerReady as (() => void) | null
        consumerReady = null
        ready?.()
        continue
      }
      if (failure !== null) throw failure
      return
    }
  } finally {
    stopped = true
    const ready = consumerReady as (() => void) | null
    // Read by the producer's closure, which the rule cannot see.
    // eslint-disable-next-line no-useless-assignment
    consumerReady = null
    ready?.()
    await producer
  }
}

export async function openAttachmentRun(vault: VaultInternals, attachmentId: string): Promise<AttachmentRun | null> {
  vault.assertUnlocked()
  const { info, blobSize, blob } = await openBlob(vault, attachmentId)
  let handedOver = false
  try {
    const detached = await withItemKeyAsync(vault, 'attachment', attachmentId, (key) =>
      openDetachedBlob(vault.sodium, key, vault.streamAd(attachmentId), blob, blobSize),
    )
    if (!detached) return null
    if (detached.plainSize !== info.size) {
      detached.discard()
      throw new CustodiaError('TAMPERED', 'The attachment size does not match its metadata')
    }
    const source = detached.chunks
    async function* chunks(): AsyncGenerator<DetachedBlobChunk, void, undefined> {
      for await (const chunk of source) {
        if (vault.locked) {
          chunk.state.fill(0)
          throw new CustodiaError('VAULT_LOCKED', 'The vault was locked')
        }
        yield chunk
      }
    }
    const file = blob
    let closed = false
    handedOver = true
    return {
      chunkAd: detached.chunkAd,
      plainSize: detached.plainSize,
      fd: blob.fd,
      chunks: chunks(),
      close: async () => {
        if (closed) return
        closed = true
        detached.discard()
        await source.return()
        await file.close()
      },
    }
  } finally {
    if (!handedOver) await blob.close()
  }
}

/** Opens an attachment's blob after checking its version and its size against the row (the caller closes it). */
async function openBlob(
  vault: VaultInternals,
  attachmentId: string,
): Promise<{ info: AttachmentInfo; blobSize: number; blob: fsp.FileHandle }> {
  const { info, blobVersion, blobSize } = openAttachmentRow(vault, attachmentId)
  if (blobVersion !== LEGACY_BLOB_VERSION && blobVersion !== ITEM_KEY_BLOB_VERSION)
    throw new CustodiaError('UNSUPPORTED', 'This attachment uses a newer blob format')
  let blob: fsp.FileHandle
  try {
    blob = await fsp.open(vault.blobPath(attachmentId), 'r')
  } catch {
    throw new CustodiaError('CORRUPT', 'The encrypted attachment file is missing')
  }
  try {
    if ((await blob.stat()).size !== blobSize) throw new CustodiaError('TAMPERED', 'The encrypted attachment file has the wrong size')
  } catch (err) {
    await blob.close()
    throw err
  }
  return { info, blobSize, blob }
}

// Hands the blob's authenticated chunks to sink.
async function decryptAttachment(
  vault: VaultInternals,
  attachmentId: string,
  sink: (chunk: Buffer) => Promise<void> | void,
  options: DecryptBlobOptions = {},
): Promise<AttachmentInfo> {
  const { info, blob } = await openBlob(vault, attachmentId)
  try {
    const plainSize = await withItemKeyAsync(vault, 'attachment', attachmentId, (key) =>
      decryptBlob(vault.sodium, key, vault.streamAd(attachmentId), blob, sink, options),
    )
    if (plainSize !== info.size) throw new CustodiaError('TAMPERED', 'The attachment size does not match its metadata')
    return info
  } finally {
    await blob.close()
  }
}

export async function exportAttachment(vault: VaultInternals, attachmentId: string, destPath: string): Promise<void> {
  vault.assertUnlocked()
  validateId(attachmentId, 'attachment')
  const dest = path.resolve(destPath)
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${createRandomId(vault.sodium).slice(0, 12)}.part`)
  let out: fsp.FileHandle
  try {
    out = await fsp.open(tmp, 'wx', FILE_MODE)
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new CustodiaError('NOT_FOUND', 'The destination folder does not exist')
    throw err
  }
  let closed = false
  try {
    await decryptAttachment(vault, attachmentId, async (chunk) => {
      let written = 0
      while (written < chunk.length) written += (await out.write(chunk, written, chunk.length - written)).bytesWritten
    })
    await out.sync()
    await out.close()
    closed = true
    vault.assertUnlocked()
    await fsp.rename(tmp, dest)
    await syncDirectory(path.dirname(dest))
  } catch (err) {
    if (!closed) await out.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
}

export async function readAttachment(vault: VaultInternals, attachmentId: string): Promise<Buffer> {
  vault.assertUnlocked()
  const { info } = openAttachmentRow(vault, attachmentId)
  if (info.size > MAX_READ_ATTACHMENT_BYTES)
    throw new CustodiaError('VALIDATION', 'The attachment is larger than 64 MiB: export it to a file instead')
  const chunks: Buffer[] = []
  try {
    await decryptAttachment(vault, attachmentId, (chunk) => {
      chunks.push(Buffer.from(chunk))
    })
  } catch (err) {
    for (const chunk of chunks) chunk.fill(0)
    throw err
  }
  vault.assertUnlocked()
  return Buffer.concat(chunks)
}
