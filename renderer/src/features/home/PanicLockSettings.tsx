// Renderer: Security → Panic lock. Shows the system-wide shortcut that locks the vault at once from anywhere, and lets
// the user record another one by pressing it, go back to the default, or turn it off. Main checks and registers it
// (a shortcut another program holds is refused there, and the old one stays).
import { useEffect, useState, type KeyboardEvent } from 'react'
import type { PanicLockStatus } from '../../../../shared/ipc/channels/appChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { describeShortcut } from '../../../../shared/desktop/shortcuts'
import { t } from '../../i18n/intl'

const PLATFORM = navigator.userAgent.includes('Mac') ? 'darwin' : 'other'

/** Keys that are only modifiers: pressing them alone records nothing yet. */
const MODIFIER_KEYS = new Set([
  t('home.panicLockSettings.control'),
  t('home.panicLockSettings.shift'),
  t('home.panicLockSettings.alt'),
  t('home.panicLockSettings.meta'),
  'AltGraph',
  'OS',
])

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
              Space: t('home.panicLockSettings.space'),
              Backspace: t('home.panicLockSettings.backspace'),
              Delete: t('home.panicLockSettings.delete'),
              Insert: t('home.panicLockSettings.insert'),
              Home: t('home.panicLockSettings.home'),
              End: t('home.panicLockSettings.end'),
              PageUp: 'PageUp',
              PageDown: 'PageDown',
            } as Record<string, string>
          )[code]
  if (!key) return null
  const parts = [
    event.ctrlKey ? 'CommandOrControl' : null,
    event.metaKey ? t('home.panicLockSettings.super') : null,
    event.altKey ? t('home.panicLockSettings.alt') : null,
    event.shiftKey ? t('home.panicLockSettings.shift') : null,
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
      <h2>{t('home.panicLockSettings.panicLock')}</h2>
      <p className="hint" id="panic-lock-hint">
        {status.display === null
          ? t('home.panicLockSettings.thePanicLockShortcut')
          : status.active
            ? t('home.panicLockSettings.pressAnywhereEvenIn', { display: status.display })
            : t('home.panicLockSettings.couldNotBeSet', { display: status.display })}
      </p>
      <div className="field">
        <label htmlFor="panic-shortcut">{t('home.panicLockSettings.newShortcutClickHere')}</label>
        <input
          id="panic-shortcut"
          readOnly
          aria-describedby="panic-lock-hint"
          value={recorded === null ? '' : describeShortcut(recorded, PLATFORM)}
          placeholder={t('home.panicLockSettings.forExampleCtrlAlt')}
          onKeyDown={record}
        />
      </div>
      <div className="actions">
        <button type="button" disabled={busy || recorded === null} onClick={() => void change(recorded)}>
          {t('home.panicLockSettings.useThisShortcut')}
        </button>
        <button
          type="button"
          disabled={busy || status.shortcut === status.defaultShortcut}
          onClick={() => void change(status.defaultShortcut)}
        >
          {t('home.panicLockSettings.useTheDefault')}
        </button>
        <button type="button" disabled={busy || status.shortcut === null} onClick={() => void change(null)}>
          {t('home.panicLockSettings.turnTheShortcutOff')}
        </button>
      </div>
      <ErrorMessage message={error} />
    </div>
  )
}
