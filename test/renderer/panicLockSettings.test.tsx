// Renderer (jsdom): Security → Panic lock. Shows the shortcut main registered (or that another program holds it),
// records a new one from the keys pressed (by physical key, so the layout does not matter), sends it in Electron's
// form, shows main's refusal in its own words, and offers the default and "off".
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { PanicLockStatus } from '../../shared/ipc/channels/appChannels'
import { acceleratorFromKey, PanicLockSettings } from '../../renderer/src/features/home/PanicLockSettings'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const DEFAULT = 'CommandOrControl+Alt+Shift+L'
const ACTIVE: PanicLockStatus = { shortcut: DEFAULT, display: 'Ctrl+Alt+Shift+L', active: true, defaultShortcut: DEFAULT }

/** A bridge answering the panic channels; `onSet` decides what app:setPanicLock answers. Records every set request. */
function fakeBridge(
  initial: PanicLockStatus,
  onSet: (shortcut: string | null) => IpcResult<PanicLockStatus>,
): CustodiaBridge & { sets: (string | null)[] } {
  const sets: (string | null)[] = []
  return {
    sets,
    invoke: async (channel, request) => {
      if (channel === 'app:getPanicLock') return { ok: true, value: initial }
      if (channel === 'app:setPanicLock') {
        const { shortcut } = request as { shortcut: string | null }
        sets.push(shortcut)
        return onSet(shortcut)
      }
      return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

const hint = () => document.getElementById('panic-lock-hint')?.textContent ?? ''

describe('acceleratorFromKey', () => {
  const press = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>>, key = code) =>
    acceleratorFromKey({ key, code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods })

  it('spells the physical key with its modifiers in a fixed order', () => {
    // A Ukrainian layout gives key "д" for the L key: the shortcut is still L.
    expect(press('KeyL', { ctrlKey: true, altKey: true, shiftKey: true }, 'д')).toBe('CommandOrControl+Alt+Shift+L')
    expect(press('Digit7', { altKey: true })).toBe('Alt+7')
    expect(press('F12', { ctrlKey: true, shiftKey: true })).toBe('CommandOrControl+Shift+F12')
    expect(press('KeyP', { metaKey: true })).toBe('Super+P')
  })

  it('records nothing while only modifiers are down, nor for keys a shortcut cannot use', () => {
    expect(press('ControlLeft', { ctrlKey: true }, 'Control')).toBeNull()
    expect(press('ShiftLeft', { shiftKey: true }, 'Shift')).toBeNull()
    expect(press('IntlBackslash', { ctrlKey: true }, '<')).toBeNull()
  })
})

describe('PanicLockSettings', () => {
  it('shows the active shortcut, records a new one from the keys and sends it', async () => {
    const bridge = fakeBridge(ACTIVE, (shortcut) => ({
      ok: true,
      value: { shortcut, display: 'Ctrl+Shift+F12', active: true, defaultShortcut: DEFAULT },
    }))
    renderWithApi(<PanicLockSettings />, bridge)
    await waitFor(() => expect(hint()).toContain('Press Ctrl+Alt+Shift+L anywhere, even in another program'))
    const field = screen.getByLabelText('New shortcut (click here, then press the keys)')
    expect(screen.getByRole('button', { name: 'Use this shortcut' })).toHaveProperty('disabled', true)

    fireEvent.keyDown(field, { key: 'F12', code: 'F12', ctrlKey: true, shiftKey: true })
    expect((field as HTMLInputElement).value).toBe('Ctrl+Shift+F12')
    fireEvent.click(screen.getByRole('button', { name: 'Use this shortcut' }))
    await waitFor(() => expect(hint()).toContain('Press Ctrl+Shift+F12 anywhere'))
    expect(bridge.sets).toEqual(['CommandOrControl+Shift+F12'])
    expect((field as HTMLInputElement).value).toBe('')
  })

  it("shows main's refusal in its words and keeps the recorded keys", async () => {
    const bridge = fakeBridge(ACTIVE, () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'Another program already uses this shortcut. Choose another one.' },
    }))
    renderWithApi(<PanicLockSettings />, bridge)
    const field = await screen.findByLabelText('New shortcut (click here, then press the keys)')
    fireEvent.keyDown(field, { key: 'p', code: 'KeyP', ctrlKey: true, altKey: true })
    fireEvent.click(screen.getByRole('button', { name: 'Use this shortcut' }))
    await screen.findByText(/Another program already uses this shortcut/)
    expect((field as HTMLInputElement).value).toBe('Ctrl+Alt+P')
    expect(hint()).toContain('Press Ctrl+Alt+Shift+L anywhere')
  })

  it('says when the system refused the shortcut, and offers turning it off and the default', async () => {
    const bridge = fakeBridge({ ...ACTIVE, shortcut: 'Control+Alt+P', display: 'Ctrl+Alt+P', active: false }, (shortcut) => ({
      ok: true,
      value: shortcut === null ? { shortcut: null, display: null, active: false, defaultShortcut: DEFAULT } : ACTIVE,
    }))
    renderWithApi(<PanicLockSettings />, bridge)
    await waitFor(() => expect(hint()).toContain('Ctrl+Alt+P could not be set up: another program may be using it'))
    fireEvent.click(screen.getByRole('button', { name: 'Turn the shortcut off' }))
    await waitFor(() => expect(hint()).toContain('The panic lock shortcut is off'))
    expect(screen.getByRole('button', { name: 'Turn the shortcut off' })).toHaveProperty('disabled', true)
    fireEvent.click(screen.getByRole('button', { name: 'Use the default' }))
    await waitFor(() => expect(hint()).toContain('Press Ctrl+Alt+Shift+L anywhere'))
    expect(bridge.sets).toEqual([null, DEFAULT])
  })

  it('lets Tab leave the field (it never traps the keyboard)', async () => {
    renderWithApi(
      <PanicLockSettings />,
      fakeBridge(ACTIVE, () => ({ ok: true, value: ACTIVE })),
    )
    const field = await screen.findByLabelText('New shortcut (click here, then press the keys)')
    const tab = new KeyboardEvent('keydown', { key: 'Tab', code: 'Tab', bubbles: true, cancelable: true })
    field.dispatchEvent(tab)
    expect(tab.defaultPrevented).toBe(false)
    const letter = new KeyboardEvent('keydown', { key: 'l', code: 'KeyL', ctrlKey: true, bubbles: true, cancelable: true })
    field.dispatchEvent(letter)
    expect(letter.defaultPrevented).toBe(true)
  })
})

describe('PanicLockSettings without a panic lock', () => {
  it('shows nothing when this copy has none (UNSUPPORTED), and the error when asking failed', async () => {
    const answering = (error: { code: 'UNSUPPORTED' | 'INTERNAL'; message: string }): CustodiaBridge => ({
      invoke: async () => ({ ok: false, error }),
      on: () => () => undefined,
      pathForFile: () => '',
    })
    const { container } = renderWithApi(<PanicLockSettings />, answering({ code: 'UNSUPPORTED', message: 'none' }))
    await waitFor(() => expect(container.innerHTML).toBe(''))
    cleanup()
    renderWithApi(<PanicLockSettings />, answering({ code: 'INTERNAL', message: 'Something went wrong.' }))
    await screen.findByRole('alert')
  })
})
