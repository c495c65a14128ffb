// Main process (core, Node only): the panic lock. A global shortcut, a tray item and a menu item lock the vault at once
// from anywhere, even when Custodia is not focused: the session wipes everything lock-scoped (skipping the search
// snapshot, which is slow to write and is not needed: the next unlock catches up from the previous one), every window
// but the lock screen closes, and the clipboard is emptied if it still holds what was copied from Custodia.
// Electron's part (globalShortcut, Tray, clipboard, BrowserWindow) reaches this file through PanicPlatform.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import type { VaultSession } from './vaultSession'

/** Not Ctrl+L (the ordinary lock), easy to reach with one hand, and unused by common desktops and browsers. */
export const DEFAULT_PANIC_SHORTCUT = 'CommandOrControl+Alt+Shift+L'

const MODIFIERS = new Map<string, string>([
  ['commandorcontrol', 'CommandOrControl'],
  ['cmdorctrl', 'CommandOrControl'],
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['alt', 'Alt'],
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Super'],
])
/** Canonical modifier order, as Electron's own menus print accelerators. */
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Super', 'Alt', 'AltGr', 'Shift']

const NAMED_KEYS = new Map<string, string>(
  [
    'Space',
    'Tab',
    'Backspace',
    'Delete',
    'Insert',
    'Return',
    'Enter',
    'Up',
    'Down',
    'Left',
    'Right',
    'Home',
    'End',
    'PageUp',
    'PageDown',
    'Escape',
    'Esc',
    'Plus',
    'PrintScreen',
    ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
  ].map((key) => [key.toLowerCase(), key === 'Esc' ? 'Escape' : key === 'Enter' ? 'Return' : key]),
)

/**
 * Shortcuts the app or every text field already uses: a panic shortcut on one of them would either never reach us
 * (the focused window takes it) or fire while someone is typing. Ctrl+L is the ordinary lock.
 */
const RESERVED = new Map<string, string>([
  ['CommandOrControl+L', 'Ctrl+L already locks the vault in the ordinary way'],
  ['CommandOrControl+K', 'Ctrl+K opens search'],
  ['CommandOrControl+S', 'Ctrl+S saves'],
  ['CommandOrControl+C', 'Ctrl+C copies'],
  ['CommandOrControl+V', 'Ctrl+V pastes'],
  ['CommandOrControl+X', 'Ctrl+X cuts'],
  ['CommandOrControl+Z', 'Ctrl+Z undoes'],
  ['CommandOrControl+Y', 'Ctrl+Y redoes'],
  ['CommandOrControl+A', 'Ctrl+A selects everything'],
  ['CommandOrControl+Q', 'Ctrl+Q quits'],
  ['CommandOrControl+W', 'Ctrl+W closes the window'],
])

/**
 * Checks a shortcut typed by the user and returns it in Electron's accelerator form (modifiers in a fixed order,
 * key names spelt as Electron spells them). VALIDATION, in words, when it has no modifier besides Shift, more
 * than one key, an unknown key, or is one the app or text editing already uses.
 */
export function normalisePanicShortcut(input: string): string {
  const parts = input
    .split('+')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
  // "Ctrl++" means Ctrl and the plus key.
  if (/\+\s*\+\s*$/.test(input)) parts.push('Plus')
  const modifiers = new Set<string>()
  const keys: string[] = []
  for (const part of parts) {
    const modifier = MODIFIERS.get(part.toLowerCase())
    if (modifier) modifiers.add(modifier)
    else keys.push(part)
  }
  if (keys.length !== 1) {
    throw new CustodiaError(
      'VALIDATION',
      keys.length === 0
        ? 'Add a key to the shortcut, for example Ctrl+Alt+Shift+L.'
        : 'A shortcut has one key besides Ctrl, Alt and Shift.',
    )
  }
  const key = canonicalKey(keys[0]!)
  if (!key) throw new CustodiaError('VALIDATION', `"${keys[0]}" is not a key a shortcut can use. Use a letter, a digit or F1 to F24.`)
  const strong = [...modifiers].filter((modifier) => modifier !== 'Shift')
  if (strong.length === 0) {
    throw new CustodiaError('VALIDATION', 'The shortcut needs Ctrl, Alt or the Windows/Command key, so typing can never set it off.')
  }
  if (modifiers.has('CommandOrControl') && (modifiers.has('Control') || modifiers.has('Command'))) {
    throw new CustodiaError('VALIDATION', 'Use Ctrl (or Command on a Mac) once in the shortcut.')
  }
  const accelerator = [...MODIFIER_ORDER.filter((modifier) => modifiers.has(modifier)), key].join('+')
  const reserved = RESERVED.get(accelerator.replace(/^(Control|Command)\+/, 'CommandOrControl+'))
  if (reserved) throw new CustodiaError('VALIDATION', `Choose another shortcut: ${reserved}.`)
  return accelerator
}

function canonicalKey(key: string): string | null {
  if (/^[a-z0-9]$/i.test(key)) return key.toUpperCase()
  if (/^[`\-=[\]\\;',./]$/.test(key)) return key
  return NAMED_KEYS.get(key.toLowerCase()) ?? null
}

/**
 * Remembers what Custodia last put on the clipboard as a keyed hash, never the text, under a key that lives only in
 * this process: the panic lock can then empty the clipboard if (and only if) it still holds that, and leave alone
 * whatever the user copied from another program since.
 */
export class ClipboardGuard {
  private readonly key = randomBytes(32)
  private noted: Buffer | null = null

  private digest(text: string): Buffer {
    return createHmac('sha256', this.key).update(text, 'utf8').digest()
  }

  /** Called after a copy or cut in Custodia's window, with the clipboard's text as it is now. */
  noteCopied(text: string): void {
    this.noted = text.length > 0 ? this.digest(text) : null
  }

  /** True when the clipboard's current text is what Custodia put there last. */
  holdsOurs(current: string): boolean {
    return this.noted !== null && current.length > 0 && timingSafeEqual(this.digest(current), this.noted)
  }

  forget(): void {
    this.noted = null
  }
}

/** What the panic lock needs from the desktop shell (Electron in the app; tests and the e2e harness supply their own). */
export interface PanicPlatform {
  /**
   * Makes `accelerator` the system-wide panic shortcut in place of the previous one (null: none). False when the
   * system refused it (another program holds it); the previous one is then no longer registered either.
   */
  registerShortcut(accelerator: string | null): boolean
  /** Asynchronous, as Electron's clipboard is. */
  readClipboardText(): Promise<string>
  clearClipboard(): Promise<void> | void
  /** Closes every window except the main one, which shows the lock screen once the session reports the lock. */
  closeOtherWindows(): void
}

/** Where the panic shortcut is kept (the app's settings file: it must work before any vault is unlocked). */
export interface PanicShortcutStore {
  /** The saved shortcut; null when the user turned it off; undefined when never chosen (the default applies). */
  readPanicShortcut(): string | null | undefined
  writePanicShortcut(accelerator: string | null): void
}

/** The panic shortcut as Settings shows it. */
export interface PanicLockStatus {
  /** Electron accelerator form, or null when turned off. */
  readonly shortcut: string | null
  /** Whether the system accepted it: false when another program holds it (Settings says so and offers another). */
  readonly active: boolean
}

/** The outcome of one panic lock, for tests and the bench (what it did, never what was in the vault). */
export interface PanicOutcome {
  readonly wasUnlocked: boolean
  readonly clipboardCleared: boolean
}

/** The panic lock of the app: its shortcut (kept, registered, changed) and the lock itself. */
export class PanicLock {
  private readonly clipboard = new ClipboardGuard()
  private status: PanicLockStatus = { shortcut: null, active: false }

  constructor(
    private readonly session: VaultSession,
    private readonly store: PanicShortcutStore,
    private readonly platform: PanicPlatform,
  ) {}

  /** Registers the saved shortcut (or the default). A saved one that is no longer valid falls back to the default. */
  start(): PanicLockStatus {
    const saved = this.store.readPanicShortcut()
    let shortcut: string | null = DEFAULT_PANIC_SHORTCUT
    if (saved === null) shortcut = null
    else if (saved !== undefined) {
      try {
        shortcut = normalisePanicShortcut(saved)
      } catch {
        // A hand-edited settings file: the default is safer than no panic lock at all.
      }
    }
    return this.apply(shortcut)
  }

  /** After a copy or cut in Custodia's window: remembers (as a keyed hash) what the clipboard holds now. */
  async noteCopied(): Promise<void> {
    this.clipboard.noteCopied(await this.platform.readClipboardText())
  }

  current(): PanicLockStatus {
    return this.status
  }

  /**
   * Changes the shortcut (null turns it off). Checked first (VALIDATION, nothing changed); a shortcut the system
   * refuses is not saved, and the previous one is registered again (CONFLICT, in words).
   */
  change(input: string | null): PanicLockStatus {
    const shortcut = input === null ? null : normalisePanicShortcut(input)
    const previous = this.status.shortcut
    const next = this.apply(shortcut)
    if (shortcut !== null && !next.active) {
      this.apply(previous)
      throw new CustodiaError('CONFLICT', 'Another program already uses this shortcut. Choose another one.')
    }
    this.store.writePanicShortcut(shortcut)
    return next
  }

  private apply(shortcut: string | null): PanicLockStatus {
    const active = this.platform.registerShortcut(shortcut)
    this.status = { shortcut, active: shortcut !== null && active }
    return this.status
  }

  /**
   * Locks at once: the session (keys and plaintext gone before anything else can fail) and the other windows,
   * synchronously; then the clipboard, which Electron reads asynchronously. Each step runs even if an earlier one
   * throws; the returned promise settles once the clipboard was dealt with.
   */
  async run(): Promise<PanicOutcome> {
    const wasUnlocked = this.session.isUnlocked()
    try {
      this.session.lock('panic')
    } finally {
      this.platform.closeOtherWindows()
    }
    let clipboardCleared = false
    try {
      if (this.clipboard.holdsOurs(await this.platform.readClipboardText())) {
        await this.platform.clearClipboard()
        clipboardCleared = true
      }
    } finally {
      this.clipboard.forget()
    }
    return { wasUnlocked, clipboardCleared }
  }
}
