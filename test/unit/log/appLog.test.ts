// Unit (Node): the application log — rotation and size caps on real files, the field checks that keep data out of
// it, failures that never reach the caller, and the process-level error listeners.
import { EventEmitter } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  KEPT_LOG_FILES,
  LOG_FILE_NAME,
  MAX_LOG_FILE_BYTES,
  createFileLog,
  createStreamLog,
  errorFields,
  formatLogLine,
  logFilePath,
  type LogFields,
} from '../../../electron/core/platform/log/appLog'
import { logUnexpectedErrors, type ProcessEvents } from '../../../electron/core/platform/log/processErrors'

const TIME = new Date('2031-02-03T04:05:06.789Z')
const MARKER = 'Бяляцкі-MARKER-/home/someone/vault'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custodia-log-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function readAllLogs(folder: string): string {
  return readdirSync(folder)
    .map((name) => readFileSync(join(folder, name), 'utf8'))
    .join('')
}

describe('file log rotation', () => {
  it('keeps three files of at most 1 MiB each after more than 3 MiB of lines, newest in custodia.log', () => {
    const log = createFileLog({ dir: join(dir, 'logs'), now: () => TIME })
    let written = 0
    let n = 0
    while (written < 3.5 * MAX_LOG_FILE_BYTES) {
      log.info('ipc.handlerFailed', { channel: 'vault:unlock', errorClass: 'TypeError', errorCode: 'ENOSPC', count: n, durationMs: 12 })
      written +=
        formatLogLine(TIME, 'info', 'ipc.handlerFailed', {
          channel: 'vault:unlock',
          errorClass: 'TypeError',
          errorCode: 'ENOSPC',
          count: n,
          durationMs: 12,
        }).length + 1
      n++
    }
    const files = readdirSync(join(dir, 'logs')).sort()
    expect(KEPT_LOG_FILES).toBe(3)
    expect(files).toEqual(['custodia.1.log', 'custodia.2.log', LOG_FILE_NAME])
    for (const name of files) expect(statSync(join(dir, 'logs', name)).size).toBeLessThanOrEqual(MAX_LOG_FILE_BYTES)
    // Rotated files are (nearly) full: rotation happens at the cap, not earlier.
    expect(statSync(logFilePath(join(dir, 'logs'), 1)).size).toBeGreaterThan(MAX_LOG_FILE_BYTES - 200)

    const counts = (file: string): number[] =>
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => Number(/count=(\d+)/.exec(line)![1]))
    const [oldest, middle, newest] = [2, 1, 0].map((i) => counts(logFilePath(join(dir, 'logs'), i)))
    // One unbroken run of lines, oldest file first; the last line written is the last line of custodia.log.
    const all = [...oldest!, ...middle!, ...newest!]
    expect(all.at(-1)).toBe(n - 1)
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all[0]! + i))
    // More than three files' worth was written, so the first lines are gone.
    expect(all[0]).toBeGreaterThan(0)
  })

  it('rotates at a smaller cap too and never leaves more files than it keeps', () => {
    const log = createFileLog({ dir, maxFileBytes: 500, keepFiles: 2, now: () => TIME })
    for (let i = 0; i < 100; i++) log.warn('vault.locked', { reason: 'idle', count: i })
    expect(readdirSync(dir).sort()).toEqual(['custodia.1.log', LOG_FILE_NAME])
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(500)
    expect(readFileSync(logFilePath(dir, 0), 'utf8')).toContain('count=99')
  })

  it('starts again when the user deleted the file while the app ran', () => {
    const log = createFileLog({ dir, now: () => TIME })
    log.info('app.started', { version: '1.2.3', platform: 'linux' })
    rmSync(logFilePath(dir, 0))
    log.info('vault.opened')
    expect(readFileSync(logFilePath(dir, 0), 'utf8')).toBe('2031-02-03T04:05:06.789Z INFO vault.opened\n')
  })
})

describe('failures never reach the caller', () => {
  it('swallows a folder that cannot be created', () => {
    const notAFolder = join(dir, 'file')
    writeFileSync(notAFolder, 'x')
    const log = createFileLog({ dir: join(notAFolder, 'logs') })
    expect(() => log.error('ipc.handlerFailed', { channel: 'vault:unlock' })).not.toThrow()
    expect(log.folder()).toBe(join(notAFolder, 'logs'))
  })

  it('swallows a full disk (Linux /dev/full)', () => {
    // /dev/full answers every write with ENOSPC: the log file is pointed at it.
    if (!existsSync('/dev/full')) return expect(process.platform).not.toBe('linux')
    symlinkSync('/dev/full', logFilePath(dir, 0))
    const log = createFileLog({ dir })
    expect(() => log.error('ipc.handlerFailed', { channel: 'vault:unlock', errorCode: 'ENOSPC' })).not.toThrow()
  })

  it('creates the folder on request and names it', () => {
    const folder = join(dir, 'deeper', 'logs')
    expect(createFileLog({ dir: folder }).folder()).toBe(folder)
    expect(statSync(folder).isDirectory()).toBe(true)
  })
})

describe('what a line may hold', () => {
  it('writes ISO time, level, event and the typed fields', () => {
    expect(
      formatLogLine(TIME, 'error', 'ipc.handlerFailed', {
        channel: 'letters:exportPdf',
        errorClass: 'SqliteError',
        errorCode: 'SQLITE_BUSY',
        count: 2,
        durationMs: 40,
      }),
    ).toBe(
      '2031-02-03T04:05:06.789Z ERROR ipc.handlerFailed channel=letters:exportPdf errorClass=SqliteError errorCode=SQLITE_BUSY count=2 durationMs=40',
    )
    expect(formatLogLine(TIME, 'info', 'cli.finished', { command: 'audit verify', exitCode: 0 })).toBe(
      '2031-02-03T04:05:06.789Z INFO cli.finished command="audit verify" exitCode=0',
    )
  })

  it('redacts every value that does not fit its field, and counts unknown fields without naming them', () => {
    const hostile = {
      errorClass: `${MARKER}Error`,
      errorCode: 'ENOENT /home/someone',
      channel: `vault:${MARKER}`,
      command: 'add\nFAKE LINE',
      reason: 'Secret Title',
      count: -1,
      durationMs: 1.5,
      exitCode: 999,
      version: '1.0 /home/someone',
      platform: MARKER,
      [MARKER]: 1,
      title: 'Letter to the prosecutor',
    } as unknown as LogFields
    const line = formatLogLine(TIME, 'error', 'ipc.handlerFailed', hostile)
    expect(line).toBe(
      '2031-02-03T04:05:06.789Z ERROR ipc.handlerFailed command=[redacted] channel=[redacted] reason=[redacted] errorClass=[redacted] ' +
        'errorCode=[redacted] count=[redacted] exitCode=[redacted] durationMs=[redacted] version=[redacted] platform=[redacted] redactedFields=2',
    )
    expect(formatLogLine(TIME, 'info', MARKER as never)).toBe('2031-02-03T04:05:06.789Z INFO [redacted-event]')
  })

  it('keeps only the class and code of an error, and the kind of a thrown non-Error', () => {
    const fsError = Object.assign(new Error(`ENOSPC: no space left, write '${MARKER}'`), { code: 'ENOSPC' })
    expect(errorFields(fsError)).toEqual({ errorClass: 'Error', errorCode: 'ENOSPC' })
    expect(errorFields(new TypeError(MARKER))).toEqual({ errorClass: 'TypeError' })
    expect(errorFields(MARKER)).toEqual({ errorClass: '(string)' })
    expect(errorFields(null)).toEqual({ errorClass: '(null)' })
    expect(formatLogLine(TIME, 'error', 'ipc.handlerFailed', errorFields(MARKER))).toContain('errorClass=(string)')
    // A class renamed to a word that could be data is not kept.
    const renamed = Object.assign(new Error('x'), { name: 'Nasrin' })
    expect(formatLogLine(TIME, 'error', 'ipc.handlerFailed', errorFields(renamed))).toContain('errorClass=[redacted]')
  })

  it('writes the same lines to a stream', () => {
    let text = ''
    const log = createStreamLog({ write: (chunk: string) => (text += chunk) }, () => TIME)
    log.info('cli.started', { version: '0.1.0', platform: 'darwin' })
    expect(text).toBe('2031-02-03T04:05:06.789Z INFO cli.started version=0.1.0 platform=darwin\n')
    expect(log.folder()).toBeNull()
  })
})

describe('process-level errors', () => {
  it('logs uncaught exceptions and unhandled rejections by class only', () => {
    const log = createFileLog({ dir })
    const events = new EventEmitter()
    logUnexpectedErrors(log, events as unknown as ProcessEvents)
    events.emit('uncaughtExceptionMonitor', new RangeError(`bad offset in ${MARKER}`), 'uncaughtException')
    events.emit('unhandledRejection', new Error(`passphrase was ${MARKER}`))
    events.emit('unhandledRejection', MARKER)
    const lines = readFileSync(logFilePath(dir, 0), 'utf8').trimEnd().split('\n')
    expect(lines.map((l) => l.slice(25))).toEqual([
      'ERROR process.uncaughtException errorClass=RangeError',
      'ERROR process.unhandledRejection errorClass=Error',
      'ERROR process.unhandledRejection errorClass=(string)',
    ])
    expect(readAllLogs(dir)).not.toContain('MARKER')
  })
})
