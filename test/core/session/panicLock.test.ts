// Core tests (Node): the panic lock through the real app services, session, vault and search index — the shortcut
// checked, registered, refused and remembered across restarts; a panic lock wiping the session without writing the
// search snapshot (and an ordinary lock still writing it); the clipboard emptied only when it still holds what was
// copied from Custodia. The desktop's part (global shortcut, clipboard, windows) is a stand-in for Electron's.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/contract'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { getSnapshotPath } from '../../../electron/core/search/snapshot'
import {
  ClipboardGuard,
  DEFAULT_PANIC_SHORTCUT,
  normalisePanicShortcut,
  type PanicPlatform,
} from '../../../electron/core/session/panicLock'
import { describeShortcut } from '../../../shared/desktop/shortcuts'
import { MIN_KDF } from '../../../electron/core/vault/vault'

const PASSPHRASE = 'panic lock test passphrase'

describe('panic shortcut', () => {
  it('is written the way Electron spells accelerators, whatever the user typed', () => {
    expect(normalisePanicShortcut('ctrl+alt+shift+l')).toBe('Control+Alt+Shift+L')
    expect(normalisePanicShortcut('CmdOrCtrl + Shift + F12')).toBe('CommandOrControl+Shift+F12')
    expect(normalisePanicShortcut('Shift+Alt+CommandOrControl+9')).toBe('CommandOrControl+Alt+Shift+9')
    expect(normalisePanicShortcut('Super+esc')).toBe('Super+Escape')
    expect(normalisePanicShortcut(DEFAULT_PANIC_SHORTCUT)).toBe(DEFAULT_PANIC_SHORTCUT)
  })

  it.each([
    ['CommandOrControl+L', /Ctrl\+L already locks/],
    ['Control+L', /Ctrl\+L already locks/],
    ['Ctrl+C', /copies/],
    ['Shift+L', /needs Ctrl, Alt/],
    ['L', /needs Ctrl, Alt/],
    ['Ctrl+Alt', /Add a key/],
    ['Ctrl+A+B', /one key/],
    ['Ctrl+Ä', /not a key a shortcut can use/],
    ['CommandOrControl+Control+P', /once/],
  ])('refuses %s in words', (input, message) => {
    expect(() => normalisePanicShortcut(input)).toThrow(message)
    try {
      normalisePanicShortcut(input)
    } catch (error) {
      expect((error as { code?: string }).code).toBe('VALIDATION')
    }
  })

  it('is shown as the keyboard says it', () => {
    expect(describeShortcut('CommandOrControl+Alt+Shift+L', 'linux')).toBe('Ctrl+Alt+Shift+L')
    expect(describeShortcut('CommandOrControl+Alt+Shift+L', 'darwin')).toBe('Cmd+Option+Shift+L')
  })
})

describe('clipboard guard', () => {
  it('recognises only the text it was told about, and nothing after forget()', () => {
    const guard = new ClipboardGuard()
    expect(guard.holdsOurs('Дорогий пане міністре')).toBe(false)
    guard.noteCopied('Дорогий пане міністре')
    expect(guard.holdsOurs('Дорогий пане міністре')).toBe(true)
    expect(guard.holdsOurs('Дорогий пане міністре ')).toBe(false)
    expect(guard.holdsOurs('')).toBe(false)
    guard.forget()
    expect(guard.holdsOurs('Дорогий пане міністре')).toBe(false)
  })

  it('keeps no copy of the text it was told about', () => {
    const guard = new ClipboardGuard()
    const secret = 'Family contact of detainee 4471: +380 67 000 1122'
    guard.noteCopied(secret)
    const fields = Object.values(guard as unknown as Record<string, unknown>)
    for (const field of fields) {
      if (typeof field === 'string') expect(field).not.toContain('4471')
      if (Buffer.isBuffer(field)) expect(field.includes(Buffer.from('4471'))).toBe(false)
    }
  })
})

describe('panic lock through the app services', () => {
  let work: string
  let sodium: SodiumBackend
  let services: AppServices
  let desktop: FakeDesktop

  interface FakeDesktop extends PanicPlatform {
    clipboard: string
    registered: string | null
    taken: Set<string>
    windowsClosed: number
  }

  function fakeDesktop(): FakeDesktop {
    const desktop: FakeDesktop = {
      clipboard: '',
      registered: null,
      taken: new Set(),
      windowsClosed: 0,
      registerShortcut: (accelerator) => {
        desktop.registered = null
        if (accelerator !== null && desktop.taken.has(accelerator)) return false
        desktop.registered = accelerator
        return true
      },
      readClipboardText: async () => desktop.clipboard,
      clearClipboard: () => {
        desktop.clipboard = ''
      },
      closeOtherWindows: () => {
        desktop.windowsClosed++
      },
    }
    return desktop
  }

  function startServices(): AppServices {
    const started = createAppServices({
      userDataDir: path.join(work, 'user-data'),
      sodium,
      kdf: MIN_KDF,
      app: { name: 'Custodia', version: 'test', platform: 'linux' },
      platform: {
        chooseFolder: async () => null,
        chooseFiles: async () => [],
        chooseSaveLocation: async () => null,
        panic: desktop,
      },
    })
    started.panicLock?.start()
    return started
  }

  async function call<T = unknown>(channel: string, request: unknown): Promise<T> {
    const result = (await services.dispatch(channel, request)) as IpcResult<T>
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
    return result.value
  }

  async function refusal(channel: string, request: unknown): Promise<{ code: string; message: string }> {
    const result = (await services.dispatch(channel, request)) as IpcResult<unknown>
    if (result.ok) throw new Error(`${channel} was not refused`)
    return result.error
  }

  beforeEach(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-panic-'))
    sodium = await loadSodium('native')
    desktop = fakeDesktop()
    services = startServices()
  })

  afterEach(() => {
    services.session.lock('user')
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('registers the default shortcut at start and shows it', async () => {
    expect(desktop.registered).toBe(DEFAULT_PANIC_SHORTCUT)
    expect(await call('app:getPanicLock', {})).toEqual({
      shortcut: DEFAULT_PANIC_SHORTCUT,
      display: 'Ctrl+Alt+Shift+L',
      active: true,
      defaultShortcut: DEFAULT_PANIC_SHORTCUT,
    })
  })

  it('changes the shortcut, keeps it across a restart, and can turn it off', async () => {
    const changed = await call<{ shortcut: string; active: boolean }>('app:setPanicLock', { shortcut: 'ctrl+shift+f12' })
    expect(changed).toMatchObject({ shortcut: 'Control+Shift+F12', display: 'Ctrl+Shift+F12', active: true })
    expect(desktop.registered).toBe('Control+Shift+F12')

    desktop = fakeDesktop()
    services = startServices()
    expect(desktop.registered).toBe('Control+Shift+F12')

    expect(await call('app:setPanicLock', { shortcut: null })).toMatchObject({ shortcut: null, display: null, active: false })
    expect(desktop.registered).toBeNull()
    desktop = fakeDesktop()
    services = startServices()
    expect(desktop.registered).toBeNull()
  })

  it('refuses a shortcut in words and changes nothing: a bad one, and one another program holds', async () => {
    const bad = await refusal('app:setPanicLock', { shortcut: 'Ctrl+L' })
    expect(bad).toEqual({ code: 'VALIDATION', message: 'Choose another shortcut: Ctrl+L already locks the vault in the ordinary way.' })
    expect(desktop.registered).toBe(DEFAULT_PANIC_SHORTCUT)

    desktop.taken.add('Control+Alt+P')
    const taken = await refusal('app:setPanicLock', { shortcut: 'Ctrl+Alt+P' })
    expect(taken).toEqual({ code: 'CONFLICT', message: 'Another program already uses this shortcut. Choose another one.' })
    // The previous shortcut is registered again, and the refused one was not saved.
    expect(desktop.registered).toBe(DEFAULT_PANIC_SHORTCUT)
    desktop = fakeDesktop()
    services = startServices()
    expect(desktop.registered).toBe(DEFAULT_PANIC_SHORTCUT)
  })

  it('says so when the saved shortcut is held by another program at start', async () => {
    await call('app:setPanicLock', { shortcut: 'Ctrl+Alt+P' })
    desktop = fakeDesktop()
    desktop.taken.add('Control+Alt+P')
    services = startServices()
    expect(await call('app:getPanicLock', {})).toMatchObject({ shortcut: 'Control+Alt+P', active: false })
  })

  it('locks at once without writing the search snapshot; an ordinary lock writes it', async () => {
    const dir = path.join(work, 'vault')
    await call('vault:create', { dir, passphrase: PASSPHRASE })
    await call('library:create', { document: { kind: 'note', title: 'Visit to the colony', date: null, text: 'Marker 7731' } })
    expect((await call<{ total: number }>('search:query', { query: 'Marker' })).total).toBe(1)

    const outcome = await services.panicLock!.run()
    expect(outcome).toEqual({ wasUnlocked: true, clipboardCleared: false })
    expect(services.session.isUnlocked()).toBe(false)
    expect(desktop.windowsClosed).toBe(1)
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(false)
    expect((await refusal('library:list', {})).code).toBe('VAULT_LOCKED')

    // The next unlock catches up from nothing: the document is found again.
    await call('vault:unlock', { dir, passphrase: PASSPHRASE })
    expect((await call<{ total: number }>('search:query', { query: 'Marker' })).total).toBe(1)
    await call('vault:lock', {})
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(true)
  })

  it('empties the clipboard only while it still holds what was copied from Custodia', async () => {
    const dir = path.join(work, 'vault')
    await call('vault:create', { dir, passphrase: PASSPHRASE })

    desktop.clipboard = 'Detained in SIZO-1 since March'
    await call('app:markCopied', {})
    expect(await services.panicLock!.run()).toEqual({ wasUnlocked: true, clipboardCleared: true })
    expect(desktop.clipboard).toBe('')

    // Copied in Custodia, then something else copied in another program: that is left alone.
    await call('vault:unlock', { dir, passphrase: PASSPHRASE })
    desktop.clipboard = 'Detained in SIZO-1 since March'
    await call('app:markCopied', {})
    desktop.clipboard = 'shopping list'
    expect(await services.panicLock!.run()).toEqual({ wasUnlocked: true, clipboardCleared: false })
    expect(desktop.clipboard).toBe('shopping list')

    // Nothing is remembered after a panic lock: the same text copied back later from elsewhere is not ours.
    desktop.clipboard = 'Detained in SIZO-1 since March'
    expect(await services.panicLock!.run()).toEqual({ wasUnlocked: false, clipboardCleared: false })
  })

  it('still closes the windows and empties the clipboard when a lock step fails', async () => {
    const dir = path.join(work, 'vault')
    await call('vault:create', { dir, passphrase: PASSPHRASE })
    services.session.onLock(() => {
      throw new Error('a disposer failed')
    })
    desktop.clipboard = 'copied text'
    await call('app:markCopied', {})
    // Lock-time failures are reported, never thrown: the lock still happens.
    expect(await services.panicLock!.run()).toEqual({ wasUnlocked: true, clipboardCleared: true })
    expect(services.session.isUnlocked()).toBe(false)
    expect(desktop.windowsClosed).toBe(1)
  })
})

describe('panic lock channels without a desktop', () => {
  it('answer UNSUPPORTED in words (the CLI and tests of other areas have no panic lock)', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-panic-none-'))
    try {
      const services = createAppServices({
        userDataDir: work,
        sodium: await loadSodium('native'),
        kdf: MIN_KDF,
        app: { name: 'Custodia', version: 'test', platform: 'linux' },
        platform: { chooseFolder: async () => null, chooseFiles: async () => [], chooseSaveLocation: async () => null },
      })
      expect(services.panicLock).toBeUndefined()
      expect(await services.dispatch('app:getPanicLock', {})).toEqual({
        ok: false,
        error: { code: 'UNSUPPORTED', message: 'This copy of Custodia has no panic lock.' },
      })
      expect(await services.dispatch('app:markCopied', {})).toEqual({ ok: true, value: {} })
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  })
})
