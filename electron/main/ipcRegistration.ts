// Main process: the one IPC entry point. Drops calls from any frame that is not our app page before anything
// else runs (Electron checklist 17), then hands the request to the shared dispatcher (schema → handler → result).
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { TRANSPORT_INVOKE, type IpcResult } from '../../shared/ipc/contract'
import type { Dispatch } from '../core/api/dispatch'
import { isTrustedSenderUrl } from './security'

export interface RegisterOptions {
  devServerUrl?: string
  /** Only the main window's top frame may call; anything else is refused. */
  isOurWebContents: (event: IpcMainInvokeEvent) => boolean
  onRejectedSender?: (url: string | undefined) => void
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch, options: RegisterOptions): void {
  ipcMain.handle(TRANSPORT_INVOKE, async (event, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
    const frame = event.senderFrame
    const url = frame?.url
    const isTopFrame = frame !== null && frame !== undefined && frame.parent === null
    if (!isTopFrame || !options.isOurWebContents(event) || !isTrustedSenderUrl(url, options.devServerUrl)) {
      options.onRejectedSender?.(url)
      return { ok: false, error: { code: 'VALIDATION', message: 'Request refused.' } }
    }
    return dispatch(channel, request)
  })
}
