// Core test (Node): the blob stream layer on its own (no row size checks in front of it) — FINAL-tag handling,
// truncation at a chunk boundary, data after FINAL, chunk reordering, and round trips at chunk-size edges.

import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  BLOB_HEADER_BYTES,
  decryptBlob,
} from '../../../electron/core/platform/crypto/streams'
import { createTempDir, writeTestBlob } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let sodium: SodiumBackend
let key: Buffer
const ad = Buffer.from('attachment ad')
beforeAll(async () => {
  sodium = await loadSodium()
  key = sodium.randomBytes(32)
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

async function encryptBytes(data: Buffer, name: string): Promise<Buffer> {
  return writeTestBlob(sodium, key, ad, data, path.join(root, name))
}

async function decryptBytes(blob: Buffer, name: string): Promise<{ plain: Buffer; chunksSeen: number }> {
  const file = path.join(root, name)
  fs.writeFileSync(file, blob)
  const handle = await fsp.open(file, 'r')
  const parts: Buffer[] = []
  try {
    await decryptBlob(sodium, key, ad, handle, (chunk) => {
      parts.push(Buffer.from(chunk))
    })
    return { plain: Buffer.concat(parts), chunksSeen: parts.length }
  } finally {
    await handle.close()
  }
}

describe('attachment streams', () => {
  it('round-trip sizes around the chunk size with exactly one FINAL chunk', async () => {
    for (const size of [0, 1, ATTACHMENT_CHUNK_BYTES - 1, ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES + 1, 2 * ATTACHMENT_CHUNK_BYTES]) {
      const data = sodium.randomBytes(size)
      const blob = await encryptBytes(data, `rt-${size}`)
      const chunks = Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES))
      expect(blob.length).toBe(BLOB_HEADER_BYTES + size + chunks * 17)
      const { plain } = await decryptBytes(blob, `rt-${size}.dec`)
      expect(plain.equals(data)).toBe(true)
    }
  })

  it('refuses bytes after the FINAL chunk even when they form a whole chunk', async () => {
    const data = sodium.randomBytes(2 * ATTACHMENT_CHUNK_BYTES)
    const blob = await encryptBytes(data, 'after-final')
    // The last chunk is full-sized, so the extra bytes arrive as a separate read after FINAL.
    const extended = Buffer.concat([blob, blob.subarray(BLOB_HEADER_BYTES, BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES)])
    await expect(decryptBytes(extended, 'after-final.dec')).rejects.toThrow(
      expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining('after its final') }),
    )
    const oneByte = Buffer.concat([blob, Buffer.from([0])])
    await expect(decryptBytes(oneByte, 'after-final-1.dec')).rejects.toThrow(expect.objectContaining({ code: 'TAMPERED' }))
  })

  it('refuses a stream cut at a chunk boundary (no FINAL chunk) as truncated', async () => {
    const data = sodium.randomBytes(2 * ATTACHMENT_CHUNK_BYTES + 10)
    const blob = await encryptBytes(data, 'cut')
    for (const chunks of [1, 2]) {
      const cut = blob.subarray(0, BLOB_HEADER_BYTES + chunks * ATTACHMENT_CIPHER_CHUNK_BYTES)
      await expect(decryptBytes(cut, `cut-${chunks}.dec`)).rejects.toThrow(
        expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining('truncated') }),
      )
    }
    await expect(decryptBytes(blob.subarray(0, BLOB_HEADER_BYTES), 'cut-0.dec')).rejects.toThrow(
      expect.objectContaining({ code: 'TAMPERED' }),
    )
  })

  it('refuses swapped chunks, a wrong AD and a foreign header', async () => {
    const data = sodium.randomBytes(3 * ATTACHMENT_CHUNK_BYTES + 5)
    const blob = await encryptBytes(data, 'swap')
    const c = (i: number) =>
      blob.subarray(BLOB_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES, BLOB_HEADER_BYTES + (i + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES)
    const swapped = Buffer.concat([
      blob.subarray(0, BLOB_HEADER_BYTES),
      c(1),
      c(0),
      blob.subarray(BLOB_HEADER_BYTES + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES),
    ])
    await expect(decryptBytes(swapped, 'swap.dec')).rejects.toThrow(expect.objectContaining({ code: 'TAMPERED' }))
    const other = await encryptBytes(data, 'swap-other')
    const foreignHeader = Buffer.concat([other.subarray(0, BLOB_HEADER_BYTES), blob.subarray(BLOB_HEADER_BYTES)])
    await expect(decryptBytes(foreignHeader, 'swap-header.dec')).rejects.toThrow(expect.objectContaining({ code: 'TAMPERED' }))
    const file = path.join(root, 'wrong-ad')
    fs.writeFileSync(file, blob)
    const handle = await fsp.open(file, 'r')
    await expect(decryptBlob(sodium, key, Buffer.from('other ad'), handle, () => undefined)).rejects.toThrow(
      expect.objectContaining({ code: 'TAMPERED' }),
    )
    await handle.close()
  })

  it('decrypts each chunk straight into a buffer from outputBuffer, which the sink then owns', async () => {
    const data = sodium.randomBytes(2 * ATTACHMENT_CHUNK_BYTES + 123)
    const blob = await encryptBytes(data, 'provided')
    const file = path.join(root, 'provided.blob')
    fs.writeFileSync(file, blob)
    const handle = await fsp.open(file, 'r')
    const handedOut: Buffer[] = []
    const received: Buffer[] = []
    try {
      await decryptBlob(sodium, key, ad, handle, (chunk) => void received.push(chunk), {
        outputBuffer: () => {
          const buf = Buffer.alloc(ATTACHMENT_CHUNK_BYTES + 256)
          handedOut.push(buf)
          return buf
        },
      })
    } finally {
      await handle.close()
    }
    expect(received.map((c) => c.length)).toEqual([ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES, 123])
    // Each chunk is a view of its own provided buffer (no copy, no reuse), and together they are the file.
    received.forEach((chunk, i) => expect(chunk.buffer).toBe(handedOut[i]?.buffer))
    expect(Buffer.concat(received).equals(data)).toBe(true)
  })
})
