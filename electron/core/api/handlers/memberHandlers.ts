// Main process (and the e2e harness): handlers of the vault's members. Who may call them is the dispatcher's check
// (channelCapabilities.ts); the vault enforces the same rules again (only a member-managing role, not the last admin).
import type { memberChannels } from '../../../../shared/ipc/channels/memberChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createMemberHandlers(ctx: HandlerContext): AreaHandlers<typeof memberChannels> {
  const { session } = ctx
  const vault = () => session.requireVault()
  return {
    'members:list': () => ({ members: vault().listMembers(), currentMemberId: session.member()?.id ?? null }),
    'members:add': ({ name, role, email }) => {
      const added = vault().addMember({ name, role, email: email ?? null })
      return { member: added.member, invitationCode: added.invitationCode, invitationExpiresAt: added.invitationExpiresAt }
    },
    'members:createInvitation': ({ id }) => {
      const renewed = vault().renewInvitation(id)
      const member = vault()
        .listMembers()
        .find((m) => m.id === id)!
      return { member, ...renewed }
    },
    'members:setRole': ({ id, role }) => ({ member: vault().setMemberRole(id, role) }),
    'members:suspend': ({ id }) => ({ member: vault().suspendMember(id) }),
    'members:reinstate': ({ id }) => ({ member: vault().reinstateMember(id) }),
    'members:remove': ({ id }) => ({ member: vault().removeMember(id) }),
    'members:join': async ({ dir, code, newPassphrase }) => {
      const { recoveryKey } = await session.join(dir, code, newPassphrase)
      return { recoveryKey, status: session.status() }
    },
  }
}
