// Unit (Node): the shared passphrase policy — characters are counted as a user counts them (emoji once, an accented
// letter once however it was typed), the boundary is exact, and the messages are plain sentences.
import { describe, expect, it } from 'vitest'
import {
  checkBundlePassphrase,
  checkVaultPassphrase,
  MIN_BUNDLE_PASSPHRASE_CHARS,
  MIN_VAULT_PASSPHRASE_CHARS,
} from '../../shared/passphrasePolicy'

describe.each([
  ['vault', checkVaultPassphrase, MIN_VAULT_PASSPHRASE_CHARS],
  ['bundle', checkBundlePassphrase, MIN_BUNDLE_PASSPHRASE_CHARS],
] as const)('%s passphrases', (_, check, min) => {
  it('accepts the minimum number of characters and refuses one fewer, with a plain sentence', () => {
    expect(check('x'.repeat(min))).toBeNull()
    const problem = check('x'.repeat(min - 1))
    expect(problem).toMatch(new RegExp(`^The [a-z ]*passphrase must be at least ${min} characters\\.$`))
    expect(check('')).toBe(problem)
  })

  it('counts an emoji once, not as its two UTF-16 units', () => {
    expect('🔑'.repeat(min - 1).length).toBeGreaterThanOrEqual(min)
    expect(check('🔑'.repeat(min - 1))).not.toBeNull()
    expect(check('🔑'.repeat(min))).toBeNull()
  })

  it('counts a decomposed accented letter once, as its composed form', () => {
    const decomposed = 'é'.normalize('NFD').repeat(min - 1)
    expect(decomposed.length).toBe(2 * (min - 1))
    expect(check(decomposed)).not.toBeNull()
  })
})
