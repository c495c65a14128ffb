// CLI (Node): `custodia members …` — list, add (prints the one-time invitation code), invite again, change a role,
// suspend, reinstate, remove, and join with a code. A thin layer over the vault's members (docs/MEMBERS.md); the
// vault itself refuses what the unlocking member's role may not do.
import { CustodiaError } from '../../shared/errors'
import { isRole, memberNameKey, ROLE_LABELS, ROLES } from '../../shared/members/roles'
import type { MemberInfo, Vault } from '../core/vault/vault'
import { createCliSession, newPassphraseFileOption, readNewPassphrase, passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { flattenField, UsageError, writeLine } from './io'

const ROLE_LIST = ROLES.join(', ')

/** The member called `name` (case and spacing do not matter), or NOT_FOUND saying how to list them. */
function findMember(vault: Vault, name: string): MemberInfo {
  const key = memberNameKey(name)
  const matches = vault.listMembers().filter((m) => memberNameKey(m.name) === key)
  const found = matches.find((m) => m.status !== 'removed') ?? matches[0]
  if (!found) throw new CustodiaError('NOT_FOUND', `There is no member called “${name}” in this vault. \`custodia members ls\` lists them.`)
  return found
}

function readRole(value: unknown): (typeof ROLES)[number] {
  if (!isRole(value)) throw new UsageError(`the role must be one of ${ROLE_LIST}`)
  return value
}

function describeMember(m: MemberInfo): string {
  const state =
    m.status !== 'active' ? m.status : m.joined ? 'joined' : `invited (code valid until ${m.invitationExpiresAt?.slice(0, 16) ?? '—'})`
  return [flattenField(m.name), m.role, state, flattenField(m.email ?? '')].join('\t')
}

/** One command that finds a member by name and changes them. */
function memberChange(
  verb: 'suspend' | 'reinstate' | 'remove',
  summary: string,
  change: (vault: Vault, id: string) => MemberInfo,
): Command {
  return {
    words: ['members', verb],
    usage: `members ${verb} <dir> <name>`,
    summary,
    options: passphraseFileOption,
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const changed = change(vault, findMember(vault, ctx.args[1]!).id)
        writeLine(ctx.io.stdout, describeMember(changed))
      }),
  }
}

export const memberCommands: Command[] = [
  {
    words: ['members', 'ls'],
    usage: 'members ls <dir>',
    summary: 'list the members, one per line: name, role, status (joined, invited, suspended, removed), e-mail',
    options: passphraseFileOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        for (const member of vault.listMembers()) writeLine(ctx.io.stdout, describeMember(member))
      }),
  },
  {
    words: ['members', 'add'],
    usage: `members add <dir> <name> --role ROLE [--email ADDRESS]`,
    summary: 'add a member (admins only) and print their one-time invitation code, valid for 7 days',
    options: {
      ...passphraseFileOption,
      role: { type: 'string', value: 'ROLE', help: `the new member's role: ${ROLE_LIST}` },
      email: { type: 'string', value: 'ADDRESS', help: "the new member's e-mail address (optional; kept encrypted)" },
    },
    arity: 2,
    run: async (ctx) => {
      const role = readRole(ctx.options['role'])
      const email = typeof ctx.options['email'] === 'string' ? ctx.options['email'] : null
      await withVault(ctx, (vault) => {
        const added = vault.addMember({ name: ctx.args[1]!, role, email })
        writeLine(ctx.io.stdout, `Added ${flattenField(added.member.name)} as ${ROLE_LABELS[role]}.`)
        writeLine(ctx.io.stdout, `Invitation code: ${added.invitationCode}`)
        writeLine(
          ctx.io.stderr,
          `Give the code to ${flattenField(added.member.name)} in person or by another channel than the vault files. It is shown only once and works until ${added.invitationExpiresAt.slice(0, 16).replace('T', ' ')} UTC: custodia members join <dir> --code CODE`,
        )
      })
    },
  },
  {
    words: ['members', 'invite'],
    usage: 'members invite <dir> <name>',
    summary: 'a new invitation code for a member who has not joined yet (the old code stops working)',
    options: passphraseFileOption,
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const renewed = vault.renewInvitation(findMember(vault, ctx.args[1]!).id)
        writeLine(ctx.io.stdout, `Invitation code: ${renewed.invitationCode}`)
        writeLine(ctx.io.stderr, `It is shown only once and works until ${renewed.invitationExpiresAt.slice(0, 16).replace('T', ' ')} UTC.`)
      }),
  },
  {
    words: ['members', 'role'],
    usage: 'members role <dir> <name> <role>',
    summary: `change a member's role (admins only; the last admin cannot give it up): ${ROLE_LIST}`,
    options: passphraseFileOption,
    arity: 3,
    run: async (ctx) => {
      const role = readRole(ctx.args[2])
      await withVault(ctx, (vault) => {
        writeLine(ctx.io.stdout, describeMember(vault.setMemberRole(findMember(vault, ctx.args[1]!).id, role)))
      })
    },
  },
  memberChange('suspend', 'suspend a member: their passphrase is refused until they are reinstated (admins only)', (v, id) =>
    v.suspendMember(id),
  ),
  memberChange('reinstate', 'let a suspended member unlock again (admins only)', (v, id) => v.reinstateMember(id)),
  memberChange('remove', 'remove a member: their keyslots are deleted, their name stays on their work (admins only)', (v, id) =>
    v.removeMember(id),
  ),
  {
    words: ['members', 'join'],
    usage: 'members join <dir> --code CODE [--new-passphrase-file F]',
    summary: 'join a vault with the invitation code an admin gave you, setting your own passphrase; prints your recovery key once',
    options: {
      code: { type: 'string', value: 'CODE', help: 'the invitation code (14 groups of 4 letters and digits)' },
      ...newPassphraseFileOption,
    },
    arity: 1,
    run: async (ctx) => {
      const code = ctx.options['code']
      if (typeof code !== 'string' || !code.trim()) throw new UsageError('--code is required: the invitation code an admin gave you')
      const passphrase = await readNewPassphrase(ctx, 'Your new passphrase: ')
      const session = await createCliSession()
      const { recoveryKey } = await session.join(ctx.args[0]!, code, passphrase)
      const member = session.member()
      session.lock('user')
      writeLine(ctx.io.stdout, `Joined as ${flattenField(member?.name ?? '')} (${member ? ROLE_LABELS[member.role] : ''}).`)
      writeLine(ctx.io.stdout, `Recovery key: ${recoveryKey}`)
      writeLine(ctx.io.stderr, 'Write the recovery key on paper and keep it away from this computer. It is not shown again.')
    },
  },
]
