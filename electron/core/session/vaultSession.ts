// Main process: owns the one vault the app has open, and the lock/unlock life cycle around it.
// Handlers reach vault data only through `requireVault()`, which is the single place VAULT_LOCKED is raised, and
// everything a lock must wipe registers with the session (holdUntilLock, onLock) so one lock() disposes all of it.
import fs from 'node:fs'
import { resolve } from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { SearchEngine } from '../search/searchEngine'
import type { VaultState } from '../../../shared/ipc/contract'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { LockScope, runDisposers, type LockDisposer } from './lockScope'
import { encodeNewVaultPassphrase, encodePassphrase } from './passphrase'
import {
  createVault,
  DEFAULT_ADMIN_NAME,
  inspectVault,
  joinVault,
  openVault,
  openVaultWithRecoveryKey,
  readUnlockGuard,
  type CurrentMember,
  type DuressAction,
  type KdfParams,
  type UnlockGuardStatus,
  type Vault,
  type VaultProtection,
} from '../vault/vault'
import { readAuthorName } from './author'
import { getSnapshotPath } from '../search/snapshot'
import type { PartSplitter, ShredResult } from '../vault/vault'

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'shortcut' | 'panic'

export const DEFAULT_AUTO_LOCK_MINUTES = 10
const AUTO_LOCK_SETTING = 'autoLockMinutes'

export interface VaultSessionOptions {
  sodium: SodiumBackend
  /** KDF parameters for new vaults; tests pass the minimum to stay fast. */
  kdf?: KdfParams
  onLocked?: (reason: LockReason) => void
  onOpened?: (dir: string) => void
  /** Opens the search index of a freshly unlocked vault (closed again before the vault locks). */
  openSearch?: (vault: Vault) => Promise<SearchEngine>
  /** A lock-time disposer failed (the lock went on): for the application log. Never given plaintext. */
  onCleanupError?: (error: unknown) => void
  /**
   * A vault found changed outside Custodia: 'refuse' (the CLI: the unlock fails with TAMPERED naming the changes) or
   * 'review' (the app: it opens for reading, status() lists the changes, and writes wait for acceptIntegrityReport()).
   */
  onTampered?: 'refuse' | 'review'
  /** The user confirmed a keyslot asking for more key-derivation work than the vault was created with (CLI flag). */
  allowStrongerKdf?: boolean
  /** The clock (ms since 1970) for invitation expiry; tests inject one. Default Date.now. */
  now?: () => number
  /** Progress of the one-time move of an older vault to per-item keys, at the unlock that does it (done/total items). */
  onItemKeyMigration?: (progress: { done: number; total: number }) => void
  /** Kinds with sensitive sections sealed apart at a key holder's unlock (vault/partMigration.ts): the dossiers'. */
  partSplitters?: readonly PartSplitter[]
}

/** What every call that needs an unlocked vault answers while it is locked. */
export function lockedError(): CustodiaError {
  return new CustodiaError('VAULT_LOCKED', 'The vault is locked. Unlock it to continue.')
}

export class VaultSession {
  private vault: Vault | null = null
  private lastDir: string | null = null
  private search: SearchEngine | null = null
  private searchOpening: Promise<SearchEngine> | null = null
  /** What the current unlock brought into being; null while locked. */
  private scope: LockScope | null = null
  /** Disposers of owners that outlive one unlock (e.g. the letter preview store): run at every lock. */
  private readonly lockHooks = new Set<{ dispose: LockDisposer }>()

  constructor(private readonly options: VaultSessionOptions) {}

  status(): VaultState {
    const vault = this.vault
    if (vault && !vault.locked) {
      return {
        state: 'unlocked',
        // The folder the user opened (a duress passphrase opens a decoy kept elsewhere: its path is never shown).
        dir: this.lastDir ?? vault.dir,
        vaultId: vault.vaultId,
        autoLockMinutes: this.autoLockMinutes(),
        member: vault.member ? { ...vault.member } : null,
        ...(vault.integrity.intact
          ? {}
          : { integrityProblems: vault.integrity.problems.map((problem) => ({ ...problem, ids: [...problem.ids] })) }),
      }
    }
    return {
      state: this.lastDir ? 'locked' : 'none',
      dir: this.lastDir,
      vaultId: null,
      autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES,
    }
  }

  requireVault(): Vault {
    if (!this.vault || this.vault.locked) throw lockedError()
    return this.vault
  }

  isUnlocked(): boolean {
    return this.vault !== null && !this.vault.locked
  }

  /** The member the unlocked vault works for (null while locked, or in a vault whose member list was changed). */
  member(): CurrentMember | null {
    return this.isUnlocked() ? this.vault!.member : null
  }

  /** The name written as the author of what this session saves: the member's, else the account name (no member yet). */
  authorName(): string {
    return this.member()?.name ?? readAuthorName()
  }

  /**
   * Creates a vault whose first member, an admin, is `adminName` (default: the account name, else "Admin").
   */
  async create(dir: string, passphrase: string, opts: { adminName?: string } = {}): Promise<{ recoveryKey: string }> {
    // The policy is checked before anything else happens: a refused passphrase leaves the open vault open.
    const secret = encodeNewVaultPassphrase(passphrase)
    this.lock('user')
    try {
      const { vault, recoveryKey } = await createVault(dir, secret, {
        sodium: this.options.sodium,
        kdf: this.options.kdf,
        adminName: opts.adminName ?? this.defaultAdminName(),
      })
      await this.adopt(vault)
      return { recoveryKey }
    } finally {
      secret.fill(0)
    }
  }

  /**
   * Unlocks as `member` (their name; only their keyslot is tried) or, without one, with whichever keyslot the passphrase
   * opens (a vault of one person). A vault from before members gets its admin member now, named `member` or the account.
   */
  async unlock(dir: string, passphrase: string, opts: { member?: string } = {}): Promise<void> {
    this.lock('user')
    const secret = encodePassphrase(passphrase)
    try {
      await this.adopt(
        await openVault(dir, secret, {
          sodium: this.options.sodium,
          onTampered: this.options.onTampered,
          allowStrongerKdf: this.options.allowStrongerKdf,
          member: opts.member,
          adminName: this.defaultAdminName(),
          now: this.options.now,
          onItemKeyMigration: this.options.onItemKeyMigration,
          partSplitters: this.options.partSplitters,
        }),
        // The folder asked for, as the vault would name it (a duress passphrase opens a decoy elsewhere).
        resolve(dir),
      )
    } catch (error) {
      // A wrong passphrase was already counted by the vault layer (openVault), once: not noted again here.
      this.lastDir = dir
      throw error
    } finally {
      secret.fill(0)
    }
  }

  /**
   * Joins a vault with an invitation code, setting the new member's passphrase (checked against the policy first, so a
   * refused one leaves the open vault open). Returns their recovery key, to show once.
   */
  async join(dir: string, code: string, newPassphrase: string): Promise<{ recoveryKey: string }> {
    const secret = encodeNewVaultPassphrase(newPassphrase)
    this.lock('user')
    try {
      const { vault, recoveryKey } = await joinVault(dir, code, secret, {
        sodium: this.options.sodium,
        onTampered: this.options.onTampered,
        now: this.options.now,
        partSplitters: this.options.partSplitters,
      })
      await this.adopt(vault)
      return { recoveryKey }
    } catch (error) {
      this.lastDir = dir
      throw error
    } finally {
      secret.fill(0)
    }
  }

  async unlockWithRecoveryKey(dir: string, recoveryKey: string): Promise<void> {
    this.lock('user')
    try {
      await this.adopt(
        await openVaultWithRecoveryKey(dir, recoveryKey, {
          sodium: this.options.sodium,
          onTampered: this.options.onTampered,
          adminName: this.defaultAdminName(),
          now: this.options.now,
          onItemKeyMigration: this.options.onItemKeyMigration,
          partSplitters: this.options.partSplitters,
        }),
      )
    } catch (error) {
      // A wrong recovery key was already counted by the vault layer (as a `recovery` failure), once.
      this.lastDir = dir
      throw error
    }
  }

  /** The user saw what changed outside Custodia and keeps working with what is there (Vault.acceptIntegrityReport). */
  acceptIntegrityReport(): void {
    this.requireVault().acceptIntegrityReport()
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    const vault = this.requireVault()
    const newSecret = encodeNewVaultPassphrase(newPassphrase)
    const oldSecret = encodePassphrase(oldPassphrase)
    try {
      await vault.changePassphrase(oldSecret, newSecret)
    } finally {
      oldSecret.fill(0)
      newSecret.fill(0)
    }
  }

  /**
   * Ends the unlock, whatever the reason (quit locks with 'user'): disposes everything held until the lock (newest
   * first: running jobs are aborted, an opened bundle's files removed, the search index closed while the vault can
   * still write its snapshot), runs the onLock hooks, empties the vault's tmp/ folder, then wipes the keys and closes
   * the database. Synchronous, so no plaintext is left on disk when it returns; a step that fails is reported and
   * the next one runs all the same. Safe to call when nothing is open.
   */
  lock(reason: LockReason): void {
    const vault = this.vault
    if (!vault) return
    this.vault = null
    const scope = this.scope
    this.scope = null
    const search = this.search
    this.search = null
    this.searchOpening = null
    const failures: unknown[] = []
    // A panic lock must be over in a blink: the index is dropped without writing its snapshot (at 100k records that
    // write takes longer than the whole lock may); the next unlock catches up from the previous snapshot.
    if (reason === 'panic' && search) failures.push(...runDisposers([() => search.close({ persist: false })]))
    failures.push(...(scope ? scope.close() : []))
    failures.push(...runDisposers([...this.lockHooks].map((hook) => hook.dispose)))
    failures.push(...runDisposers([() => vault.emptyTempFolder()]))
    const wasUnlocked = !vault.locked
    // A panic lock does not seal the database file (hashing it takes time): the next unlock checks every row instead.
    if (wasUnlocked) vault.lock({ seal: reason !== 'panic' })
    for (const failure of failures) {
      try {
        this.options.onCleanupError?.(failure)
      } catch {
        // Reporting must not undo a lock that has already happened.
      }
    }
    if (wasUnlocked) this.options.onLocked?.(reason)
  }

  /**
   * Keeps `dispose` until the next lock (any reason, quit included), which runs it before the keys are wiped: for
   * anything plaintext or key-derived that this unlock brought into being. Returns a release function for a resource
   * that goes away earlier. When the vault is locked, `dispose` runs at once and VAULT_LOCKED is thrown, so a job
   * that finishes after a lock wipes what it made instead of keeping it.
   */
  holdUntilLock(dispose: LockDisposer): () => void {
    const scope = this.isUnlocked() ? this.scope : null
    const release = scope ? scope.hold(dispose) : (dispose(), null)
    if (!release) throw lockedError()
    return release
  }

  /**
   * Runs `dispose` at every lock from now on, for owners that outlive one unlock (e.g. the letter preview store).
   * Returns a function that unregisters it.
   */
  onLock(dispose: LockDisposer): () => void {
    const hook = { dispose }
    this.lockHooks.add(hook)
    return () => {
      this.lockHooks.delete(hook)
    }
  }

  /** The wipe policy and the working member's duress passphrase (Security page). */
  protection(): VaultProtection {
    return this.requireVault().getProtection()
  }

  /** Erase the keys after `after` (3..20) wrong tries in a row, or never (null). */
  setWipeAfterFailures(after: number | null, includesRecovery: boolean): void {
    this.requireVault().setWipeAfterFailures(after, includesRecovery)
  }

  /** Sets the working member's duress passphrase: it must be the decoy vault's own passphrase. */
  async setDuressPassphrase(passphrase: string, opts: { decoyDir: string; action: DuressAction; keepRecovery: boolean }): Promise<void> {
    const vault = this.requireVault()
    const secret = encodePassphrase(passphrase)
    try {
      await vault.setDuressPassphrase(secret, opts)
    } finally {
      secret.fill(0)
    }
  }

  clearDuressPassphrase(): void {
    this.requireVault().clearDuressPassphrase()
  }

  /** What the lock screen shows before an unlock of `dir`: tries left before the erase, or that it happened. */
  unlockGuard(dir: string): UnlockGuardStatus {
    return readUnlockGuard(dir)
  }

  autoLockMinutes(): number {
    const raw = this.vault && !this.vault.locked ? this.vault.getSetting(AUTO_LOCK_SETTING) : undefined
    const minutes = raw === undefined ? NaN : Number(raw)
    return Number.isInteger(minutes) && minutes >= 0 ? minutes : DEFAULT_AUTO_LOCK_MINUTES
  }

  setAutoLockMinutes(minutes: number): void {
    this.requireVault().setSetting(AUTO_LOCK_SETTING, String(minutes))
  }

  /** True when the machine has been idle long enough that the vault should lock (0 minutes = never). */
  shouldAutoLock(idleSeconds: number): boolean {
    const minutes = this.autoLockMinutes()
    return this.isUnlocked() && minutes > 0 && idleSeconds >= minutes * 60
  }

  describeFolder(dir: string): ReturnType<typeof inspectVault> {
    return inspectVault(dir)
  }

  /**
   * The search index of the unlocked vault, opened on first need if opening it at unlock failed.
   * VAULT_LOCKED when locked; UNSUPPORTED when this session has no search engine.
   */
  async requireSearch(): Promise<SearchEngine> {
    const vault = this.requireVault()
    if (this.search) return this.search
    if (!this.options.openSearch) throw new CustodiaError('UNSUPPORTED', 'Search is not available in this session.')
    const scope = this.scope
    this.searchOpening ??= this.options.openSearch(vault)
    const opening = this.searchOpening
    try {
      const engine = await opening
      // Another caller waited for the same opening and already took it in.
      if (this.search === engine) return engine
      // The index holds key material and plaintext terms in memory: it closes with the unlock that opened it, before
      // the keys are wiped. Locked (or another vault opened) while it was opening: hold() closes it at once.
      const release = scope?.hold(() => engine.close()) ?? null
      if (!release) throw lockedError()
      this.search = engine
      return engine
    } finally {
      if (this.searchOpening === opening) this.searchOpening = null
    }
  }

  /**
   * Destroys records and attachments for good (Vault.shred), then makes the search index forget the records at once
   * and rewrites its encrypted snapshot without them. A session with no index (the CLI for commands that do not
   * search), or one whose index cannot open, removes the snapshot file instead: the next search rebuilds it.
   */
  async shredItems(ids: readonly string[]): Promise<ShredResult> {
    const vault = this.requireVault()
    const result = await vault.shred(ids)
    let forgotten = false
    if (this.options.openSearch) {
      try {
        ;(await this.requireSearch()).forget(result.records)
        forgotten = true
      } catch {
        // Removed below instead.
      }
    }
    if (!forgotten) fs.rmSync(getSnapshotPath(vault.dir), { force: true })
    return result
  }

  private defaultAdminName(): string {
    return readAuthorName() || DEFAULT_ADMIN_NAME
  }

  private async adopt(vault: Vault, dir: string = vault.dir): Promise<void> {
    this.vault = vault
    this.scope = new LockScope()
    this.lastDir = dir
    this.options.onOpened?.(dir)
    if (this.options.openSearch) {
      try {
        await this.requireSearch()
      } catch {
        // Unlocking must not fail over the index: search retries opening it on first use.
      }
    }
  }
}
