// Shared by main, preload-facing renderer client and tests: the one table of IPC channels.
// Each channel names its request and response schema (zod, strict objects). Main validates every request against
// it before a handler runs; the renderer's typed client is generated from the same table, so adding a channel is
// one edit here plus its handler (which the compiler then demands).
import { z } from 'zod'
import type { ErrorCode } from '../errors'

/** Largest request accepted, measured as JSON text. Files travel by path or as attachments, never as payloads. */
export const MAX_REQUEST_BYTES = 1024 * 1024

export { TRANSPORT_EVENT, TRANSPORT_INVOKE } from './transport'

const empty = z.strictObject({})
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    message: 'must be an absolute folder path',
  })
const passphrase = z.string().min(1, 'passphrase is empty').max(1024, 'passphrase is too long')

export const vaultStateSchema = z.strictObject({
  state: z.enum(['none', 'locked', 'unlocked']),
  dir: z.string().nullable(),
  vaultId: z.string().nullable(),
  autoLockMinutes: z.number().int(),
})
export type VaultState = z.infer<typeof vaultStateSchema>

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response })

export const channels = {
  'app:info': channel(
    empty,
    z.strictObject({ name: z.string(), version: z.string(), platform: z.string(), backend: z.string() }),
  ),
  'vault:status': channel(empty, vaultStateSchema),
  'vault:recent': channel(empty, z.strictObject({ dirs: z.array(z.string()) })),
  'vault:chooseFolder': channel(
    z.strictObject({ purpose: z.enum(['create', 'open']) }),
    z.strictObject({ dir: z.string().nullable() }),
  ),
  'vault:create': channel(
    z.strictObject({
      dir: absolutePath,
      passphrase: passphrase.refine((p) => [...p].length >= 12, 'passphrase must be at least 12 characters'),
    }),
    z.strictObject({ recoveryKey: z.string(), status: vaultStateSchema }),
  ),
  'vault:unlock': channel(z.strictObject({ dir: absolutePath, passphrase }), vaultStateSchema),
  'vault:unlockWithRecoveryKey': channel(
    z.strictObject({ dir: absolutePath, recoveryKey: z.string().min(1).max(200) }),
    vaultStateSchema,
  ),
  'vault:lock': channel(empty, vaultStateSchema),
  'vault:changePassphrase': channel(
    z.strictObject({
      oldPassphrase: passphrase,
      newPassphrase: passphrase.refine((p) => [...p].length >= 12, 'passphrase must be at least 12 characters'),
    }),
    z.strictObject({}),
  ),
  'vault:setAutoLock': channel(
    z.strictObject({ minutes: z.number().int().min(0).max(24 * 60) }),
    vaultStateSchema,
  ),
  'audit:verify': channel(
    empty,
    z.strictObject({ ok: z.boolean(), entries: z.number().int(), firstBrokenSeq: z.number().int().nullable() }),
  ),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelRequest<C extends ChannelName> = z.input<Channels[C]['request']>
export type ChannelResponse<C extends ChannelName> = z.output<Channels[C]['response']>

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name)
}

/** Main → renderer events and their payloads. */
export const events = {
  'vault:locked': z.strictObject({ reason: z.enum(['user', 'idle', 'suspend', 'screen-lock', 'shortcut']) }),
} as const
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export interface IpcFailure {
  code: ErrorCode
  message: string
  /** Field-level problems for VALIDATION errors: a dotted path and a message, safe to show. */
  issues?: { path: string; message: string }[]
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcFailure }

/** What preload exposes as `window.custodia` — and nothing else. */
export interface CustodiaBridge {
  invoke(channel: string, request: unknown): Promise<IpcResult<unknown>>
  on(event: EventName, listener: (payload: unknown) => void): () => void
}
