// Main process / CLI (Node only): the one way a typed passphrase becomes the bytes handed to key derivation — for
// vaults and for bundles alike — and the check of a NEW passphrase against the shared policy before it is used.
import { CustodiaError } from '../../../shared/errors'
import { checkBundlePassphrase, checkVaultPassphrase } from '../../../shared/passphrasePolicy'

/**
 * Encodes a passphrase for key derivation: UTF-8 of its NFC form, so the same words typed on another keyboard or
 * system (composed or decomposed accents) still open the vault or the bundle. The caller zeroes the bytes after use.
 */
export function encodePassphrase(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'))
}

/** A passphrase for a new vault or a passphrase change: VALIDATION with the policy's message when it falls short. */
export function encodeNewVaultPassphrase(passphrase: string): Uint8Array {
  const problem = checkVaultPassphrase(passphrase)
  if (problem) throw new CustodiaError('VALIDATION', problem)
  return encodePassphrase(passphrase)
}

/**
 * A passphrase that will protect a new bundle: VALIDATION with the policy's message when it falls short. Opening a
 * bundle uses encodePassphrase alone: a bundle made elsewhere under another rule must still open.
 */
export function encodeNewBundlePassphrase(passphrase: string): Uint8Array {
  const problem = checkBundlePassphrase(passphrase)
  if (problem) throw new CustodiaError('VALIDATION', problem)
  return encodePassphrase(passphrase)
}
