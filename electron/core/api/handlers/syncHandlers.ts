// Main process (and the e2e harness): handlers of Security → Sync — a thin layer over core/sync/syncEngine.ts (what the
// CLI's `custodia sync …` calls too) and the optional link to the user's own Syncthing (core/sync/syncthingLink.ts),
// which is asked from here, never from the renderer. Who may call which is channelCapabilities.ts.
import { NOT_SET_UP_SYNC_STATUS, type SyncStatusView, type syncChannels } from '../../../../shared/ipc/channels/syncChannels'
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../../shared/errors'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import {
  conflictTitle,
  createSyncInvitation,
  initSyncTeam,
  readSyncStatus,
  readThisDevice,
  removeSyncMember,
  runSyncAndShred,
  type SyncContext,
  type SyncRefusal,
} from '../../sync/syncEngine'
import { deleteSyncthingLink, readSyncthingLink, readSyncthingState, saveSyncthingLink } from '../../sync/syncthingLink'
import { joinTeamInNewVault, readInvitation } from '../../sync/joinTeam'
import crypto from 'node:crypto'
import type { HandlerContext } from '../context'
import type { AreaHandlers } from '../dispatch'

/** Far more than any invitation (a team key, a roster): a bigger file is not one. */
const MAX_INVITATION_FILE = 256 * 1024

/** The engine words a refusal for the CLI ("Change-set 4 was written after…"); the page says "changes". */
function plainRefusal(refusal: SyncRefusal): { from: string; reason: string } {
  const reason = refusal.reason
    .replace(/^Change-set (\d+) /, 'Batch of changes no. $1 ')
    .replace(/previous change-set/g, 'previous changes')
    .replace(/a change-set/g, 'changes')
    .replace(/Custodia change-set/g, 'Custodia file of changes')
  return { from: refusal.member ?? 'an unknown copy', reason }
}

/** A file name from a person's name: letters, digits and dashes only, so the save dialog proposes something tidy. */
function invitationFileName(member: string): string {
  const slug = member
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `custodia-invitation${slug ? `-${slug.toLowerCase()}` : ''}.invitation`
}

export function createSyncHandlers(ctx: HandlerContext): AreaHandlers<typeof syncChannels> {
  const { session, platform } = ctx
  const sync = (): SyncContext => ({ vault: session.requireVault(), sodium: ctx.sodium })
  /**
   * The invitation file chosen at sync:openInvitation, until sync:join uses it. Only the file's bytes (sealed under
   * the code, which is not kept here): nothing in it opens without the code the user types again.
   */
  let chosenInvitation: { token: string; bytes: Buffer } | null = null

  const status = (): SyncStatusView => {
    const sc = sync()
    const link = readSyncthingLink(sc.vault)
    const thisDevice = readThisDevice(sc)
    if (thisDevice === null) return { ...NOT_SET_UP_SYNC_STATUS, syncthingAddress: link?.address ?? null }
    const s = readSyncStatus(sc)
    return {
      setUp: true,
      folder: s.folder,
      thisDevice,
      devices: s.peers.map((p) => ({
        deviceId: p.deviceId,
        member: p.member,
        role: p.role,
        changesApplied: p.lastSeq,
        lastAppliedAt: p.lastAppliedAt,
        clockAheadDays: p.clockAheadDays,
        removed: p.removed,
      })),
      conflicts: s.conflicts.map((id) => ({
        id,
        title: conflictTitle(sc.vault, id),
      })),
      refused: s.refused.map(plainRefusal),
      waitingForFiles: s.waitingForFiles,
      syncthingAddress: link?.address ?? null,
    }
  }

  return {
    'sync:getStatus': () => status(),
    'sync:createTeam': ({ folder }) => {
      initSyncTeam(sync(), folder)
      return status()
    },
    'sync:createInvitation': async ({ member, role }) => {
      const sc = sync()
      // Checked before the dialog, so a refusal (no team, not an admin) is not preceded by a pointless "save as".
      if (readThisDevice(sc) === null) throw new CustodiaError('NOT_FOUND', 'Set up sync on this vault first.')
      const name = invitationFileName(member)
      const dest = platform.chooseBundleSaveLocation
        ? await platform.chooseBundleSaveLocation(name, 'invitation')
        : await platform.chooseSaveLocation(name)
      if (dest === null) return { saved: false as const }
      // The roster changes before the file is written: a folder that cannot take the file is refused first, so a
      // failed save rarely leaves a copy in the team that nobody can join with.
      try {
        fs.accessSync(path.dirname(dest), fs.constants.W_OK)
      } catch {
        throw new CustodiaError('VALIDATION', 'The invitation cannot be saved in that folder: choose another one.')
      }
      const invitation = createSyncInvitation(sync(), { member, role })
      // Owner-only (0600): the file holds the team key, sealed under the code the admin gives by another channel.
      writeUserFileSync(dest, invitation.file)
      return { saved: true as const, path: dest, code: invitation.code, status: status() }
    },
    // The whole run, attachments included (they are read and written asynchronously).
    'sync:run': async () => {
      const result = await runSyncAndShred(sync())
      return {
        written: result.written,
        applied: result.applied,
        waiting: result.waiting,
        conflicts: result.conflicts,
        refused: result.refused.map(plainRefusal),
        status: status(),
      }
    },
    'sync:removeDevice': ({ member }) => {
      removeSyncMember(sync(), member)
      return status()
    },
    'sync:setSyncthing': ({ address, apiKey }) => {
      saveSyncthingLink(session.requireVault(), { address, apiKey })
      return status()
    },
    'sync:deleteSyncthing': () => {
      deleteSyncthingLink(session.requireVault())
      return status()
    },
    'sync:openInvitation': async ({ code }) => {
      const [file] = await platform.chooseFiles('invitation')
      if (file === undefined) return { opened: false as const }
      let bytes: Buffer
      try {
        if (fs.statSync(file).size > MAX_INVITATION_FILE) throw new Error('too large')
        bytes = fs.readFileSync(file)
      } catch {
        throw new CustodiaError('VALIDATION', 'This file is not a Custodia sync invitation.')
      }
      const summary = readInvitation(ctx.sodium, bytes, code)
      chosenInvitation = { token: crypto.randomBytes(16).toString('hex'), bytes }
      return { opened: true as const, token: chosenInvitation.token, ...summary }
    },
    'sync:join': async ({ token, code, dir, folder, passphrase }) => {
      if (chosenInvitation === null || chosenInvitation.token !== token)
        throw new CustodiaError('NOT_FOUND', 'Choose the invitation file again.')
      const { recoveryKey, run } = await joinTeamInNewVault(session, ctx.sodium, {
        dir,
        folder,
        invitationFile: chosenInvitation.bytes,
        code,
        passphrase,
      })
      chosenInvitation = null
      return { recoveryKey, status: session.status(), applied: run.applied }
    },
    'sync:getSyncthingState': async () => {
      const sc = sync()
      const link = readSyncthingLink(sc.vault)
      if (link === null) throw new CustodiaError('NOT_FOUND', "Give the address and API key of this computer's Syncthing first.")
      const folder = readThisDevice(sc) === null ? null : readSyncStatus(sc).folder
      return readSyncthingState(link, folder)
    },
  }
}
