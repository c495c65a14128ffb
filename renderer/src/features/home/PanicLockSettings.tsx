// Renderer: Security → Panic lock. Shows the system-wide shortcut that locks the vault at once from anywhere, and lets
// the user record another one by pressing it, go back to the default, or turn it off. Main checks and registers it
// (a shortcut another program holds is refused there, and the old one stays).
import { useEffect, useState, type KeyboardEvent } from 'react'
import type { PanicLockStatus } from '../../../../shared/ipc/channels/appChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { describeShortcut } from '../../../../shared/desktop/shortcuts'

const PLATFORM = navigator.userAgent.includes('Mac') ? 'darwin' : 'other'

/** Keys that are only modifiers: pressing them alone records nothing yet. */
const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'OS'])

/**
 * The accelerator a key press spells ("CommandOrControl+Alt+Shift+L"), from the physical key (event.code), so the
 * same keys give the same shortcut on every keyboard layout; null while only modifiers are down. Main checks it.
 */
export function acceleratorFromKey(
  event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>,
): string | null {
  if (MODIFIER_KEYS.has(event.key)) return null
  const code = event.code
  const key = /^Key[A-Z]$/.test(code)
    ? code.slice(3)
    : /^Digit[0-9]$/.test(code)
      ? code.slice(5)
      : /^F([1-9]|1[0-9]|2[0-4])$/.test(code)
        ? code
        : (
            {
              Space: 'Space',
              Backspace: 'Backspace',
              Delete: 'Delete',
              Insert: 'Insert',
              Home: 'Home',
              End: 'End',
              PageUp: 'PageUp',
              PageDown: 'PageDown',
            } as Record<string, string>
          )[code]
  if (!key) return null
  const parts = [
    event.ctrlKey ? 'CommandOrControl' : null,
    event.metaKey ? 'Super' : null,
    event.altKey ? 'Alt' : null,
    event.shiftKey ? 'Shift' : null,
  ]
  return [...parts.filter((part): part is string => part !== null), key].join('+')
}

export function PanicLockSettings() {
  const api = useApi()
  const [status, setStatus] = useState<PanicLockStatus | null>(null)
  const [recorded, setRecorded] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [unsupported, setUnsupported] = useState(false)

  useEffect(() => {
    let live = true
    api['app:getPanicLock']({})
      .then((next) => live && setStatus(next))
      .catch((err) => {
        if (!live) return
        // A copy of Custodia without a desktop shell (the browser tests of other screens) has no panic lock to show.
        if (err instanceof ApiError && err.code === 'UNSUPPORTED') setUnsupported(true)
        else setError(describeError(err))
      })
    return () => {
      live = false
    }
  }, [api])

  const change = async (shortcut: string | null) => {
    setError(null)
    setBusy(true)
    try {
      setStatus(await api['app:setPanicLock']({ shortcut }))
      setRecorded(null)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const record = (event: KeyboardEvent<HTMLInputElement>) => {
    // Tab and Escape keep their usual meaning, so the field never traps the keyboard.
    if (event.key === 'Tab' || event.key === 'Escape') return
    event.preventDefault()
    const accelerator = acceleratorFromKey(event)
    if (accelerator) setRecorded(accelerator)
  }

  if (unsupported) return null
  if (!status) return <ErrorMessage message={error} />

  return (
    <div className="subform wide" data-testid="panic-lock">
      <h2>Panic lock</h2>
      <p className="hint" id="panic-lock-hint">
        {status.display === null
          ? 'The panic lock shortcut is off. You can still lock at once from the Custodia icon in the system tray.'
          : status.active
            ? `Press ${status.display} anywhere, even in another program, to lock the vault at once: every Custodia window but the lock screen closes, and anything you copied from Custodia is removed from the clipboard. The Custodia icon in the system tray does the same.`
            : `${status.display} could not be set up: another program may be using it. Choose another shortcut below.`}
      </p>
      <div className="field">
        <label htmlFor="panic-shortcut">New shortcut (click here, then press the keys)</label>
        <input
          id="panic-shortcut"
          readOnly
          aria-describedby="panic-lock-hint"
          value={recorded === null ? '' : describeShortcut(recorded, PLATFORM)}
          placeholder="For example Ctrl+Alt+Shift+L"
          onKeyDown={record}
        />
      </div>
      <div className="actions">
        <button type="button" disabled={busy || recorded === null} onClick={() => void change(recorded)}>
          Use this shortcut
        </button>
        <button
          type="button"
          disabled={busy || status.shortcut === status.defaultShortcut}
          onClick={() => void change(status.defaultShortcut)}
        >
          Use the default
        </button>
        <button type="button" disabled={busy || status.shortcut === null} onClick={() => void change(null)}>
          Turn the shortcut off
        </button>
      </div>
      <ErrorMessage message={error} />
    </div>
  )
}
