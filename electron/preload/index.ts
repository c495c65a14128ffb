// Preload (sandboxed, CommonJS): exposes exactly one object, `window.custodia`, and never ipcRenderer itself.
// Channel names and payloads are checked in main; this only forwards them.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { CustodiaBridge, EventName } from '../../shared/ipc/contract'
import { TRANSPORT_EVENT, TRANSPORT_INVOKE } from '../../shared/ipc/transport'

const bridge: CustodiaBridge = {
  invoke: (channel, request) => ipcRenderer.invoke(TRANSPORT_INVOKE, channel, request),
  on: (event: EventName, listener) => {
    const wrapped = (_e: unknown, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(TRANSPORT_EVENT, wrapped)
    return () => ipcRenderer.removeListener(TRANSPORT_EVENT, wrapped)
  },
  // Sandboxed renderers no longer see File.path: drag-and-drop import asks here (a path, never file contents).
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file as File)
    } catch {
      return ''
    }
  },
}

contextBridge.exposeInMainWorld('custodia', bridge)
