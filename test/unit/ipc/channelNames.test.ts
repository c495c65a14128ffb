// Unit (Node): every IPC channel is named `<area>:<verb><Object>` with a verb from one set, so a reader can guess a
// channel's name (list/get/create/update/delete for records; a few domain verbs where those would mislead).
import { describe, expect, it } from 'vitest'
import { CHANNEL_NAMES, events } from '../../../shared/ipc/contract'

const AREAS = [
  'app',
  'vault',
  'audit',
  'library',
  'search',
  'dossiers',
  'letters',
  'templates',
  'exchange',
  'contacts',
  'bundles',
  'annotations',
  'organisation',
  'backups',
  'members',
  'sync',
]

/**
 * The verbs. CRUD first; `set` for a single setting or flag; the rest name actions that are not record writes.
 * `save` is kept for the channels that create or update in one call, listed below, and nowhere else.
 */
const VERBS = [
  'list',
  'get',
  'create',
  'update',
  'delete',
  'set',
  'add',
  'remove',
  'rename',
  'move',
  'copy',
  'duplicate',
  'merge',
  'restore',
  'diff',
  'check',
  'query',
  'locate',
  'reply',
  'import',
  'export',
  'print',
  'preview',
  'plan',
  'open',
  'close',
  'cancel',
  'choose',
  'mark',
  'status',
  'unlock',
  'lock',
  'change',
  'verify',
  'accept',
  'suspend',
  'reinstate',
  'join',
  'shred',
  'run',
]

const CREATE_OR_UPDATE = ['letters:saveDraft', 'templates:save']

const NAME = new RegExp(`^(${AREAS.join('|')}):(${VERBS.join('|')})([A-Z][A-Za-z0-9]*)?$`)
const isWellNamed = (name: string): boolean => NAME.test(name) || CREATE_OR_UPDATE.includes(name)

describe('IPC channel names', () => {
  it('follow <area>:<verb><Object> with a verb from the one set', () => {
    expect(CHANNEL_NAMES.filter((name) => !isWellNamed(name))).toEqual([])
  })

  it('would refuse the old mixed forms (the check itself can fail)', () => {
    for (const old of ['library:save', 'dossiers:schemaGet', 'letters:template', 'vault:recent', 'app:info', 'annotations:edit']) {
      expect(isWellNamed(old), old).toBe(false)
      expect(CHANNEL_NAMES).not.toContain(old)
    }
  })

  it('keeps app and audit channels out of the vault table', async () => {
    const { vaultChannels } = await import('../../../shared/ipc/channels/vaultChannels')
    expect(Object.keys(vaultChannels).filter((name) => !name.startsWith('vault:'))).toEqual([])
  })

  it('names events `<area>:<pastTense or noun>` within the same areas', () => {
    expect(Object.keys(events).filter((name) => !AREAS.includes(name.split(':')[0]!))).toEqual([])
  })
})
