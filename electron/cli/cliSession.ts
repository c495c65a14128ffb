// CLI (Node): how a command reaches a vault — through the same session (and search wiring) as the app, built by
// createCoreServices in electron/core/app/services.ts, so the CLI indexes, enforces and records exactly as the app does.
import { constants } from 'node:os'
import { createCoreServices } from '../core/app/services'
import { loadSodium } from '../core/platform/crypto/sodium'
import type { VaultSession } from '../core/session/vaultSession'
import type { Vault } from '../core/vault/vault'
import type { CommandContext, CommandOption } from './command'
import { checkCommandAccess } from './commandCapabilities'
import { readSecret } from './io'
import { CustodiaError } from '../../shared/errors'
import { checkVaultPassphrase } from '../../shared/passphrasePolicy'

/** Who unlocks: every command that opens a vault takes it (docs/MEMBERS.md). */
export const memberOption: Record<'member', CommandOption> = {
  member: {
    type: 'string',
    value: 'NAME',
    help: 'unlock as this member of the vault (the passphrase is theirs); without it, whichever member the passphrase opens',
  },
}

/** The options every command that opens a vault takes: the passphrase file and the member. */
export const passphraseFileOption: Record<'passphrase-file' | 'member', CommandOption> = {
  'passphrase-file': {
    type: 'string',
    value: 'FILE',
    help: 'read the vault passphrase from the first line of FILE (otherwise CUSTODIA_PASSPHRASE, or a hidden prompt)',
  },
  ...memberOption,
}

/** The option of every command that sets a new passphrase (joining, changing it). */
export const newPassphraseFileOption: Record<'new-passphrase-file', CommandOption> = {
  'new-passphrase-file': {
    type: 'string',
    value: 'FILE',
    help: 'read the new passphrase from the first line of FILE (otherwise CUSTODIA_NEW_PASSPHRASE, or a prompt asked twice)',
  },
}

/**
 * A new passphrase from --new-passphrase-file, CUSTODIA_NEW_PASSPHRASE or a prompt asked twice, refused at once (before
 * any slow step) when the passphrase policy refuses it; the session checks it again.
 */
export async function readNewPassphrase(ctx: CommandContext, prompt: string): Promise<string> {
  const passphrase = await readSecret(ctx.io, {
    file: ctx.options['new-passphrase-file'] as string | undefined,
    envName: 'CUSTODIA_NEW_PASSPHRASE',
    prompt,
    confirm: true,
  })
  const problem = checkVaultPassphrase(passphrase)
  if (problem) throw new CustodiaError('VALIDATION', problem)
  return passphrase
}

/** The --member option's value, or undefined. */
export function readMemberOption(ctx: CommandContext): string | undefined {
  const member = ctx.options['member']
  return typeof member === 'string' && member.trim() ? member : undefined
}

/** The vault passphrase from --passphrase-file, CUSTODIA_PASSPHRASE or a hidden prompt. */
export function readVaultPassphrase(ctx: CommandContext, prompt = 'Passphrase: '): Promise<string> {
  return readSecret(ctx.io, { file: ctx.options['passphrase-file'] as string | undefined, envName: 'CUSTODIA_PASSPHRASE', prompt })
}

/**
 * A session for one command. No app settings: the CLI has no Electron userData folder and records no recent vaults.
 * Search only when the command searches: the others do not pay for decrypting the index (the next open catches up).
 */
export async function createCliSession(
  opts: {
    search?: boolean
    onTampered?: 'refuse' | 'review'
    allowStrongerKdf?: boolean
    /** Where the one-time move of an older vault to per-item keys reports its progress (stderr). */
    progress?: NodeJS.WritableStream
  } = {},
): Promise<VaultSession> {
  const progress = opts.progress
  return createCoreServices({
    sodium: await loadSodium('native'),
    search: opts.search === true,
    onTampered: opts.onTampered,
    allowStrongerKdf: opts.allowStrongerKdf,
    onItemKeyMigration: progress
      ? ({ done, total }) => {
          if (done === 0 || done === total || done % 500 === 0)
            progress.write(`Moving this vault to per-item keys (once): ${done} of ${total} items\n`)
        }
      : undefined,
  }).session
}

/** The signals that end a command early (Ctrl+C, kill, a closed terminal). */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Until the returned function is called: the process locks `session` whenever it exits, and a SIGINT, SIGTERM or
 * SIGHUP makes it exit (code 128 + the signal's number, as a shell reports it) instead of dying on the spot. Locking
 * empties the vault's tmp/ folder, so a command interrupted while a letter prints or a bundle is open leaves no
 * plaintext there. Only SIGKILL and a crash skip it; the next unlock empties tmp/ for those.
 */
function lockOnExit(session: VaultSession): () => void {
  const lock = (): void => session.lock('user')
  const exitOn = Object.fromEntries(ENDING_SIGNALS.map((signal) => [signal, () => process.exit(128 + constants.signals[signal])]))
  process.on('exit', lock)
  for (const signal of ENDING_SIGNALS) process.on(signal, exitOn[signal]!)
  return () => {
    process.removeListener('exit', lock)
    for (const signal of ENDING_SIGNALS) process.removeListener(signal, exitOn[signal]!)
  }
}

/**
 * Unlocks the vault at args[0] through a session (passphrase from the usual sources unless given), runs `work`, and
 * always locks — which also writes the caught-up search index when the command searched, and empties the vault's
 * tmp/ folder — also when the command is interrupted by a signal.
 */
export async function withSession<T>(
  ctx: CommandContext,
  work: (session: VaultSession) => Promise<T> | T,
  opts: { search?: boolean; passphrase?: string; onTampered?: 'refuse' | 'review'; allowStrongerKdf?: boolean } = {},
): Promise<T> {
  const passphrase = opts.passphrase ?? (await readVaultPassphrase(ctx))
  const session = await createCliSession({ ...opts, progress: ctx.io.stderr })
  await session.unlock(ctx.args[0]!, passphrase, { member: readMemberOption(ctx) })
  const release = lockOnExit(session)
  try {
    // What the member's role may do, before the command touches anything (the CLI's side of the dispatcher's check).
    if (ctx.words !== undefined) checkCommandAccess(session, ctx.words, ctx.options)
    return await work(session)
  } finally {
    release()
    session.lock('user')
  }
}

/** withSession for commands that only need the vault. */
export function withVault<T>(ctx: CommandContext, work: (vault: Vault) => Promise<T> | T): Promise<T> {
  return withSession(ctx, (session) => work(session.requireVault()))
}
