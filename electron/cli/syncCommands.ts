// CLI (Node): `custodia sync …` — set a vault up as the first replica of a team, invite a new replica (a file and a
// one-time code), join with them, run a sync now, and show where things stand. A thin layer over electron/core/sync
// (docs/SYNC.md); the shared folder is whatever the office's sync engine (Syncthing) shares.
import fs from 'node:fs'
import { CustodiaError } from '../../shared/errors'
import { sentence } from '../../shared/i18n/sentence'
import { isRole, ROLE_LABELS, ROLES } from '../../shared/members/roles'
import { loadSodium } from '../core/platform/crypto/sodium'
import { writeUserFileSync } from '../core/platform/fs/atomicWrite'
import { joinTeamInNewVault, readInvitation } from '../core/sync/joinTeam'
import {
  checkFolder,
  conflictTitle,
  createSyncInvitation,
  initSyncTeam,
  readSyncStatus,
  removeSyncMember,
  runSyncAndShred,
  type SyncRunResult,
} from '../core/sync/syncEngine'
import { createCliSession, newPassphraseFileOption, readNewPassphrase, passphraseFileOption, withVault } from './cliSession'
import type { Command, CommandContext } from './command'
import { flattenField, readSecret, UsageError, writeLine } from './io'

const folderOption = {
  type: 'string' as const,
  value: 'FOLDER',
  help: 'the sync folder: the folder your sync engine (e.g. Syncthing) shares',
}

function requireString(ctx: CommandContext, name: string, why: string): string {
  const value = ctx.options[name]
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required: ${why}`)
  return value
}

/** Attachment files still on their way: the change-sets that add them wait (not an error). */
function waitingForFilesLine(count: number): string {
  return sentence('cli.sync.waitingForFiles', { count })
}

function reportRun(ctx: CommandContext, result: SyncRunResult): void {
  writeLine(
    ctx.io.stdout,
    `Written: ${result.written}, applied: ${result.applied}, waiting: ${result.waiting}, conflicts: ${result.conflicts}`,
  )
  if (result.waitingForFiles > 0) writeLine(ctx.io.stdout, waitingForFilesLine(result.waitingForFiles))
  for (const refusal of result.refused)
    writeLine(ctx.io.stderr, `Refused from ${flattenField(refusal.member ?? refusal.deviceId)}: ${flattenField(refusal.reason)}`)
}

export const syncCommands: Command[] = [
  {
    words: ['sync', 'init'],
    usage: 'sync init <dir> --folder FOLDER',
    summary: 'make this vault the first copy of a team that syncs through FOLDER (admins only)',
    options: { ...passphraseFileOption, folder: folderOption },
    arity: 1,
    run: async (ctx) => {
      const folder = requireString(ctx, 'folder', 'the folder your sync engine shares')
      const sodium = await loadSodium('native')
      await withVault(ctx, (vault) => {
        const team = initSyncTeam({ vault, sodium }, folder)
        writeLine(ctx.io.stdout, `Sync set up: team ${team.teamId}, this device ${team.deviceId}.`)
        writeLine(
          ctx.io.stderr,
          'Run `custodia sync now <dir>` to share what is in the vault; `custodia sync invite` makes a copy for another office.',
        )
      })
    },
  },
  {
    words: ['sync', 'invite'],
    usage: 'sync invite <dir> <name> --role ROLE --out FILE',
    summary: 'make an invitation FILE for a new copy of the vault, used by <name>, and print its one-time code (admins only)',
    options: {
      ...passphraseFileOption,
      role: { type: 'string', value: 'ROLE', help: `what the new copy's changes may do: ${ROLES.join(', ')}` },
      out: { type: 'string', value: 'FILE', help: 'where to write the invitation (must not exist)' },
    },
    arity: 2,
    run: async (ctx) => {
      const role = ctx.options['role']
      if (!isRole(role)) throw new UsageError(`the role must be one of ${ROLES.join(', ')}`)
      const out = requireString(ctx, 'out', 'where to write the invitation file')
      if (fs.existsSync(out)) throw new CustodiaError('CONFLICT', 'The invitation file already exists: choose another name.')
      const sodium = await loadSodium('native')
      await withVault(ctx, (vault) => {
        const invitation = createSyncInvitation({ vault, sodium }, { member: ctx.args[1]!, role })
        writeUserFileSync(out, invitation.file, { exclusive: true })
        writeLine(ctx.io.stdout, `Invitation code: ${invitation.code}`)
        writeLine(
          ctx.io.stderr,
          `Give the file and the code to ${flattenField(ctx.args[1]!)} (${ROLE_LABELS[role]}) by different channels. The code is shown only once: custodia sync join <newdir> --invite FILE --folder FOLDER`,
        )
      })
    },
  },
  {
    words: ['sync', 'join'],
    usage: 'sync join <newdir> --invite FILE --folder FOLDER [--code CODE] [--new-passphrase-file F]',
    summary: "create a new copy of a team's vault in <newdir> from an invitation, with your own passphrase; prints your recovery key once",
    options: {
      invite: { type: 'string', value: 'FILE', help: 'the invitation file an admin gave you' },
      folder: folderOption,
      code: { type: 'string', value: 'CODE', help: 'the invitation code (otherwise CUSTODIA_SYNC_CODE, or a hidden prompt)' },
      ...newPassphraseFileOption,
    },
    arity: 1,
    run: async (ctx) => {
      const inviteFile = requireString(ctx, 'invite', 'the invitation file an admin gave you')
      const folder = requireString(ctx, 'folder', 'the folder your sync engine shares')
      checkFolder(folder)
      let bytes: Buffer
      try {
        bytes = fs.readFileSync(inviteFile)
      } catch {
        throw new CustodiaError('NOT_FOUND', 'The invitation file cannot be read: check its name.')
      }
      const code =
        typeof ctx.options['code'] === 'string'
          ? ctx.options['code']
          : await readSecret(ctx.io, { envName: 'CUSTODIA_SYNC_CODE', prompt: 'Invitation code: ' })
      const sodium = await loadSodium('native')
      // Opened first, so a wrong code or file is reported before the passphrase is asked for.
      readInvitation(sodium, bytes, code)
      const passphrase = await readNewPassphrase(ctx, 'Your new passphrase: ')
      const session = await createCliSession()
      let recoveryKey: string
      try {
        const joined = await joinTeamInNewVault(session, sodium, { dir: ctx.args[0]!, folder, invitationFile: bytes, code, passphrase })
        recoveryKey = joined.recoveryKey
        writeLine(
          ctx.io.stdout,
          `Joined team ${joined.invitation.teamId} as ${flattenField(joined.invitation.member)} (${ROLE_LABELS[joined.invitation.role]}).`,
        )
        reportRun(ctx, joined.run)
      } finally {
        session.lock('user')
      }
      writeLine(ctx.io.stdout, `Recovery key: ${recoveryKey}`)
      writeLine(ctx.io.stderr, 'Write the recovery key on paper and keep it away from this computer. It is not shown again.')
    },
  },
  {
    words: ['sync', 'remove'],
    usage: 'sync remove <dir> <name>',
    summary: "remove <name>'s copy from the team: what it writes from now on is refused everywhere (admins only)",
    options: passphraseFileOption,
    arity: 2,
    run: async (ctx) => {
      const sodium = await loadSodium('native')
      await withVault(ctx, (vault) => {
        const { removed } = removeSyncMember({ vault, sodium }, ctx.args[1]!)
        writeLine(
          ctx.io.stdout,
          `Removed ${removed.length} ${removed.length === 1 ? 'copy' : 'copies'} used by ${flattenField(ctx.args[1]!)}.`,
        )
        writeLine(
          ctx.io.stderr,
          'Run `custodia sync now` so the other offices learn it. The team key was changed: the removed copy cannot read what the team writes from now on, but it keeps what it already had (docs/SYNC.md).',
        )
      })
    },
  },
  {
    words: ['sync', 'now'],
    usage: 'sync now <dir> [--folder FOLDER]',
    summary: "write this copy's changes to the sync folder and apply the other copies' changes",
    options: { ...passphraseFileOption, folder: { ...folderOption, help: 'use this sync folder for this run (default: the one set up)' } },
    arity: 1,
    run: async (ctx) => {
      const sodium = await loadSodium('native')
      const folder = typeof ctx.options['folder'] === 'string' ? ctx.options['folder'] : undefined
      await withVault(ctx, async (vault) => reportRun(ctx, await runSyncAndShred({ vault, sodium }, { folder })))
    },
  },
  {
    words: ['sync', 'status'],
    usage: 'sync status <dir>',
    summary: 'the team, each other copy and the last change applied from it, conflicts waiting and change-sets refused',
    options: passphraseFileOption,
    arity: 1,
    run: async (ctx) => {
      const sodium = await loadSodium('native')
      await withVault(ctx, (vault) => {
        const status = readSyncStatus({ vault, sodium })
        writeLine(ctx.io.stdout, `Team ${status.teamId}, this device ${status.deviceId}`)
        writeLine(ctx.io.stdout, `Folder: ${flattenField(status.folder)}`)
        for (const peer of status.peers)
          writeLine(
            ctx.io.stdout,
            [
              peer.removed ? 'removed' : 'peer',
              flattenField(peer.member),
              peer.role,
              `last change-set ${peer.lastSeq}`,
              peer.lastAppliedAt ?? 'never',
            ].join('\t'),
          )
        for (const peer of status.peers)
          if (peer.clockAheadDays !== null)
            writeLine(
              ctx.io.stdout,
              [
                'clock',
                flattenField(peer.member),
                sentence('sync.clockAhead', {
                  member: flattenField(peer.member),
                  days: peer.clockAheadDays,
                  years: Math.floor(peer.clockAheadDays / 365),
                }),
              ].join('\t'),
            )
        for (const id of status.conflicts) {
          writeLine(ctx.io.stdout, ['conflict', id, flattenField(conflictTitle(vault, id))].join('\t'))
        }
        if (status.waitingForFiles > 0) writeLine(ctx.io.stdout, waitingForFilesLine(status.waitingForFiles))
        for (const refusal of status.refused)
          writeLine(ctx.io.stdout, ['refused', flattenField(refusal.member ?? refusal.deviceId), flattenField(refusal.reason)].join('\t'))
      })
    },
  },
]
