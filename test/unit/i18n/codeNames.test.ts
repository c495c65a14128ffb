// Unit (Node): role and dossier-status names come from the message catalog, so the renderer (t()) and core, the CLI
// and printed lists (ROLE_LABELS, STATUS_LABELS) say the same word, and a translation reaches all of them.
import { afterEach, describe, expect, it } from 'vitest'
import en from '../../../shared/i18n/en.json'
import { setSentenceLanguage } from '../../../shared/i18n/sentence'
import { CURRENT_STATUSES } from '../../../shared/dossiers/dossier'
import { STATUS_LABELS, STATUS_NAME_IDS } from '../../../shared/dossiers/labels'
import { ROLE_LABELS, ROLE_NAME_IDS, ROLES, describeRefusal } from '../../../shared/members/roles'

afterEach(() => setSentenceLanguage('en', en))

describe('names of codes', () => {
  it('every role and every dossier status has its name in the catalog, and the shared tables read it there', () => {
    expect(ROLES.map((r) => ROLE_LABELS[r])).toEqual(ROLES.map((r) => en[ROLE_NAME_IDS[r]]))
    expect(CURRENT_STATUSES.map((s) => STATUS_LABELS[s])).toEqual(CURRENT_STATUSES.map((s) => en[STATUS_NAME_IDS[s]]))
    expect(ROLE_LABELS['legal-adviser']).toBe('Legal adviser')
    expect(STATUS_LABELS.returned).toBe('Returned to family')
  })

  it('a translated catalog renames them everywhere the shared tables are read', () => {
    setSentenceLanguage('nb', { 'members.role.archivist': 'Arkivar', 'dossiers.status.detained': 'Fengslet' })
    expect(ROLE_LABELS.archivist).toBe('Arkivar')
    expect(STATUS_LABELS.detained).toBe('Fengslet')
    expect(describeRefusal('archivist', 'members.manage')).toContain('(Arkivar)')
    // A name not yet translated falls back to English rather than its id.
    expect(ROLE_LABELS.viewer).toBe('Viewer')
  })
})
