// Shared by preload and main: the two Electron IPC channel names everything travels on.
// Kept free of imports so the sandboxed preload bundle stays tiny.

/** Renderer → main requests; the logical channel name travels as the first argument. */
export const TRANSPORT_INVOKE = 'custodia:invoke'
/** Main → renderer events; the event name travels as the first argument. */
export const TRANSPORT_EVENT = 'custodia:event'
