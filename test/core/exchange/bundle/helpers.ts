// Test helper (Node): temp dirs, raw tar building for hostile archives, signed manifests, and bundles made by hand.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { encodeX25519Identity, encryptChunks, generateX25519Identity } from '../../../../electron/core/platform/crypto/age/age'
import { formatFingerprint } from '../../../../electron/core/exchange/bundle/manifest'

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
}

export function computeSha256Hex(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex')
}

/** Recursively lists files (relative paths) under a folder. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => !fs.statSync(path.join(dir, p)).isDirectory())
}

export function makeSigningKeys(): { seed: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519')
  return {
    seed: Buffer.from(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16)),
    publicKey: Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)),
  }
}

export interface RawTarEntry {
  name: string
  data?: Uint8Array
  /** Declared size; defaults to data length. */
  size?: number
  /** Type flag character: '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, 'x' pax. */
  type?: string
  linkname?: string
  prefix?: string
}

/** One 512-byte ustar header with a correct checksum, for building archives tar libraries refuse to write. */
export function makeTarHeader(e: RawTarEntry): Buffer {
  const h = Buffer.alloc(512)
  h.write(e.name, 0, 100, 'utf8')
  h.write('0000644\0', 100, 'latin1')
  h.write('0000000\0', 108, 'latin1')
  h.write('0000000\0', 116, 'latin1')
  const size = e.size ?? e.data?.length ?? 0
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1')
  h.write('00000000000\0', 136, 'latin1')
  h.write(e.type ?? '0', 156, 'latin1')
  if (e.linkname) h.write(e.linkname, 157, 100, 'utf8')
  h.write('ustar\x0000', 257, 'latin1')
  if (e.prefix) h.write(e.prefix, 345, 155, 'utf8')
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return h
}

export function buildTar(entries: readonly RawTarEntry[]): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    parts.push(makeTarHeader(e))
    const data = e.data ?? new Uint8Array(0)
    parts.push(Buffer.from(data))
    const pad = (512 - (data.length % 512)) % 512
    parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

export interface TestKeys {
  identity: string
  recipient: string
  secretKey: Buffer
  signing: { seed: Buffer; publicKey: Buffer }
}

export function makeKeys(): TestKeys {
  const id = generateX25519Identity()
  return { identity: encodeX25519Identity(id.secretKey), recipient: id.recipient, secretKey: id.secretKey, signing: makeSigningKeys() }
}

export async function encryptToFile(plaintext: Uint8Array, recipient: string, outPath: string): Promise<void> {
  const parts: Buffer[] = []
  for await (const p of encryptChunks({ x25519: [recipient] }, [plaintext])) parts.push(p)
  fs.writeFileSync(outPath, Buffer.concat(parts))
}

export interface HandFile {
  path: string
  data: Uint8Array
  role: 'record' | 'readable' | 'attachment'
}

/** A valid manifest for one item `doc1` holding the given files; `edit` may change it before signing. */
export function makeManifestBytes(
  files: readonly HandFile[],
  signing: { publicKey: Buffer },
  edit?: (m: Record<string, unknown>) => void,
): Buffer {
  const manifest: Record<string, unknown> = {
    format: 'custodia-bundle',
    version: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    sender: {
      name: 'Test Sender',
      signingKey: signing.publicKey.toString('base64'),
      fingerprint: formatFingerprint(signing.publicKey),
    },
    recipients: [],
    items: [
      {
        kind: 'letter',
        id: 'doc1',
        revision: 1,
        consent: 'internal',
        files: files.map((f) => ({ path: f.path, sha256: computeSha256Hex(f.data), size: f.data.length, role: f.role })),
      },
    ],
  }
  edit?.(manifest)
  return Buffer.from(JSON.stringify(manifest), 'utf8')
}

export function signBytes(data: Uint8Array, seed: Buffer): Buffer {
  const key = crypto.createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  })
  return crypto.sign(null, data, key)
}

export const DEFAULT_FILES: HandFile[] = [
  { path: 'records/doc1.json', data: Buffer.from('{"body":"letter"}'), role: 'record' },
  { path: 'readable/doc1.txt', data: Buffer.from('A readable letter.\n'), role: 'readable' },
  { path: 'files/att1', data: Buffer.from('attachment bytes'), role: 'attachment' },
]

/** Tar entries of a valid bundle: manifest, signature, then files. */
export function makeValidEntries(keys: TestKeys, files: readonly HandFile[] = DEFAULT_FILES): RawTarEntry[] {
  const manifest = makeManifestBytes(files, keys.signing)
  return [
    { name: 'manifest.json', data: manifest },
    { name: 'manifest.sig', data: signBytes(manifest, keys.signing.seed) },
    ...files.map((f) => ({ name: f.path, data: f.data })),
  ]
}

/** Everything an async iterable of byte chunks yields, as one buffer. */
export async function collectBytes(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of source) parts.push(part)
  return Buffer.concat(parts)
}
