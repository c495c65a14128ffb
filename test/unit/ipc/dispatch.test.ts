// Unit (Node): the IPC dispatcher — every request is checked against the contract table before a handler runs,
// and only typed { code, message } failures ever come back.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CustodiaError, ERROR_CODES } from '../../../shared/errors'
import { CHANNEL_NAMES, MAX_REQUEST_BYTES, channels, type ChannelName } from '../../../shared/ipc/contract'
import { createDispatcher, type Handlers } from '../../../electron/core/api/dispatch'

const SECRET = 'Бяляцкі-secret-/home/user/vault/path'

/** Handlers that record what reached them and then fail in a way chosen per test. */
function makeHandlers(behaviour: (channel: ChannelName) => unknown): { handlers: Handlers; calls: ChannelName[] } {
  const calls: ChannelName[] = []
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      async () => {
        calls.push(name)
        return behaviour(name)
      },
    ]),
  ) as unknown as Handlers
  return { handlers, calls }
}

describe('createDispatcher', () => {
  it('rejects an unknown channel with VALIDATION without calling anything', async () => {
    const { handlers, calls } = makeHandlers(() => ({}))
    const dispatch = createDispatcher(handlers)
    for (const name of ['vault:explode', '__proto__', 'constructor', 'toString', 42, null, undefined]) {
      const result = await dispatch(name, {})
      expect(result).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Unknown request type.' } })
    }
    expect(calls).toEqual([])
  })

  it('rejects a malformed payload with VALIDATION naming the field, without calling the handler', async () => {
    const { handlers, calls } = makeHandlers(() => ({}))
    const dispatch = createDispatcher(handlers)
    const result = await dispatch('vault:unlock', { dir: 'relative/path', passphrase: 'x' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('VALIDATION')
    expect(result.error.issues).toEqual([{ path: 'dir', message: 'must be an absolute folder path' }])
    // Strict objects: unexpected keys are refused too.
    const extra = await dispatch('vault:lock', { force: true })
    expect(extra.ok).toBe(false)
    expect(calls).toEqual([])
  })

  it('rejects an oversized payload with VALIDATION before parsing it', async () => {
    const { handlers, calls } = makeHandlers(() => ({}))
    const dispatch = createDispatcher(handlers)
    const result = await dispatch('vault:unlock', { dir: '/tmp/v', passphrase: 'x'.repeat(MAX_REQUEST_BYTES + 1) })
    expect(result).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The request is too large.' } })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(await dispatch('vault:lock', cyclic)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await dispatch('vault:lock', { n: 10n })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(calls).toEqual([])
  })

  it('passes CustodiaError codes and messages through, and hides everything else behind INTERNAL', async () => {
    const logged: unknown[] = []
    const dispatch = createDispatcher(
      makeHandlers((name) => {
        if (name === 'vault:lock') throw new CustodiaError('VAULT_LOCKED', 'The vault is locked.')
        throw new Error(`failed reading ${SECRET}`)
      }).handlers,
      { onInternalError: (_c, e) => logged.push(e) },
    )
    expect(await dispatch('vault:lock', {})).toEqual({ ok: false, error: { code: 'VAULT_LOCKED', message: 'The vault is locked.' } })
    const hidden = await dispatch('app:getInfo', {})
    expect(hidden.ok).toBe(false)
    expect(JSON.stringify(hidden)).not.toContain('secret')
    expect(hidden).toMatchObject({ error: { code: 'INTERNAL' } })
    expect(logged).toHaveLength(1)
  })

  it('refuses to return a response that breaks its own schema', async () => {
    const dispatch = createDispatcher(makeHandlers(() => ({ unexpected: SECRET })).handlers)
    const result = await dispatch('app:getInfo', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain('secret')
  })

  it('returns the parsed value on success', async () => {
    const dispatch = createDispatcher(
      makeHandlers(() => ({ name: 'Custodia', version: '1', platform: 'linux', backend: 'native', screenLock: 'none' })).handlers,
    )
    expect(await dispatch('app:getInfo', {})).toEqual({
      ok: true,
      value: { name: 'Custodia', version: '1', platform: 'linux', backend: 'native', screenLock: 'none' },
    })
  })

  it('answers random payloads on every channel with typed results only (property)', async () => {
    // Handlers that fail in every way a real one might, each time carrying a secret in the error.
    const failures = [
      () => {
        throw new Error(SECRET)
      },
      () => {
        throw new TypeError(`Cannot read properties of undefined (reading '${SECRET}')`)
      },
      () => {
        throw SECRET
      },
      () => Promise.reject(new RangeError(SECRET)),
      () => ({ leaked: SECRET }),
      () => undefined,
    ]
    let pick = 0
    const dispatch = createDispatcher(makeHandlers(() => failures[pick++ % failures.length]!()).handlers)
    const channelArb = fc.oneof(fc.constantFrom(...CHANNEL_NAMES), fc.string())
    await fc.assert(
      fc.asyncProperty(
        channelArb,
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true }),
        async (channel, payload) => {
          const result = await dispatch(channel, payload)
          expect(typeof result.ok).toBe('boolean')
          if (!result.ok) {
            expect(ERROR_CODES).toContain(result.error.code)
            expect(typeof result.error.message).toBe('string')
            expect(result.error.message).not.toContain(SECRET)
            expect(result.error.message).not.toMatch(/\n\s+at /)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('accepts, for every channel, a request shaped by its own schema', () => {
    // Guards the table itself: each request schema is a strict object, so unknown keys never slip through.
    for (const name of CHANNEL_NAMES) {
      const schema = channels[name].request
      expect(schema.safeParse({ __unexpected: 1 }).success, name).toBe(false)
    }
  })
})
