// Unit (Node): roles are enforced by the dispatcher before any handler runs. Every IPC channel (its sample request) as
// every role: allowed exactly where the capability table says so, otherwise FORBIDDEN with the role's own sentence and
// the handler never called. And docs/MEMBERS.md holds the matrix generated from the same tables.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createDispatcher, type Caller, type Handlers } from '../../../electron/core/api/dispatch'
import { CHANNEL_CAPABILITIES, requiredCapability } from '../../../electron/core/api/channelCapabilities'
import { renderRoleMatrix, replaceRoleMatrix } from '../../../electron/core/api/membersDoc'
import { CHANNEL_NAMES, type ChannelName } from '../../../shared/ipc/contract'
import { describeRefusal, ROLE_CAPABILITIES, ROLES, type Capability, type Role } from '../../../shared/members/roles'
import { SAMPLE_REQUESTS } from '../../helpers/sampleRequests'

function recordingHandlers(): { handlers: Handlers; calls: ChannelName[] } {
  const calls: ChannelName[] = []
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      () => {
        calls.push(name)
        return {}
      },
    ]),
  ) as unknown as Handlers
  return { handlers, calls }
}

/** What the matrix in the issue says, written out by hand (independent of the table it checks). */
const EXPECTED_SAMPLES: Record<Role, { allowed: ChannelName[]; refused: ChannelName[] }> = {
  admin: { allowed: ['members:add', 'vault:setAutoLock', 'dossiers:updateSchema', 'bundles:export', 'library:update'], refused: [] },
  secretariat: {
    allowed: ['library:update', 'letters:export', 'templates:save', 'dossiers:list', 'dossiers:printList'],
    refused: ['dossiers:get', 'dossiers:update', 'bundles:export', 'members:add', 'annotations:create'],
  },
  'legal-adviser': {
    allowed: ['dossiers:get', 'dossiers:update', 'annotations:create', 'library:get'],
    refused: ['library:update', 'bundles:export', 'members:add', 'dossiers:updateSchema'],
  },
  archivist: {
    allowed: ['bundles:export', 'bundles:import', 'contacts:add', 'library:get', 'dossiers:get'],
    refused: ['dossiers:update', 'library:update', 'annotations:create', 'letters:export'],
  },
  viewer: {
    allowed: ['library:get', 'dossiers:get', 'annotations:list', 'audit:verify'],
    refused: ['library:update', 'dossiers:update', 'bundles:export', 'contacts:add', 'letters:saveDraft'],
  },
}

describe('the role check in the dispatcher', () => {
  for (const role of ROLES) {
    it(`drives every channel as ${role} and allows exactly what the table allows`, async () => {
      const { handlers, calls } = recordingHandlers()
      const dispatch = createDispatcher(handlers, { caller: (): Caller => ({ role }) })
      const allowed: ChannelName[] = []
      for (const channel of CHANNEL_NAMES) {
        const request = SAMPLE_REQUESTS[channel]
        const needed = requiredCapability(channel, request)
        const before = calls.length
        const result = await dispatch(channel, request)
        if (needed === null || ROLE_CAPABILITIES[role].has(needed)) {
          expect(calls.length, channel).toBe(before + 1)
          allowed.push(channel)
        } else {
          expect(result, channel).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: describeRefusal(role, needed) } })
          expect(calls.length, `${channel} must not reach its handler`).toBe(before)
        }
      }
      for (const channel of EXPECTED_SAMPLES[role].allowed) expect(allowed, channel).toContain(channel)
      for (const channel of EXPECTED_SAMPLES[role].refused) expect(allowed, channel).not.toContain(channel)
    })
  }

  it('says what was refused in the words of the issue', async () => {
    const dispatch = createDispatcher(recordingHandlers().handlers, { caller: () => ({ role: 'archivist' }) })
    expect(await dispatch('dossiers:update', SAMPLE_REQUESTS['dossiers:update'])).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your role (Archivist) cannot edit dossiers. Ask an admin.' },
    })
  })

  it('revealing sensitive dossier fields needs its own capability', async () => {
    const dispatch = createDispatcher(recordingHandlers().handlers, { caller: () => ({ role: 'viewer' }) })
    const id = '0123456789abcdef0123456789abcdef'
    expect(await dispatch('dossiers:get', { id })).not.toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(await dispatch('dossiers:get', { id, revealFamily: true })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your role (Viewer) cannot see sensitive dossier fields. Ask an admin.' },
    })
  })

  it('while locked the handlers answer as before; a vault with no member to name refuses every capability', async () => {
    const { handlers, calls } = recordingHandlers()
    const locked = createDispatcher(handlers, { caller: () => 'locked' })
    expect(await locked('library:update', SAMPLE_REQUESTS['library:update'])).not.toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(calls).toEqual(['library:update'])
    const unknown = createDispatcher(handlers, { caller: () => 'unknown' })
    expect(await unknown('library:get', SAMPLE_REQUESTS['library:get'])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await unknown('vault:lock', {})).not.toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(calls).toEqual(['library:update', 'vault:lock'])
  })
})

describe('the capability table', () => {
  it('covers every channel with a known capability', () => {
    expect(Object.keys(CHANNEL_CAPABILITIES).sort()).toEqual([...CHANNEL_NAMES].sort())
  })

  it('admins hold every capability; no one else manages members or settings', () => {
    for (const role of ROLES) {
      const all: Capability[] = ['members.manage', 'settings.manage', 'integrity.accept']
      for (const capability of all) expect(ROLE_CAPABILITIES[role].has(capability), `${role} ${capability}`).toBe(role === 'admin')
    }
  })

  it('docs/MEMBERS.md holds the matrix generated from the tables (run `npm run docs:members` after a change)', () => {
    const doc = readFileSync(new URL('../../../docs/MEMBERS.md', import.meta.url), 'utf8')
    expect(doc).toContain(renderRoleMatrix())
    expect(replaceRoleMatrix(doc)).toBe(doc)
  })

  it('the doc check itself fails when the doc differs', () => {
    const doc = readFileSync(new URL('../../../docs/MEMBERS.md', import.meta.url), 'utf8')
    const edited = doc.replace(
      '| Manage members (add, suspend, remove, change roles) (`members.manage`) | ✓ | — |',
      '| Manage members (add, suspend, remove, change roles) (`members.manage`) | ✓ | ✓ |',
    )
    expect(edited).not.toBe(doc)
    expect(edited).not.toContain(renderRoleMatrix())
  })
})
