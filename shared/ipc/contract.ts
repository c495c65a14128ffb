// Shared by main, preload-facing renderer client and tests: the one table of IPC channels.
// Each channel names its request and response schema (zod, strict objects). Main validates every request against
// it before a handler runs; the renderer's typed client is generated from the same table, so adding a channel is
// one edit here plus its handler (which the compiler then demands).
import { z } from 'zod'
import type { ErrorCode } from '../errors'
import { appChannels } from './channels/appChannels'
import { auditChannels } from './channels/auditChannels'
import { vaultChannels } from './channels/vaultChannels'
import { libraryChannels } from './channels/libraryChannels'
import { dossierChannels } from './channels/dossierChannels'
import { lettersChannels } from './channels/letterChannels'
import { bundlesChannels, bundleProgressSchema } from './channels/exchangeChannels'
import { annotationChannels } from './channels/annotationChannels'
import { organisationChannels } from './channels/organisationChannels'
import { backupsChannels, backupProgressSchema } from './channels/backupChannels'
import { memberChannels } from './channels/memberChannels'
import { syncChannels } from './channels/syncChannels'

export { vaultStateSchema, type VaultState } from './channels/vaultChannels'

/** Largest request accepted, measured as JSON text. Files travel by path or as attachments, never as payloads. */
export const MAX_REQUEST_BYTES = 1024 * 1024

export { TRANSPORT_EVENT, TRANSPORT_INVOKE } from './transport'

/**
 * Every channel of every area. Each area keeps its table in shared/ipc/channels/<area>Channels.ts; adding a channel is
 * one entry there plus its handler in electron/core/api/handlers/<area>Handlers.ts (the compiler demands the handler).
 */
export const channels = {
  ...appChannels,
  ...vaultChannels,
  ...auditChannels,
  ...libraryChannels,
  ...dossierChannels,
  ...lettersChannels,
  ...bundlesChannels,
  ...annotationChannels,
  ...organisationChannels,
  ...backupsChannels,
  ...memberChannels,
  ...syncChannels,
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
  'vault:locked': z.strictObject({ reason: z.enum(['user', 'idle', 'suspend', 'screen-lock', 'shortcut', 'panic']) }),
  /** Bundle export progress for the job the renderer started (bytes over both passes, speed, time left). */
  'bundles:progress': bundleProgressSchema,
  /** Progress of the backup, verification or restore the renderer started (bytes copied or checked). */
  'backups:progress': backupProgressSchema,
  /** The one-time move of an older vault to per-item keys, during the unlock that does it (items done of total). */
  'vault:itemKeyProgress': z.strictObject({ done: z.number().int().min(0), total: z.number().int().min(0) }),
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
  /** The local path of a file dropped on the window ('' when it has none); Electron's webUtils.getPathForFile. */
  pathForFile(file: unknown): string
}
