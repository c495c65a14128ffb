// CLI (Node): `custodia protect` — the wipe after wrong passphrases and the duress passphrase (issue #16), and what is
// set. Bad input is refused before the vault is unlocked, so it changes nothing.
import { MAX_WIPE_AFTER, MIN_WIPE_AFTER, validateWipeAfter, type DuressAction, type VaultProtection } from '../core/vault/vault'
import { passphraseFileOption, withSession } from './cliSession'
import type { Command } from './command'
import { readSecret, UsageError, writeLine } from './io'

/** The protection settings in plain words, one line each (also what `protect <dir>` prints alone). */
export function describeProtection(protection: VaultProtection): string[] {
  const wipe =
    protection.wipeAfter === null
      ? 'Wipe after wrong passphrases: off.'
      : `Wipe after wrong passphrases: after ${protection.wipeAfter} wrong tries in a row, this vault's passphrases are erased${
          protection.wipeIncludesRecovery
            ? ' together with the recovery keys: nobody will be able to open it again.'
            : '. The recovery keys still open it.'
        }`
  const { duress } = protection
  const duressLine = !duress.on
    ? 'Duress passphrase: not set.'
    : duress.action === 'wipe'
      ? `Duress passphrase: set. It erases this vault's keys${duress.keepRecovery ? ' (the recovery keys still open it)' : ''}, then opens the decoy vault.`
      : 'Duress passphrase: set. It opens the decoy vault.'
  return [wipe, duressLine]
}

function readWipeAfter(value: unknown): number | null | undefined {
  if (value === undefined) return undefined
  if (value === 'off') return null
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN
  try {
    return validateWipeAfter(n)
  } catch {
    throw new UsageError(`--wipe-after must be a whole number from ${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}, or off.`)
  }
}

function readDuressAction(value: unknown): DuressAction {
  if (value === undefined || value === 'decoy') return 'decoy'
  if (value === 'wipe') return 'wipe'
  throw new UsageError('--duress-action must be decoy (open the decoy vault) or wipe (erase this vault, then open the decoy).')
}

export const protectCommands: Command[] = [
  {
    words: ['protect'],
    usage:
      'protect <dir> [--wipe-after N|off] [--wipe-recovery] [--duress --decoy DIR [--duress-action decoy|wipe] [--keep-recovery]] [--duress-off]',
    summary: 'erase the keys after N wrong passphrases in a row, and set a duress passphrase (admins); alone, says what is set',
    options: {
      ...passphraseFileOption,
      'wipe-after': {
        type: 'string',
        value: 'N|off',
        help: `erase the passphrases after N wrong tries in a row (${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}), or off`,
      },
      'wipe-recovery': { type: 'boolean', help: 'with --wipe-after: erase the recovery keys too (then nobody can ever open the vault)' },
      duress: {
        type: 'boolean',
        help: 'set your duress passphrase: the decoy vault’s own passphrase (from CUSTODIA_DURESS_PASSPHRASE, --duress-passphrase-file or a prompt asked twice)',
      },
      'duress-passphrase-file': { type: 'string', value: 'FILE', help: 'read the duress passphrase from the first line of FILE' },
      decoy: { type: 'string', value: 'DIR', help: 'with --duress: the decoy vault, a vault you prepared in another folder' },
      'duress-action': {
        type: 'string',
        value: 'decoy|wipe',
        help: 'with --duress: decoy opens the decoy vault (default); wipe erases this vault’s keys first, then opens the decoy',
      },
      'keep-recovery': { type: 'boolean', help: 'with --duress-action wipe: the recovery keys survive the erase' },
      'duress-off': { type: 'boolean', help: 'turn your duress passphrase off' },
    },
    arity: 1,
    run: async (ctx) => {
      const wipeAfter = readWipeAfter(ctx.options['wipe-after'])
      const wipeRecovery = ctx.options['wipe-recovery'] === true
      if (wipeRecovery && (wipeAfter === undefined || wipeAfter === null)) throw new UsageError('--wipe-recovery goes with --wipe-after N.')
      const duress = ctx.options['duress'] === true
      const duressOff = ctx.options['duress-off'] === true
      if (duress && duressOff) throw new UsageError('Give either --duress or --duress-off, not both.')
      const decoy = ctx.options['decoy']
      if (duress && (typeof decoy !== 'string' || !decoy.trim()))
        throw new UsageError('--duress needs --decoy DIR: the decoy vault’s folder.')
      if (!duress && (decoy !== undefined || ctx.options['duress-action'] !== undefined || ctx.options['keep-recovery'] !== undefined))
        throw new UsageError('--decoy, --duress-action and --keep-recovery go with --duress.')
      const action = readDuressAction(ctx.options['duress-action'])
      const keepRecovery = ctx.options['keep-recovery'] === true
      if (keepRecovery && action !== 'wipe') throw new UsageError('--keep-recovery goes with --duress-action wipe.')
      // Every secret is read before the (slow) unlock, so a mistyped repeat is refused at once.
      const duressPassphrase = duress
        ? await readSecret(ctx.io, {
            file: ctx.options['duress-passphrase-file'] as string | undefined,
            envName: 'CUSTODIA_DURESS_PASSPHRASE',
            prompt: 'Duress passphrase (the decoy vault’s own): ',
            confirm: true,
          })
        : undefined
      const lines = await withSession(ctx, async (session) => {
        if (wipeAfter !== undefined) session.setWipeAfterFailures(wipeAfter, wipeRecovery)
        if (duressPassphrase !== undefined)
          await session.setDuressPassphrase(duressPassphrase, { decoyDir: decoy as string, action, keepRecovery })
        if (duressOff) session.clearDuressPassphrase()
        return describeProtection(session.protection())
      })
      for (const line of lines) writeLine(ctx.io.stdout, line)
      if (duress) writeLine(ctx.io.stderr, 'Changing your passphrase turns the duress passphrase off: set it again afterwards.')
    },
  },
]
