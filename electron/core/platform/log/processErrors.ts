// Main process (Node): writes errors nothing else caught to the application log — their class and code only.
import type { AppLog } from './appLog'
import { errorFields } from './appLog'

/** The part of `process` this needs, so a test can drive it with a plain EventEmitter. */
export interface ProcessEvents {
  on(event: 'uncaughtExceptionMonitor', listener: (error: unknown, origin: string) => void): unknown
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown
}

/**
 * Logs uncaught exceptions and unhandled rejections. The exception listener is the *monitor* one, so what happens
 * next is unchanged (Electron still shows its error dialog; Node still exits). Listening for unhandled rejections
 * only replaces the console warning Electron prints by default (it does not crash on them either way).
 */
export function logUnexpectedErrors(log: AppLog, target: ProcessEvents = process): void {
  target.on('uncaughtExceptionMonitor', (error, origin) => {
    log.error(origin === 'unhandledRejection' ? 'process.unhandledRejection' : 'process.uncaughtException', errorFields(error))
  })
  target.on('unhandledRejection', (reason) => log.error('process.unhandledRejection', errorFields(reason)))
}
