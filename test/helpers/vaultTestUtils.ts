// Test helper (Node): temp folders, file hashing and byte scanning for the vault tests. No mocks: real files only.

import { createHash } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { SodiumBackend } from '../../electron/core/platform/crypto/sodium'
import { createIterableFiller, encryptToBlob } from '../../electron/core/platform/crypto/streams'

/** A passphrase used across the vault tests. */
export const TEST_PASSPHRASE = Buffer.from('correct horse battery staple', 'utf8')

/** Creates a fresh private temp folder (callers remove it in afterEach/afterAll). */
export function createTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
}

/** Every regular file under `dir`, recursively, as absolute paths in sorted order. */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFilesRecursive(full))
    else if (entry.isFile()) out.push(full)
  }
  return out.sort()
}

/** relative path → sha256 hex of every file under `dir` (to prove nothing changed). */
export function hashTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const file of listFilesRecursive(dir)) {
    result[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  }
  return result
}

/** The byte patterns a plaintext string could appear as on disk: UTF-8, UTF-16LE and base64 of the UTF-8. */
export function encodeMarkerVariants(marker: string): { label: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(marker, 'utf8')
  return [
    { label: 'utf8', bytes: utf8 },
    { label: 'utf16le', bytes: Buffer.from(marker, 'utf16le') },
    // base64 of the whole string and of its three alignment shifts inside a longer base64 text (middle part only).
    { label: 'base64', bytes: Buffer.from(utf8.toString('base64').replace(/=+$/, '')) },
    {
      label: 'base64+1',
      bytes: Buffer.from(
        Buffer.concat([Buffer.from([0]), utf8])
          .toString('base64')
          .slice(4, -4),
      ),
    },
    {
      label: 'base64+2',
      bytes: Buffer.from(
        Buffer.concat([Buffer.from([0, 0]), utf8])
          .toString('base64')
          .slice(4, -4),
      ),
    },
  ]
}

/** Scans every byte of every file under `dir` for every marker variant; returns "file: marker (encoding)" hits. */
export function findMarkersInTree(dir: string, markers: string[]): string[] {
  const hits: string[] = []
  for (const file of listFilesRecursive(dir)) {
    const data = fs.readFileSync(file)
    for (const marker of markers) {
      for (const variant of encodeMarkerVariants(marker)) {
        if (data.includes(variant.bytes)) hits.push(`${path.relative(dir, file)}: ${marker} (${variant.label})`)
      }
    }
  }
  return hits
}

/** Deterministic record content for an index, so a crash test can check a record by its id alone. */
export function createCrashContent(index: number): { summary: Record<string, unknown>; body: unknown } {
  return {
    summary: { title: `Letter ${index}`, index },
    body: { text: `Body of letter ${index} `.repeat((index % 7) + 1), items: Array.from({ length: index % 5 }, (_, i) => i * index) },
  }
}

/** Deterministic attachment bytes for an index. */
export function createCrashAttachment(index: number): Buffer {
  const buf = Buffer.alloc(1000 + (index % 13) * 517)
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 31 + index) & 0xff
  return buf
}

/** The record id a crash child uses for its n-th record (32 hex chars, deterministic). */
export function createCrashRecordId(index: number): string {
  return createHash('sha256').update(`crash-record-${index}`).digest('hex').slice(0, 32)
}

/**
 * Encrypts `data` into a new blob file with encryptToBlob, fed in odd-sized pieces (7 bytes, then up to 300,001, then
 * the rest) so the filler copies across chunk boundaries; returns the blob's bytes. Throws if the sizes disagree.
 */
export async function writeTestBlob(sodium: SodiumBackend, key: Uint8Array, ad: Uint8Array, data: Buffer, file: string): Promise<Buffer> {
  const out = await fsp.open(file, 'w')
  try {
    const pieces = [data.subarray(0, 7), data.subarray(7, 300_001), data.subarray(300_001)]
    const source = (async function* () {
      yield* pieces
    })()
    const sizes = await encryptToBlob(sodium, key, ad, createIterableFiller(source), out)
    if (sizes.plainSize !== data.length) throw new Error(`encryptToBlob reported ${sizes.plainSize} bytes for ${data.length}`)
  } finally {
    await out.close()
  }
  return fs.readFileSync(file)
}
