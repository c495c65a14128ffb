// Renderer: the only reader of `window.custodia`. A typed client generated from the IPC contract table:
// `api['vault:unlock']({ dir, passphrase })` resolves with the typed response or rejects with an ApiError.
import {
  CHANNEL_NAMES,
  type ChannelName,
  type ChannelRequest,
  type ChannelResponse,
  type CustodiaBridge,
  type EventName,
  type EventPayload,
  type IpcFailure,
} from '../../../shared/ipc/contract'
import type { ErrorCode } from '../../../shared/errors'
import { describeFailure, type MessageContext, type PlainFailure } from '../../../shared/messages/messages'
import { t } from '../i18n/intl'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ErrorCode
  readonly issues: IpcFailure['issues']
  constructor(failure: IpcFailure) {
    super(failure.message)
    this.code = failure.code
    this.issues = failure.issues
  }
}

export type Api = {
  [C in ChannelName]: (request: ChannelRequest<C>) => Promise<ChannelResponse<C>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

declare global {
  interface Window {
    custodia?: CustodiaBridge
  }
}

export function createApi(bridge: CustodiaBridge): Api {
  const api: Record<string, unknown> = {}
  for (const channel of CHANNEL_NAMES) {
    api[channel] = async (request: unknown) => {
      const result = await bridge.invoke(channel, request)
      if (!result.ok) throw new ApiError(result.error)
      return result.value
    }
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => bridge.on(event, listener)
  return api as Api
}

/** What a failure inside the renderer itself says (no code, nothing logged in main). */
const RENDERER_FAILURE = t('api.client.somethingWentWrongPlease')

/**
 * A failure in words for a person (shared/messages): the sentence, the problems of single fields, and the technical
 * detail for the "Details" toggle. Anything that is not an ApiError (a bug in the renderer) gets a generic sentence.
 */
export function explainError(error: unknown, context?: MessageContext): PlainFailure {
  if (error instanceof ApiError) return describeFailure(error, context)
  return { message: RENDERER_FAILURE, fields: [], details: null }
}

/** The sentence of explainError, for places that show one line. */
export function describeError(error: unknown, context?: MessageContext): string {
  return explainError(error, context).message
}

/** Absolute paths of dropped files that have one (files dragged from a browser or an archive have none). */
export function readDroppedPaths(files: ArrayLike<File>): string[] {
  const bridge = window.custodia
  if (!bridge) return []
  return Array.from(files)
    .map((f) => bridge.pathForFile(f))
    .filter((p) => typeof p === 'string' && p !== '')
}

let cached: Api | null = null
export function getApi(): Api {
  if (!cached) {
    if (!window.custodia) throw new Error(t('api.client.theCustodiaBridgeIs'))
    cached = createApi(window.custodia)
  }
  return cached
}
