// Main process (Node only): wipe after failed unlocks (issue #16). The policy is two plain settings in the vault
// (`wipeAfterFailures`, `wipeIncludesRecovery`): readable before the key exists, so a failed unlock can act on them,
// and covered by the state commitment, so removing them is reported as TAMPERED at the next successful unlock. The
// count of consecutive failures lives in its own small file in the vault folder (`unlock-attempts`), written without
// the key (a failed unlock has none) and only when the policy is on; the next successful unlock deletes it. At N
// failures the keyslots are destroyed (vaultRepo.destroyKeyslotRows). Limits (docs/CRYPTO.md section 13): this stops
// guessing through Custodia on this computer, not guessing against a copy of the folder, and anyone who can write the
// folder can reset the count.

import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { openDatabase } from '../platform/db/connection'
import { destroyKeyslotRows } from '../platform/db/vaultRepo'
import { writeFileAtomicSync } from '../platform/fs/atomicWrite'
import { DB_FILE, isErrno } from './files'
import type { VaultInternals } from './internals'

/** Plain setting: the number of consecutive failed unlocks (3..20) after which the keyslots are destroyed; absent = off. */
export const WIPE_AFTER_SETTING = 'wipeAfterFailures'
/** Plain setting: 'true' when the wipe also destroys the recovery keys (nobody can open the vault afterwards). */
export const WIPE_RECOVERY_SETTING = 'wipeIncludesRecovery'
/** The count of consecutive failed unlocks, in the vault folder (no content: a number and whether the keys were erased). */
export const ATTEMPTS_FILE = 'unlock-attempts'
export const MIN_WIPE_AFTER = 3
export const MAX_WIPE_AFTER = 20

export interface WipePolicy {
  /** Consecutive failures that destroy the keyslots. */
  after: number
  /** Whether the recovery keys are destroyed too. */
  includesRecovery: boolean
}

/** What the lock screen may know before an unlock: the policy, failures so far and tries left (null when off). */
export interface UnlockGuardStatus {
  wipeAfter: number | null
  includesRecovery: boolean
  failed: number
  triesLeft: number | null
  /** The keyslots were destroyed ('passphrase': only the passphrases; 'all': the recovery keys too). */
  erased: 'passphrase' | 'all' | null
}

interface AttemptsFile {
  v: 1
  failed: number
  erased: 'passphrase' | 'all' | null
}

/** Checks N for the wipe: an integer from 3 to 20, else VALIDATION in plain words. */
export function validateWipeAfter(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_WIPE_AFTER || value > MAX_WIPE_AFTER)
    throw new CustodiaError(
      'VALIDATION',
      `The number of wrong tries before the vault is erased must be a whole number from ${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}.`,
    )
  return value
}

/** The policy from the vault's plain settings (from a snapshot or the open vault); null when off or unreadable. */
export function readWipePolicy(settings: ReadonlyMap<string, string>): WipePolicy | null {
  const raw = settings.get(WIPE_AFTER_SETTING)
  if (raw === undefined || !/^\d{1,2}$/.test(raw)) return null
  const after = Number(raw)
  if (after < MIN_WIPE_AFTER || after > MAX_WIPE_AFTER) return null
  return { after, includesRecovery: settings.get(WIPE_RECOVERY_SETTING) === 'true' }
}

/** Reads the count file; a missing or unreadable file counts as no failures. */
export function readAttempts(root: string): AttemptsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(root, ATTEMPTS_FILE), 'utf8')) as Partial<AttemptsFile>
    const failed = Number.isSafeInteger(parsed.failed) && (parsed.failed as number) > 0 ? (parsed.failed as number) : 0
    const erased = parsed.erased === 'passphrase' || parsed.erased === 'all' ? parsed.erased : null
    return { v: 1, failed, erased }
  } catch {
    return { v: 1, failed: 0, erased: null }
  }
}

function writeAttempts(root: string, attempts: AttemptsFile): void {
  writeFileAtomicSync(path.join(root, ATTEMPTS_FILE), JSON.stringify(attempts), { mode: 0o600 })
}

/** The lock screen's view, from the policy read without the key and the count file. */
export function describeUnlockGuard(root: string, settings: ReadonlyMap<string, string>): UnlockGuardStatus {
  const policy = readWipePolicy(settings)
  const attempts = readAttempts(root)
  return {
    wipeAfter: policy?.after ?? null,
    includesRecovery: policy?.includesRecovery ?? false,
    failed: policy ? attempts.failed : 0,
    triesLeft: policy ? Math.max(0, policy.after - attempts.failed) : null,
    erased: attempts.erased,
  }
}

/**
 * Called by unlock.ts once per failed unlock (after noteUnlockFailure). With no policy, writes nothing (a failed unlock
 * then leaves every file byte-identical, as before). With one, counts the failure in the file; at N destroys the
 * keyslots. Returns the message to show: the plain wrong-passphrase message plus what is left, or that the vault is erased.
 */
export function recordFailedUnlock(root: string, policy: WipePolicy | null, sodium: SodiumBackend, wrongMessage: string): string {
  if (!policy) return wrongMessage
  const attempts = readAttempts(root)
  const failed = attempts.failed + 1
  if (failed < policy.after) {
    try {
      writeAttempts(root, { v: 1, failed, erased: attempts.erased })
    } catch {
      // A folder Custodia cannot write (a read-only copy): the count cannot be kept there, and the copy is not the vault.
      return wrongMessage
    }
    return `${wrongMessage}. ${describeTriesLeft(policy.after - failed)}`
  }
  const erased = policy.includesRecovery ? 'all' : 'passphrase'
  destroyKeyslots(root, erased, sodium, failed)
  return `${wrongMessage}. ${describeErased(erased)}`
}

/** "1 try left before this vault is erased." */
export function describeTriesLeft(left: number): string {
  return left === 1 ? '1 try left before this vault is erased.' : `${left} tries left before this vault is erased.`
}

/** What an erased vault's unlock says, in plain words. */
export function describeErased(erased: 'passphrase' | 'all'): string {
  return erased === 'all'
    ? "There were too many wrong tries: this vault's keys have been erased, and nobody can open it any more. Restore it from a backup."
    : 'There were too many wrong tries: the passphrases of this vault have been erased. Only a recovery key can open it now.'
}

/**
 * Forgets the count after a successful unlock (the folder may be read-only: then there is no count to forget). A
 * passphrase that opened the vault proves its passphrases were not erased, so `passphraseOpened` also drops a mark
 * left by an erase that did not complete; otherwise the mark stays (the lock screen keeps saying what happened).
 */
export function resetFailedUnlocks(root: string, passphraseOpened: boolean): void {
  const attempts = readAttempts(root)
  if (attempts.failed === 0 && attempts.erased === null) return
  try {
    if (attempts.erased === null || passphraseOpened) fs.rmSync(path.join(root, ATTEMPTS_FILE), { force: true })
    else writeAttempts(root, { v: 1, failed: 0, erased: attempts.erased })
  } catch (err) {
    if (!isErrno(err, 'EROFS', 'EACCES', 'EPERM')) throw err
  }
}

/**
 * Destroys the keyslots of the vault in `root` without its key: the passphrase keyslots, and with 'all' the recovery
 * keyslots too; every invitation always. Overwritten, deleted with secure_delete, WAL checkpointed (destroyKeyslotRows).
 * The mark is written first: an erase cut short (a crash, a busy database) is then finished by the next wrong try, since
 * the count stays at N or above, and the lock screen already says what is happening.
 */
export function destroyKeyslots(
  root: string,
  erased: 'passphrase' | 'all',
  sodium: SodiumBackend,
  failed = readAttempts(root).failed,
): void {
  try {
    writeAttempts(root, { v: 1, failed, erased })
  } catch {
    // A folder that cannot be written cannot be erased either: the database write below fails and says so.
  }
  const db = openDatabase(path.join(root, DB_FILE))
  try {
    destroyKeyslotRows(db, erased === 'all' ? ['passphrase', 'recovery'] : ['passphrase'], (length) => sodium.randomBytes(length))
  } finally {
    db.close()
  }
}

/**
 * Turns the wipe on (N from 3 to 20; the recovery keys die too when `includesRecovery`) or off (null), in the vault's
 * plain settings, in one transaction with their audit entries; the count starts again. Bad N → VALIDATION, nothing changed.
 */
export function setWipePolicy(vault: VaultInternals, after: number | null, includesRecovery: boolean): void {
  vault.assertUnlocked()
  const value = after === null ? null : String(validateWipeAfter(after))
  if (typeof includesRecovery !== 'boolean') throw new CustodiaError('VALIDATION', 'Say whether the recovery keys are erased too.')
  const { repo, chain } = vault
  // Off is stored as 'off' rather than by removing the rows: the audit log then names the value each setting should
  // have, so the integrity check can say which one was edited or removed outside Custodia.
  const next: [string, string][] = [
    [WIPE_AFTER_SETTING, value ?? 'off'],
    [WIPE_RECOVERY_SETTING, value !== null && includesRecovery ? 'true' : 'false'],
  ]
  repo.runInTransaction(() => {
    for (const [name, wanted] of next) {
      if (repo.getSetting(name) === wanted) continue
      repo.setSetting(name, wanted)
      chain.append('setting.changed', { name, value: wanted })
    }
  })
  resetFailedUnlocks(vault.dir, false)
}
