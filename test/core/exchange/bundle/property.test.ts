// Tests (Node, fast-check): random byte flips and truncations of a valid bundle only ever produce a CustodiaError,
// quickly, with nothing left in tempDir and nothing written next to the bundle.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBundle, writeBundle } from '../../../../electron/core/exchange/bundle/bundleFormat'
import { CustodiaError } from '../../../../shared/errors'
import { makeKeys, makeTempDir } from './helpers'

let dir: string
let valid: Buffer
const keys = makeKeys()

beforeAll(async () => {
  dir = makeTempDir()
  const out = path.join(dir, 'valid.age')
  const attachment = crypto.randomBytes(150_000) // three payload chunks
  await writeBundle({
    items: [
      {
        kind: 'letter',
        id: 'doc1',
        revision: 1,
        consent: 'internal',
        record: { body: 'text' },
        readable: { ext: 'txt', bytes: Buffer.from('readable') },
        files: [
          {
            attachmentId: 'a1',
            filename: 'a.bin',
            mediaType: 'application/octet-stream',
            size: attachment.length,
            open: () => yieldOnce(attachment),
          },
        ],
      },
    ],
    sender: { name: 'S', signingSecretKey: keys.signing.seed, signingPublicKey: keys.signing.publicKey },
    recipients: { x25519: [keys.recipient] },
    outPath: out,
  })
  valid = fs.readFileSync(out)
  fs.rmSync(out)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function* yieldOnce(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data
}

/** `at` is a fraction of the length, except for `flipHead`, which hits byte `at` (the age header and tar headers). */
type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'flipHead'; at: number; bit: number } | { kind: 'truncate'; at: number }

function applyMutations(data: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(data)
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length)
    const target = m.kind === 'flipHead' ? m.at : Math.min(at, out.length - 1)
    if (m.kind !== 'truncate' && target >= 0 && target < out.length) out[target] = (out[target] as number) ^ (1 << m.bit)
    if (m.kind === 'truncate') out = out.subarray(0, at)
  }
  return out
}

describe('property: damaged bundles', () => {
  it('valid bundle sanity check', async () => {
    const temp = fs.mkdtempSync(path.join(dir, 't-'))
    const file = path.join(dir, 'sanity.age')
    fs.writeFileSync(file, valid)
    const b = await openBundle(file, { identities: [keys.identity], tempDir: temp })
    expect(await b.readRecord('doc1')).toEqual({ body: 'text' })
    await b.dispose()
  })

  it('random flips and truncations → only CustodiaError, fast, no leftovers', async () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        bit: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({ kind: fc.constant('flipHead' as const), at: fc.integer({ min: 0, max: 400 }), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
    )
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const runDir = path.join(dir, `run-${run++}`)
        const temp = path.join(runDir, 'temp')
        fs.mkdirSync(temp, { recursive: true })
        const file = path.join(runDir, 'b.age')
        const damaged = applyMutations(valid, mutations)
        fs.writeFileSync(file, damaged)
        const started = Date.now()
        const err = await openBundle(file, { identities: [keys.identity], tempDir: temp }).then(
          async (b) => {
            await b.dispose()
            return null
          },
          (e: unknown) => e,
        )
        expect(Date.now() - started).toBeLessThan(5000)
        // Two flips of the same bit cancel out: only an unchanged file may open.
        if (damaged.equals(valid)) {
          expect(err).toBeNull()
          expect(fs.readdirSync(temp)).toEqual([])
          fs.rmSync(runDir, { recursive: true })
          return
        }
        expect(err).toBeInstanceOf(CustodiaError)
        expect(['TAMPERED', 'VALIDATION', 'UNSUPPORTED', 'WRONG_PASSPHRASE']).toContain((err as CustodiaError).code)
        expect(fs.readdirSync(temp)).toEqual([])
        expect(fs.readdirSync(runDir).sort()).toEqual(['b.age', 'temp'])
        fs.rmSync(runDir, { recursive: true })
      }),
      { numRuns: 300 },
    )
  })
})
