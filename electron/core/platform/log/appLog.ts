// Main process and CLI (Node): the application log — a small local text file a user can send with a problem report.
// It holds only what is listed here: a known event name and a few typed fields (error class and code, IPC channel,
// CLI command, reason, counts, durations, app version, OS platform). Never a message, title, path, passphrase or
// stack: error messages and stacks of foreign code can quote data (a SQLite message quotes SQL, an fs error names
// the file, a stack's first line is the message), and with our main process bundled into one file the frames would
// add little beyond the class, code and channel. Every value is checked against its field's pattern; a value that
// fails is written as [redacted] and a field we do not know is only counted, so a slip in a caller cannot leak.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const LOG_FILE_NAME = 'custodia.log'
/** A file is rotated before it would grow past this size. */
export const MAX_LOG_FILE_BYTES = 1024 * 1024
/** Files kept in all: custodia.log, custodia.1.log, custodia.2.log (the oldest is dropped at rotation). */
export const KEPT_LOG_FILES = 3

/** Every event the log may hold; the list is closed so no caller can turn data into an event name. */
export const LOG_EVENTS = [
  'app.started',
  'vault.opened',
  'vault.locked',
  'vault.lockCleanupFailed',
  'vault.panicLockFailed',
  'ipc.handlerFailed',
  'ipc.responseRejected',
  'process.uncaughtException',
  'process.unhandledRejection',
  'cli.started',
  'cli.finished',
  'cli.failed',
] as const
export type LogEvent = (typeof LOG_EVENTS)[number]

export type LogLevel = 'info' | 'warn' | 'error'

/** The only fields a log line may carry. Callers pass constants or values the code itself produced, never input. */
export interface LogFields {
  /** CLI command words from the command table: "audit verify". */
  command?: string
  /** An IPC channel name: vault:unlock. */
  channel?: string
  /** Why something happened, one lowercase word: idle, suspend, screen-lock. */
  reason?: string
  /** An error's class name: TypeError, SqliteError, CustodiaError; "(string)" etc. for a thrown non-Error. */
  errorClass?: string
  /** A machine error code: ENOSPC, SQLITE_BUSY, CORRUPT. */
  errorCode?: string
  count?: number
  exitCode?: number
  durationMs?: number
  /** The app's version. */
  version?: string
  /** The OS platform as Node names it: linux, darwin, win32. */
  platform?: string
}

const NODE_PLATFORMS = new Set(['aix', 'android', 'darwin', 'freebsd', 'haiku', 'linux', 'openbsd', 'sunos', 'win32', 'cygwin', 'netbsd'])
const THROWN_KINDS = /^\((?:string|number|bigint|boolean|symbol|undefined|object|function|null)\)$/
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/** One check per field: a value that fails it never reaches the file. */
const FIELD_CHECKS: { [K in keyof Required<LogFields>]: (value: unknown) => boolean } = {
  // In the order they are written: where it happened, what failed, how much, then the app.
  command: (v) => typeof v === 'string' && /^[a-z][a-z-]{0,23}(?: [a-z][a-z-]{0,23}){0,2}$/.test(v),
  channel: (v) => typeof v === 'string' && /^[a-z][A-Za-z]{0,31}:[A-Za-z]{1,48}$/.test(v),
  reason: (v) => typeof v === 'string' && /^[a-z][a-z-]{0,23}$/.test(v),
  // Class names end in Error or Exception; anything else could be a word someone put in `name`.
  errorClass: (v) => typeof v === 'string' && (/^(?:[A-Z][A-Za-z0-9]{0,60})?(?:Error|Exception)$/.test(v) || THROWN_KINDS.test(v)),
  errorCode: (v) => typeof v === 'string' && /^[A-Z][A-Z0-9_]{1,47}$/.test(v),
  count: isCount,
  exitCode: (v) => isCount(v) && (v as number) <= 255,
  durationMs: isCount,
  version: (v) => typeof v === 'string' && /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/.test(v),
  platform: (v) => typeof v === 'string' && NODE_PLATFORMS.has(v),
}
const FIELD_NAMES = Object.keys(FIELD_CHECKS) as (keyof LogFields)[]
const KNOWN_EVENTS = new Set<string>(LOG_EVENTS)

/** The error's class and code, the only parts of an error the log keeps (never its message or stack). */
export function errorFields(error: unknown): Pick<LogFields, 'errorClass' | 'errorCode'> {
  if (!(error instanceof Error)) return { errorClass: `(${error === null ? 'null' : typeof error})` }
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? { errorClass: error.name, errorCode: code } : { errorClass: error.name }
}

/**
 * One log line: ISO time, level, event, then the checked fields as key=value. Values never hold a space except
 * command words, which are quoted; the patterns allow no quote, newline or '=' so a line cannot be forged.
 */
export function formatLogLine(time: Date, level: LogLevel, event: LogEvent, fields: LogFields = {}): string {
  const parts = [time.toISOString(), level.toUpperCase(), KNOWN_EVENTS.has(event) ? event : '[redacted-event]']
  const given = fields as Record<string, unknown>
  for (const name of FIELD_NAMES) {
    if (!Object.prototype.hasOwnProperty.call(given, name) || given[name] === undefined) continue
    const value = given[name]
    if (!FIELD_CHECKS[name](value)) parts.push(`${name}=[redacted]`)
    else if (typeof value === 'string' && value.includes(' ')) parts.push(`${name}="${value}"`)
    else parts.push(`${name}=${String(value)}`)
  }
  // Keys we do not know may themselves be data: count them, never name them.
  const unknown = Object.keys(given).filter((key) => !(FIELD_CHECKS as Record<string, unknown>)[key]).length
  if (unknown > 0) parts.push(`redactedFields=${unknown}`)
  return parts.join(' ')
}

export interface AppLog {
  info(event: LogEvent, fields?: LogFields): void
  warn(event: LogEvent, fields?: LogFields): void
  error(event: LogEvent, fields?: LogFields): void
  /** The folder the log files are in (created if missing), or null when this log writes no files. Never throws. */
  folder(): string | null
}

function logWith(write: (level: LogLevel, event: LogEvent, fields?: LogFields) => void, folder: () => string | null): AppLog {
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    folder,
  }
}

/** A log that drops everything: tests and the e2e harness, and the CLI without --verbose. */
export const silentLog: AppLog = logWith(
  () => undefined,
  () => null,
)

/** The same lines written to a stream (the CLI's stderr with --verbose). A failing stream is ignored. */
export function createStreamLog(stream: { write(text: string): unknown }, now: () => Date = () => new Date()): AppLog {
  return logWith(
    (level, event, fields) => {
      try {
        stream.write(`${formatLogLine(now(), level, event, fields)}\n`)
      } catch {
        // Diagnostics must never change what the command does.
      }
    },
    () => null,
  )
}

export interface FileLogOptions {
  dir: string
  maxFileBytes?: number
  keepFiles?: number
  now?: () => Date
}

/** Path of the n-th file: 0 is custodia.log, n > 0 is custodia.n.log. */
export function logFilePath(dir: string, n: number): string {
  return join(dir, n === 0 ? LOG_FILE_NAME : LOG_FILE_NAME.replace(/\.log$/, `.${n}.log`))
}

/**
 * The rotating log file in `dir`. Each line is appended synchronously (so the line before a crash is on disk) and
 * every failure is swallowed: a full disk or a read-only folder must never break a save or a lock.
 */
export function createFileLog(options: FileLogOptions): AppLog {
  const { dir } = options
  const maxFileBytes = options.maxFileBytes ?? MAX_LOG_FILE_BYTES
  const keepFiles = Math.max(1, options.keepFiles ?? KEPT_LOG_FILES)
  const now = options.now ?? (() => new Date())
  const current = logFilePath(dir, 0)

  const ensureFolder = (): void => {
    // Owner-only: the log holds nothing secret, but nobody else on the machine needs to read it.
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  }

  const rotate = (): void => {
    // custodia.1.log → custodia.2.log, custodia.log → custodia.1.log; rename replaces the oldest on every OS.
    for (let n = keepFiles - 1; n >= 1; n--) {
      try {
        renameSync(logFilePath(dir, n - 1), logFilePath(dir, n))
      } catch {
        // A missing file is a gap in the chain, nothing more.
      }
    }
    // Keeping one file only: start it again.
    if (keepFiles === 1) rmSync(current, { force: true })
  }

  const write = (level: LogLevel, event: LogEvent, fields?: LogFields): void => {
    try {
      const line = `${formatLogLine(now(), level, event, fields)}\n`
      ensureFolder()
      // Stat every time rather than count in memory: the user may delete or empty the file while the app runs.
      const size = statSync(current, { throwIfNoEntry: false })?.size ?? 0
      if (size > 0 && size + Buffer.byteLength(line) > maxFileBytes) rotate()
      appendFileSync(current, line, { mode: 0o600 })
    } catch {
      // Never into the caller: losing a log line is better than losing the user's work.
    }
  }

  return logWith(write, () => {
    try {
      ensureFolder()
    } catch {
      // Still worth naming: the user can look for it, or create it.
    }
    return dir
  })
}
