// Main process (and the CLI): what the app's services write to the application log about a failed IPC call — the
// channel, the error's class and code, and for a refused response the number of schema problems (not what they were:
// a problem names the offending value's place, and record fields can be keyed by data).
import type { InternalFailure } from '../api/dispatch'
import { errorFields, type AppLog } from '../platform/log/appLog'

export function logInternalError(log: AppLog, channel: string, error: unknown, failure: InternalFailure): void {
  if (failure === 'response') {
    const issues = (error as { issues?: unknown } | null)?.issues
    log.error('ipc.responseRejected', { channel, ...errorFields(error), ...(Array.isArray(issues) ? { count: issues.length } : {}) })
  } else {
    log.error('ipc.handlerFailed', { channel, ...errorFields(error) })
  }
}
