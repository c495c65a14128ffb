// Main process (Node only): a new member's copy of a team's vault, made from a sync invitation — what `custodia sync
// join` and the app's "Join your team's vault" both do. Everything that can be refused (the code, the file, the sync
// folder, the new folder) is checked before the vault is created, and a copy that cannot join is removed again, so a
// failed join never leaves a vault behind that belongs to no team.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { Role } from '../../../shared/members/roles'
import { parseRecoveryKey } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { VaultSession } from '../session/vaultSession'
import { checkFolder, joinSyncTeam, runSyncAndShred, type SyncRunResult } from './syncEngine'
import { openInvitation } from './syncFormat'

/** What an invitation says about the copy it makes, shown before the new member chooses a passphrase. */
export interface InvitationSummary {
  readonly teamId: string
  readonly member: string
  readonly role: Role
}

/**
 * Opens an invitation file with its code and says whom it is for. VALIDATION for a mistyped code, a file that is not
 * an invitation, or a code that does not open it (engine's words).
 */
export function readInvitation(sodium: SodiumBackend, invitationFile: Uint8Array, codeText: string): InvitationSummary {
  let code: Buffer
  try {
    code = parseRecoveryKey(codeText)
  } catch (error) {
    throw new CustodiaError('VALIDATION', (error as Error).message.replace('recovery key', 'invitation code'))
  }
  try {
    const invitation = openInvitation(sodium, code, invitationFile)
    return { teamId: invitation.teamId, member: invitation.member, role: invitation.role }
  } finally {
    sodium.memzero(code)
  }
}

/** True when `dir` does not exist or is an empty folder: the only places a new vault may be created. */
function isFreeForNewVault(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0
  } catch {
    return true
  }
}

/**
 * Creates the new member's vault in `dir` with their own passphrase, joins it to the team through `folder`, and runs
 * a first sync. The session is left unlocked on the new vault. Returns the recovery key (shown once) and what the
 * first sync brought.
 */
export async function joinTeamInNewVault(
  session: VaultSession,
  sodium: SodiumBackend,
  request: { dir: string; folder: string; invitationFile: Uint8Array; code: string; passphrase: string },
): Promise<{ recoveryKey: string; invitation: InvitationSummary; run: SyncRunResult }> {
  const invitation = readInvitation(sodium, request.invitationFile, request.code)
  const folder = checkFolder(request.folder)
  const dir = path.resolve(request.dir)
  if (!isFreeForNewVault(dir)) throw new CustodiaError('CONFLICT', 'Choose an empty folder for your copy of the vault.')
  if (dir === folder || dir.startsWith(`${folder}${path.sep}`) || folder.startsWith(`${dir}${path.sep}`)) {
    throw new CustodiaError(
      'VALIDATION',
      'Keep your copy of the vault outside the sync folder: the sync folder carries only sealed changes.',
    )
  }
  const existedBefore = fs.existsSync(dir)
  const { recoveryKey } = await session.create(dir, request.passphrase, { adminName: invitation.member })
  try {
    joinSyncTeam({ vault: session.requireVault(), sodium }, request.invitationFile, request.code, folder)
  } catch (error) {
    // Nothing of the user's is in it yet: a copy that belongs to no team would only confuse.
    session.lock('user')
    if (existedBefore) for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true })
    else fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const run = await runSyncAndShred({ vault: session.requireVault(), sodium })
  return { recoveryKey, invitation, run }
}
