// Core (Node): the application log as the app writes it — real services, the real dispatcher, a real vault and real
// log files. Calls fail inside main in the ways foreign code fails (an fs error quoting the path it was given, a
// SQLite error quoting its trigger, a desktop-shell error, a response that breaks its schema) while passphrase,
// title and path markers travel in the requests; the log must name each failure and hold none of the markers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import type { Platform } from '../../../electron/core/api/context'
import { INTERNAL_ERROR_MESSAGE } from '../../../electron/core/api/dispatch'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createFileLog } from '../../../electron/core/platform/log/appLog'
import { MIN_KDF } from '../../../electron/core/vault/vault'

const PASSPHRASE_MARKER = 'PASSMARKER-correct-horse-battery-staple-Oslo-1987'
const TITLE_MARKER = 'TITLEMARKER Letter to the prosecutor about Ales Bialiatski'
const PATH_MARKER = 'PATHMARKER'
const MESSAGE_MARKER = 'MESSAGEMARKER'
const MARKERS = ['PASSMARKER', 'TITLEMARKER', 'Bialiatski', PATH_MARKER, MESSAGE_MARKER]

let root: string
let logDir: string
let services: AppServices
let platform: Partial<Platform>
/** What reached onInternalError: proof that the errors did carry the markers the log must not. */
let internalErrors: unknown[]

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'custodia-applog-'))
  logDir = path.join(root, 'logs')
  platform = {}
  internalErrors = []
  services = createAppServices({
    userDataDir: path.join(root, 'user-data'),
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: '9.8.7', platform: 'linux' },
    platform: {
      chooseFolder: (purpose) => platform.chooseFolder!(purpose),
      chooseFiles: (purpose) => platform.chooseFiles!(purpose),
      chooseSaveLocation: async () => null,
    },
    log: createFileLog({ dir: logDir }),
    onInternalError: (_channel, error) => internalErrors.push(error),
  })
  await services.session.create(path.join(root, 'vault'), PASSPHRASE_MARKER)
})
afterEach(() => {
  services.session.lock('user')
  rmSync(root, { recursive: true, force: true })
})

/** Every log file's text, rotated ones included. */
function readLog(): string {
  return readdirSync(logDir)
    .map((name) => readFileSync(path.join(logDir, name), 'utf8'))
    .join('')
}

/** The log's lines without their timestamps. */
function logLines(): string[] {
  return readLog()
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /, ''))
}

async function expectInternal(channel: string, request: unknown): Promise<void> {
  expect(await services.dispatch(channel, request)).toEqual({ ok: false, error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE } })
}

describe('application log', () => {
  it('names failed calls by channel, class and code, and keeps passphrases, titles, paths and messages out', async () => {
    // A foreign error from inside a handler: a SQLite trigger refuses the write, its message quoting our marker.
    const db = new Database(path.join(root, 'vault', 'vault.sqlite'))
    db.exec(
      `CREATE TRIGGER refuse_records BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, '${MESSAGE_MARKER} ${path.join(root, PATH_MARKER)}'); END`,
    )
    db.close()
    await expectInternal('library:create', {
      document: { kind: 'correspondence', title: TITLE_MARKER, date: null, text: `${TITLE_MARKER} body` },
    })

    // The desktop shell fails, its message quoting a path.
    platform.chooseFolder = async () => {
      throw new Error(`${MESSAGE_MARKER}: no dialog for /home/${PATH_MARKER}/Documents`)
    }
    await expectInternal('vault:chooseFolder', { purpose: 'open' })

    // A handler's answer breaks the response schema, with a path inside it.
    platform.chooseFiles = async () => [`/home/${PATH_MARKER}/${TITLE_MARKER}.docx`, 42 as unknown as string]
    await expectInternal('library:chooseImportFiles', {})

    // An fs error quoting the path from the request, while the request also holds a passphrase. A folder name too
    // long for the file system makes Node's own error (ENAMETOOLONG) reach the dispatcher.
    const tooLong = path.join(root, `${PATH_MARKER}-${'x'.repeat(300)}`)
    await expectInternal('vault:create', { dir: tooLong, passphrase: PASSPHRASE_MARKER })

    expect(logLines()).toEqual([
      'INFO app.started version=9.8.7 platform=linux',
      'INFO vault.opened',
      'ERROR ipc.handlerFailed channel=library:create errorClass=SqliteError errorCode=SQLITE_CONSTRAINT_TRIGGER',
      'ERROR ipc.handlerFailed channel=vault:chooseFolder errorClass=Error',
      'ERROR ipc.responseRejected channel=library:chooseImportFiles errorClass=ZodError count=1',
      // vault:create locks the open vault first.
      'INFO vault.locked reason=user',
      'ERROR ipc.handlerFailed channel=vault:create errorClass=Error errorCode=ENAMETOOLONG',
    ])
    const text = readLog()
    for (const marker of MARKERS) expect(text).not.toContain(marker)
    expect(text).not.toContain(root)
    // The errors themselves quoted what the log left out.
    const messages = internalErrors.map((e) => (e as Error).message)
    expect(messages[0]).toContain(MESSAGE_MARKER)
    expect(messages[1]).toContain(PATH_MARKER)
    expect(messages[3]).toContain(PATH_MARKER)
  })

  it('does not log failures the user is told about (wrong passphrase, bad request)', async () => {
    services.session.lock('idle')
    const dir = path.join(root, 'vault')
    expect(await services.dispatch('vault:unlock', { dir, passphrase: `${PASSPHRASE_MARKER}-wrong` })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    })
    expect(await services.dispatch('vault:unlock', { dir: `relative/${PATH_MARKER}`, passphrase: PASSPHRASE_MARKER })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(logLines()).toEqual(['INFO app.started version=9.8.7 platform=linux', 'INFO vault.opened', 'INFO vault.locked reason=idle'])
    for (const marker of MARKERS) expect(readLog()).not.toContain(marker)
  })

  it('opens the log folder, and only that folder, through the desktop shell', async () => {
    const opened: string[] = []
    platform.openFolder = async (folder) => {
      opened.push(folder)
      return true
    }
    const withShell = createAppServices({
      userDataDir: path.join(root, 'user-data'),
      sodium: await loadSodium('native'),
      app: { name: 'Custodia', version: '9.8.7', platform: 'linux' },
      platform: {
        chooseFolder: async () => null,
        chooseFiles: async () => [],
        chooseSaveLocation: async () => null,
        openFolder: (f) => platform.openFolder!(f),
      },
      log: createFileLog({ dir: path.join(root, 'other-logs') }),
    })
    expect(await withShell.dispatch('app:openLogFolder', {})).toEqual({
      ok: true,
      value: { folder: path.join(root, 'other-logs'), opened: true },
    })
    expect(opened).toEqual([path.join(root, 'other-logs')])
    // A request cannot choose another folder.
    expect(await withShell.dispatch('app:openLogFolder', { folder: '/etc' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(opened).toHaveLength(1)
    // Without a shell that can open folders, the answer still says where the log is.
    expect(await services.dispatch('app:openLogFolder', {})).toEqual({ ok: true, value: { folder: logDir, opened: false } })
  })

  it('says plainly when this copy keeps no log', async () => {
    const noLog = createAppServices({
      userDataDir: path.join(root, 'user-data'),
      sodium: await loadSodium('native'),
      app: { name: 'Custodia', version: 'e2e', platform: 'linux' },
      platform: { chooseFolder: async () => null, chooseFiles: async () => [], chooseSaveLocation: async () => null },
    })
    expect(await noLog.dispatch('app:openLogFolder', {})).toEqual({
      ok: false,
      error: { code: 'UNSUPPORTED', message: 'This copy of Custodia keeps no application log.' },
    })
  })
})
