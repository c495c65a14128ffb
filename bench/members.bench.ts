// Benchmarks (Node): members (issue #17) — unlocking as one member of a vault with several, against raw Argon2id
// (the name hint picks their keyslot, so one derivation), and what the dispatcher's role check adds per call. The member
// timed is a legal adviser, so their unlock also opens their key pair, their key of dossiers' sensitive parts and, since a
// member was removed, the content key that wraps new item keys.
// Sizes through the environment for a short run: CUSTODIA_BENCH_MEMBERS (default 8), CUSTODIA_BENCH_KDF_MIB (256).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { checkRole, type Caller } from '../electron/core/api/dispatch'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { createVault, DEFAULT_KDF, joinVault, openVault } from '../electron/core/vault/vault'
import { CHANNEL_NAMES } from '../shared/ipc/contract'
import { ROLES } from '../shared/members/roles'
import { SAMPLE_REQUESTS } from '../test/helpers/sampleRequests'
import { median, timeMs, type Figure } from './measure'

export async function runMembersBench(opts: { dir: string }): Promise<Figure[]> {
  const sodium = await loadSodium('native')
  const members = Number(process.env['CUSTODIA_BENCH_MEMBERS'] ?? 8)
  const kdf = { opslimit: DEFAULT_KDF.opslimit, memlimit: Number(process.env['CUSTODIA_BENCH_KDF_MIB'] ?? 256) * 2 ** 20 }
  const passphraseOf = (i: number) => new TextEncoder().encode(`bench passphrase of member ${i}`)
  const dir = join(opts.dir, 'vault')
  const { vault } = await createVault(dir, passphraseOf(0), { sodium, kdf, adminName: 'Member 0' })
  const codes = Array.from(
    { length: members - 1 },
    (_, i) => vault.addMember({ name: `Member ${i + 1}`, role: i === members - 2 ? 'legal-adviser' : 'viewer' }).invitationCode,
  )
  const leaver = vault.addMember({ name: 'Leaver', role: 'viewer' })
  vault.lock()
  for (const [i, code] of codes.entries()) (await joinVault(dir, code, passphraseOf(i + 1), { sodium })).vault.lock()
  ;(await joinVault(dir, leaver.invitationCode, passphraseOf(members), { sodium })).vault.lock()
  // The admin's next unlock seals the legal adviser's pending key of the sensitive parts to their key pair; removing a
  // member starts content epoch 1 (CRYPTO.md §17), so the timed unlock opens a content key too.
  const admin = await openVault(dir, passphraseOf(0), { sodium, member: 'Member 0' })
  admin.removeMember(leaver.member.id)
  admin.lock()

  // The last member added: without the hint, the unlock would derive every slot before theirs.
  const last = members - 1
  const unlockTimes: number[] = []
  const rawTimes: number[] = []
  for (let i = 0; i < 3; i++) {
    unlockTimes.push(await timeMs(async () => (await openVault(dir, passphraseOf(last), { sodium, member: `Member ${last}` })).lock()))
    rawTimes.push(await timeMs(() => sodium.pwhash(32, passphraseOf(last), randomBytes(16), kdf.opslimit, kdf.memlimit)))
  }
  const unlock = median(unlockTimes)
  const raw = median(rawTimes)

  // The role check alone, over every channel's sample request and every role.
  const calls = CHANNEL_NAMES.flatMap((channel) => ROLES.map((role) => ({ channel, caller: { role } as Caller })))
  const rounds = 200
  let refused = 0
  const checkMs = await timeMs(() => {
    for (let r = 0; r < rounds; r++)
      for (const { channel, caller } of calls) if (checkRole(caller, channel, SAMPLE_REQUESTS[channel]) !== null) refused++
  })
  const perCall = checkMs / (rounds * calls.length)

  return [
    {
      name: `unlock as the last of ${members} members, a legal adviser (Argon2id ${kdf.memlimit / 2 ** 20} MiB, 3 passes)`,
      value: unlock,
      unit: 'ms',
    },
    { name: 'raw native Argon2id, same parameters', value: raw, unit: 'ms' },
    { name: 'member unlock / raw Argon2id', value: unlock / raw, unit: 'ratio', goal: '≤ 1.2' },
    {
      name: `dispatcher role check (${calls.length} channel × role pairs, ${refused / rounds} refused)`,
      value: perCall * 1000,
      unit: 'µs/call',
      goal: '≤ 50 (0.05 ms)',
    },
  ]
}
