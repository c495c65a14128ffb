// Main process: owns the one vault the app has open, and the lock/unlock life cycle around it.
// Handlers reach vault data only through `requireVault()`, which is the single place VAULT_LOCKED is raised.
import { CustodiaError } from '../../../shared/errors'
import type { VaultState } from '../../../shared/ipc/contract'
import type { SodiumBackend } from '../crypto/sodium'
import {
  createVault,
  inspectVault,
  noteUnlockFailure,
  openVault,
  openVaultWithRecoveryKey,
  type KdfParams,
  type Vault,
} from '../vault/vault'

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'shortcut'

export const DEFAULT_AUTO_LOCK_MINUTES = 10
const AUTO_LOCK_SETTING = 'autoLockMinutes'

export interface VaultSessionOptions {
  sodium: SodiumBackend
  /** KDF parameters for new vaults; tests pass the minimum to stay fast. */
  kdf?: KdfParams
  onLocked?: (reason: LockReason) => void
  onOpened?: (dir: string) => void
}

/** Encode a passphrase for key derivation: NFC so the same words typed on another keyboard still unlock. */
export function encodePassphrase(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'))
}

export class VaultSession {
  private vault: Vault | null = null
  private lastDir: string | null = null

  constructor(private readonly options: VaultSessionOptions) {}

  status(): VaultState {
    const vault = this.vault
    if (vault && !vault.locked) {
      return {
        state: 'unlocked',
        dir: vault.dir,
        vaultId: vault.vaultId,
        autoLockMinutes: this.autoLockMinutes(),
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
    if (!this.vault || this.vault.locked) throw new CustodiaError('VAULT_LOCKED', 'The vault is locked. Unlock it to continue.')
    return this.vault
  }

  isUnlocked(): boolean {
    return this.vault !== null && !this.vault.locked
  }

  async create(dir: string, passphrase: string): Promise<{ recoveryKey: string }> {
    this.lock('user')
    const secret = encodePassphrase(passphrase)
    try {
      const { vault, recoveryKey } = await createVault(dir, secret, { sodium: this.options.sodium, kdf: this.options.kdf })
      this.adopt(vault)
      return { recoveryKey }
    } finally {
      secret.fill(0)
    }
  }

  async unlock(dir: string, passphrase: string): Promise<void> {
    this.lock('user')
    const secret = encodePassphrase(passphrase)
    try {
      this.adopt(await openVault(dir, secret, { sodium: this.options.sodium }))
    } catch (error) {
      if (error instanceof CustodiaError && error.code === 'WRONG_PASSPHRASE') noteUnlockFailure(dir)
      this.lastDir = dir
      throw error
    } finally {
      secret.fill(0)
    }
  }

  async unlockWithRecoveryKey(dir: string, recoveryKey: string): Promise<void> {
    this.lock('user')
    try {
      this.adopt(await openVaultWithRecoveryKey(dir, recoveryKey, { sodium: this.options.sodium }))
    } catch (error) {
      if (error instanceof CustodiaError && error.code === 'WRONG_PASSPHRASE') noteUnlockFailure(dir)
      this.lastDir = dir
      throw error
    }
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    const vault = this.requireVault()
    const oldSecret = encodePassphrase(oldPassphrase)
    const newSecret = encodePassphrase(newPassphrase)
    try {
      await vault.changePassphrase(oldSecret, newSecret)
    } finally {
      oldSecret.fill(0)
      newSecret.fill(0)
    }
  }

  /** Wipes keys and closes the database. Safe to call when nothing is open. */
  lock(reason: LockReason): void {
    const vault = this.vault
    if (!vault) return
    this.vault = null
    if (!vault.locked) {
      vault.lock()
      this.options.onLocked?.(reason)
    }
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

  private adopt(vault: Vault): void {
    this.vault = vault
    this.lastDir = vault.dir
    this.options.onOpened?.(vault.dir)
  }
}
