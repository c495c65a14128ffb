// Main process (Node only): failed unlock attempts, remembered in memory only.
// A failed unlock must leave every vault file byte-identical (nothing may be written without the key, and a
// write would itself reveal the attempt's timing), so failures are counted here per vault folder and written to
// the audit log as `vault.unlock_failed` entries by the next successful unlock in this process. Only unlock.ts notes a
// failure (once per attempt, with the method it tried); callers above the vault layer never note one again.
// Failures in a process that exits before a successful unlock are not logged (documented in docs/CRYPTO.md).

import path from 'node:path'

export interface UnlockFailure {
  /** ISO 8601 time of the attempt. */
  at: string
  method: 'passphrase' | 'recovery'
}

const failures = new Map<string, UnlockFailure[]>()
// Bounded so a scripted guessing loop cannot grow memory without limit; the count stays exact.
const MAX_KEPT = 1000
const dropped = new Map<string, number>()

function resolveFolderKey(dir: string): string {
  return path.resolve(dir)
}

/** Records one failed unlock of the vault in `dir` (a wrong passphrase or recovery key: the caller says which). */
export function noteUnlockFailure(dir: string, method: UnlockFailure['method']): void {
  const key = resolveFolderKey(dir)
  const list = failures.get(key) ?? []
  if (list.length >= MAX_KEPT) dropped.set(key, (dropped.get(key) ?? 0) + 1)
  else list.push({ at: new Date().toISOString(), method })
  failures.set(key, list)
}

/** How many failures are waiting to be logged for `dir`. */
export function countUnlockFailures(dir: string): number {
  const key = resolveFolderKey(dir)
  return (failures.get(key)?.length ?? 0) + (dropped.get(key) ?? 0)
}

/** Returns and forgets the pending failures of `dir` (`omitted` = attempts beyond the kept list). */
export function takeUnlockFailures(dir: string): { failures: UnlockFailure[]; omitted: number } {
  const key = resolveFolderKey(dir)
  const result = { failures: failures.get(key) ?? [], omitted: dropped.get(key) ?? 0 }
  failures.delete(key)
  dropped.delete(key)
  return result
}

/** Puts failures back (used when writing them failed, so they are not lost). */
export function restoreUnlockFailures(dir: string, taken: { failures: UnlockFailure[]; omitted: number }): void {
  const key = resolveFolderKey(dir)
  failures.set(key, [...taken.failures, ...(failures.get(key) ?? [])])
  if (taken.omitted) dropped.set(key, (dropped.get(key) ?? 0) + taken.omitted)
}
