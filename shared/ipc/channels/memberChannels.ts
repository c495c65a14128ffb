// Shared: IPC channels of the vault's members — list, add (with a one-time invitation code), roles, suspension,
// removal — and joining with a code. Who may call which is electron/core/api/channelCapabilities.ts (docs/MEMBERS.md).
import { z } from 'zod'
import { MAX_MEMBER_EMAIL_CHARS, MAX_MEMBER_NAME_CHARS, MEMBER_STATUSES, ROLES } from '../../members/roles'
import { absolutePath, channel, empty, recordId } from './commonSchemas'
import { vaultStateSchema } from './vaultChannels'

const role = z.enum(ROLES)
const memberId = recordId
// Only the shape: the rule for names (and the passphrase policy for the new passphrase) is core's, in plain words.
const name = z
  .string()
  .min(1, 'a member needs a name')
  .max(MAX_MEMBER_NAME_CHARS * 2)

export const memberSchema = z.strictObject({
  id: memberId,
  name: z.string(),
  email: z.string().nullable(),
  role,
  status: z.enum(MEMBER_STATUSES),
  joined: z.boolean(),
  createdAt: z.string(),
  signingPublicKey: z.string().nullable(),
  invitationExpiresAt: z.string().nullable(),
})
export type MemberView = z.infer<typeof memberSchema>

const invitation = z.strictObject({ member: memberSchema, invitationCode: z.string(), invitationExpiresAt: z.string() })
const oneMember = z.strictObject({ member: memberSchema })

export const memberChannels = {
  'members:list': channel(empty, z.strictObject({ members: z.array(memberSchema), currentMemberId: z.string().nullable() })),
  /** The code is shown once: only its hash and a copy of the vault key wrapped under it are stored (7 days). */
  'members:add': channel(z.strictObject({ name, role, email: z.string().max(MAX_MEMBER_EMAIL_CHARS).optional() }), invitation),
  /** A new code for a member who has not joined yet; the old one stops working. */
  'members:createInvitation': channel(z.strictObject({ id: memberId }), invitation),
  'members:setRole': channel(z.strictObject({ id: memberId, role }), oneMember),
  'members:suspend': channel(z.strictObject({ id: memberId }), oneMember),
  'members:reinstate': channel(z.strictObject({ id: memberId }), oneMember),
  'members:remove': channel(z.strictObject({ id: memberId }), oneMember),
  /** First unlock of an invited member: sets their passphrase, returns their recovery key (shown once). */
  'members:join': channel(
    z.strictObject({ dir: absolutePath, code: z.string().min(1).max(200), newPassphrase: z.string().min(1).max(1024) }),
    z.strictObject({ recoveryKey: z.string(), status: vaultStateSchema }),
  ),
} as const
