// Shared: IPC channels of sync between offices (docs/SYNC.md) — where things stand, set sync up on a folder the sync
// engine shares, invite a new copy of the vault, sync now, remove a copy, and the optional view of the user's own
// Syncthing (its address and API key, which never comes back to the renderer once saved).
import { z } from 'zod'
import { ROLES } from '../../members/roles'
import { absolutePath, channel, empty } from './commonSchemas'
import { vaultStateSchema } from './vaultChannels'

const role = z.enum(ROLES)
/** The one-time code an admin gives with an invitation file (the same shape as a recovery key). */
const invitationCode = z.string().min(1, 'the invitation code is empty').max(200)

/** A change-set another copy wrote that this copy refused, with the reason in words. */
const refusalSchema = z.strictObject({ from: z.string(), reason: z.string() })

export const syncStatusSchema = z.strictObject({
  /** False until sync is set up (or joined) on this vault: everything else is then empty. */
  setUp: z.boolean(),
  folder: z.string().nullable(),
  /** Who this copy belongs to in the team (the member who set it up or was invited). */
  thisDevice: z.strictObject({ member: z.string(), role }).nullable(),
  /** The other copies: the last change applied from each, and when. */
  devices: z.array(
    z.strictObject({
      deviceId: z.string(),
      member: z.string(),
      role,
      changesApplied: z.number().int().min(0),
      lastAppliedAt: z.string().nullable(),
      /** Its last change-set was created this many days in this computer's future: its clock is wrong. */
      clockAheadDays: z.number().int().min(1).nullable(),
      removed: z.boolean(),
    }),
  ),
  /** Documents whose edits crossed, waiting for someone to choose. */
  conflicts: z.array(z.strictObject({ id: z.string(), title: z.string() })),
  refused: z.array(refusalSchema),
  /** Attached files from other copies still on their way (the changes that bring them wait for them). */
  waitingForFiles: z.number().int().min(0),
  /** The Syncthing address saved for this vault (the key is never sent back), or null. */
  syncthingAddress: z.string().nullable(),
})
export type SyncStatusView = z.infer<typeof syncStatusSchema>

/** The status of a vault not set up for sync (with or without a Syncthing address saved). */
export const NOT_SET_UP_SYNC_STATUS: SyncStatusView = {
  setUp: false,
  folder: null,
  thisDevice: null,
  devices: [],
  conflicts: [],
  refused: [],
  waitingForFiles: 0,
  syncthingAddress: null,
}

export const syncRunSchema = z.strictObject({
  written: z.number().int().min(0),
  applied: z.number().int().min(0),
  waiting: z.number().int().min(0),
  conflicts: z.number().int().min(0),
  refused: z.array(refusalSchema),
  status: syncStatusSchema,
})
export type SyncRunView = z.infer<typeof syncRunSchema>

export const syncthingStateSchema = z.strictObject({
  /** Null when everything answered; else what went wrong, in plain words (not running, wrong key, folder not shared). */
  problem: z.string().nullable(),
  running: z.boolean(),
  devicesConnected: z.number().int().min(0),
  devicesKnown: z.number().int().min(0),
  /** The Syncthing folder holding the sync folder, once found. */
  folder: z
    .strictObject({
      label: z.string(),
      /** Files (and deletions) this computer still has to receive; 0 = up to date. */
      filesToGo: z.number().int().min(0),
      state: z.string(),
    })
    .nullable(),
})
export type SyncthingStateView = z.infer<typeof syncthingStateSchema>

export const syncChannels = {
  'sync:getStatus': channel(empty, syncStatusSchema),
  /** Makes this vault the first copy of a team that syncs through `folder` (chosen with vault:chooseFolder 'sync'). */
  'sync:createTeam': channel(z.strictObject({ folder: absolutePath }), syncStatusSchema),
  /**
   * Asks where to save the invitation file (a save dialog in main), writes it (owner-only), and returns the one-time
   * code to give by another channel. `saved: false` when the dialog was cancelled: nothing changed.
   */
  'sync:createInvitation': channel(
    z.strictObject({ member: z.string().min(1, 'a name is needed').max(400), role }),
    z.union([
      z.strictObject({ saved: z.literal(false) }),
      z.strictObject({ saved: z.literal(true), path: z.string(), code: z.string(), status: syncStatusSchema }),
    ]),
  ),
  'sync:run': channel(empty, syncRunSchema),
  /** Removes every copy used by `member`: what they write from now on is refused by the team. */
  'sync:removeDevice': channel(z.strictObject({ member: z.string().min(1).max(400) }), syncStatusSchema),
  /** Saves the address (127.0.0.1, localhost or [::1] only) and API key of the user's own Syncthing, sealed in the vault. */
  'sync:setSyncthing': channel(
    z.strictObject({ address: z.string().min(1).max(200), apiKey: z.string().min(1, 'the API key is empty').max(200) }),
    syncStatusSchema,
  ),
  'sync:deleteSyncthing': channel(empty, syncStatusSchema),
  /**
   * Joining a team from the welcome screen, step 1: main asks for the invitation file (its own dialog: the renderer
   * never names a file to read) and opens it with `code`. `token` names the chosen file for sync:join.
   */
  'sync:openInvitation': channel(
    z.strictObject({ code: invitationCode }),
    z.union([
      z.strictObject({ opened: z.literal(false) }),
      z.strictObject({ opened: z.literal(true), token: z.string(), teamId: z.string(), member: z.string(), role }),
    ]),
  ),
  /**
   * Step 2: creates the new member's own copy of the vault in `dir` (an empty or new folder) with their passphrase,
   * joins it to the team through `folder`, and runs a first sync. The vault is then open; the recovery key is shown once.
   */
  'sync:join': channel(
    z.strictObject({
      token: z.string().min(1).max(100),
      code: invitationCode,
      dir: absolutePath,
      folder: absolutePath,
      passphrase: z.string().min(1, 'passphrase is empty').max(1024, 'passphrase is too long'),
    }),
    z.strictObject({ recoveryKey: z.string(), status: vaultStateSchema, applied: z.number().int().min(0) }),
  ),
  /** Asks the saved Syncthing (from main, never from the renderer) how it is doing with the sync folder. */
  'sync:getSyncthingState': channel(empty, syncthingStateSchema),
} as const
