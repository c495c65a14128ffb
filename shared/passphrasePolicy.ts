// Shared by every process: the one statement of what a new passphrase must be — for a vault (create, change) and for
// a passphrase-protected bundle. Core enforces it (the session, exportBundle); the CLI and the UI call it to answer
// early; the IPC contract checks only the shape, so users get these plain messages. Nobody restates the rule.
// Pure (no Node, no DOM) so the sandboxed renderer can use it for its hints and buttons.

/** Characters a new vault passphrase needs at least (Unicode characters, not UTF-16 units). */
export const MIN_VAULT_PASSPHRASE_CHARS = 12
/** Characters a bundle passphrase needs at least: it is typed into age's scrypt, which anyone with the file can attack. */
export const MIN_BUNDLE_PASSPHRASE_CHARS = 12

/**
 * Length in Unicode characters of the NFC form (the form key derivation uses): an emoji or a letter outside the BMP
 * counts once, and an accented letter counts once however the keyboard composed it.
 */
function countCharacters(text: string): number {
  return [...text.normalize('NFC')].length
}

/** What is wrong with a new vault passphrase, in words a user can act on; null when it is acceptable. */
export function checkVaultPassphrase(passphrase: string): string | null {
  if (countCharacters(passphrase) < MIN_VAULT_PASSPHRASE_CHARS) {
    return `The passphrase must be at least ${MIN_VAULT_PASSPHRASE_CHARS} characters.`
  }
  return null
}

/** What is wrong with the passphrase for a new bundle, in words a user can act on; null when it is acceptable. */
export function checkBundlePassphrase(passphrase: string): string | null {
  if (countCharacters(passphrase) < MIN_BUNDLE_PASSPHRASE_CHARS) {
    return `The bundle passphrase must be at least ${MIN_BUNDLE_PASSPHRASE_CHARS} characters.`
  }
  return null
}
