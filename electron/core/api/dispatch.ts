// Main process (and the e2e harness): turns one untrusted IPC request into a typed result.
// Order matters: channel name → size → schema → handler → response schema. Only CustodiaError messages cross
// the boundary; anything else becomes INTERNAL with a fixed message, so no stack, path or plaintext leaks.
import type { z } from 'zod'
import {
  channels,
  isChannelName,
  MAX_REQUEST_BYTES,
  type ChannelRequest,
  type IpcFailure,
  type IpcResult,
} from '../../../shared/ipc/contract'
import { isCustodiaError } from '../../../shared/errors'
import { describeRefusal, roleCan, type Role } from '../../../shared/members/roles'
import { requiredCapability } from './channelCapabilities'
import { sqliteDamage } from '../platform/db/connection'

type ChannelSpec = { request: z.ZodType; response: z.ZodType }

/** The handlers of one area's channel table: one function per channel, typed by its schemas. */
export type AreaHandlers<T extends Record<string, ChannelSpec>> = {
  [C in keyof T]: (request: z.output<T[C]['request']>) => Promise<z.output<T[C]['response']>> | z.output<T[C]['response']>
}

/** One function per channel of the whole contract: a forgotten channel is a compile error. */
export type Handlers = AreaHandlers<typeof channels>

export type Dispatch = (channel: unknown, request: unknown) => Promise<IpcResult<unknown>>

/** How a call went wrong inside main: its handler threw, or what it returned broke the channel's response schema. */
export type InternalFailure = 'handler' | 'response'

/**
 * Who is calling, for the role check: `locked` (no vault open: the handler answers VAULT_LOCKED as before), a role, or
 * `unknown` (a vault whose member list was changed outside Custodia: every channel that needs a capability is refused).
 */
export type Caller = 'locked' | 'unknown' | { readonly role: Role }

export interface DispatchOptions {
  /** The session's caller; without it no role is checked (tests of the dispatcher alone). */
  caller?: () => Caller
  /** Called with errors that are not CustodiaErrors, for the application log. Never given to the renderer. */
  onInternalError?: (channel: string, error: unknown, failure: InternalFailure) => void
}

/** What the renderer is told when a call fails inside main; the log holds what failed (class, code, channel). */
export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong. A note of what failed was written to the application log (Security → Open log folder).'

function fail(code: IpcFailure['code'], message: string, issues?: IpcFailure['issues']): IpcResult<never> {
  return { ok: false, error: issues ? { code, message, issues } : { code, message } }
}

/** Size of a request as JSON text; null when it cannot be serialised (cycles, BigInt, functions are rejected). */
function measureRequest(request: unknown): number | null {
  try {
    const text = JSON.stringify(request)
    return text === undefined ? null : text.length
  } catch {
    return null
  }
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(request)',
    message: issue.message,
  }))
}

/**
 * The role check: null when `caller` may call `channel` with this (validated) request, else the refusal to show. One
 * table lookup and one set lookup; while locked nothing is refused here (the handler answers VAULT_LOCKED).
 */
export function checkRole(caller: Caller, channel: keyof typeof channels, request: unknown): string | null {
  const capability = requiredCapability(channel, request)
  if (capability === null || caller === 'locked') return null
  if (caller === 'unknown')
    return "This vault's member list was changed outside Custodia, so no one can be given this right until an admin reviews it."
  return roleCan(caller.role, capability) ? null : describeRefusal(caller.role, capability)
}

export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, request) => {
    if (!isChannelName(channel)) return fail('VALIDATION', 'Unknown request type.')
    const size = measureRequest(request)
    if (size === null) return fail('VALIDATION', 'The request could not be read.')
    if (size > MAX_REQUEST_BYTES) return fail('VALIDATION', 'The request is too large.')

    const spec = channels[channel]
    const parsed = spec.request.safeParse(request)
    if (!parsed.success) {
      const issues = describeIssues(parsed.error)
      return fail('VALIDATION', `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
    }
    // The role check, before any handler runs (docs/MEMBERS.md).
    if (options.caller) {
      const refusal = checkRole(options.caller(), channel, parsed.data)
      if (refusal !== null) return fail('FORBIDDEN', refusal)
    }
    try {
      const handler = handlers[channel] as (req: unknown) => unknown
      const value = await handler(parsed.data)
      const checked = spec.response.safeParse(value)
      if (!checked.success) {
        options.onInternalError?.(channel, checked.error, 'response')
        return fail('INTERNAL', INTERNAL_ERROR_MESSAGE)
      }
      return { ok: true, value: checked.data }
    } catch (error) {
      if (isCustodiaError(error)) return fail(error.code, error.message)
      const damage = sqliteDamage(error)
      if (damage) {
        options.onInternalError?.(channel, error, 'handler')
        return fail(damage.code, damage.message)
      }
      options.onInternalError?.(channel, error, 'handler')
      return fail('INTERNAL', INTERNAL_ERROR_MESSAGE)
    }
  }
}

export type { ChannelRequest }
