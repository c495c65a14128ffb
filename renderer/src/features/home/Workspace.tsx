// Renderer: the unlocked workspace frame — header with the vault's name, the sections (Library, Search, …, Vocabularies, Organisation, Security) and the lock
// button (Ctrl+L); Ctrl+K opens the search palette from anywhere in the workspace. The header names the member who is
// signed in; sections their role cannot use are not shown, and their name opens what the role may do and why not.
import { useEffect, useRef, useState } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import type { SavedSearch } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ErrorMessage } from '../../components/ErrorMessage'
import { usePageTitle, vaultDisplayName } from '../../hooks/usePageTitle'
import { LibraryView } from '../library/LibraryView'
import { SearchPalette } from '../library/SearchPalette'
import { SearchView } from '../library/SearchView'
import { SecurityPanel } from './SecurityPanel'
import { MembersPanel } from './MembersPanel'
import { SyncPanel } from './SyncPanel'
import { OrganisationPanel } from './OrganisationPanel'
import { OrganisationPrompt } from './OrganisationPrompt'
import { LettersPanel } from '../letters/LettersPanel'
import { DossiersPanel } from '../dossiers/DossiersPanel'
import { ExchangePanel } from '../exchange/ExchangePanel'
import { LegalBasisEditor } from '../annotations/LegalBasisEditor'
import { roleCan, type Capability, type Role } from '../../../../shared/members/roles'
import { ActivityPanel } from './ActivityPanel'
import { RoleDialog } from './RoleDialog'
import { RoleProvider } from '../../hooks/useRole'
import { t } from '../../i18n/intl'
import { roleName } from '../../i18n/codeNames'

type Section = 'library' | 'search' | 'letters' | 'dossiers' | 'exchange' | 'vocabularies' | 'organisation' | 'security'
/** `needs`: a section shown only to a role with one of these (the dispatcher refuses the rest anyway). */
const SECTIONS: { id: Section; label: string; needs?: readonly Capability[] }[] = [
  { id: 'library', label: t('home.workspace.library') },
  { id: 'search', label: t('home.workspace.search') },
  { id: 'letters', label: t('home.workspace.letters') },
  { id: 'dossiers', label: t('home.workspace.dossiers') },
  { id: 'exchange', label: t('home.workspace.exchange'), needs: ['bundles.exchange', 'contacts.manage'] },
  { id: 'vocabularies', label: t('home.workspace.vocabularies'), needs: ['vocabularies.manage'] },
  { id: 'organisation', label: t('home.workspace.organisation') },
  { id: 'security', label: t('home.workspace.security') },
]

/** The sections a role sees; without a role (a vault from before members) all of them. */
export function visibleSections(role: Role | null): typeof SECTIONS {
  return SECTIONS.filter((s) => role === null || !s.needs || s.needs.some((c) => roleCan(role, c)))
}

type SecurityTab = 'settings' | 'members' | 'sync' | 'activity'
const SECURITY_TABS: { id: SecurityTab; label: string }[] = [
  { id: 'settings', label: t('home.workspace.settings') },
  { id: 'members', label: t('home.workspace.members') },
  { id: 'sync', label: t('home.workspace.sync') },
  { id: 'activity', label: t('home.workspace.activity') },
]

export function Workspace({ status, onStatus }: { status: VaultState; onStatus: (s: VaultState) => void }) {
  const api = useApi()
  const [error, setError] = useState<string | null>(null)
  const [section, setSection] = useState<Section>('library')
  const [securityTab, setSecurityTab] = useState<SecurityTab>('settings')
  const [roleDialogOpen, setRoleDialogOpen] = useState(false)
  const member = status.member ?? null
  const sections = visibleSections(member?.role ?? null)
  // The first-run offer to fill in the organisation profile is for those who may save it.
  const mayEditProfile = member === null || roleCan(member.role, 'settings.manage')
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [paletteOpen, setPaletteOpen] = useState(false)
  const [savedSearch, setSavedSearch] = useState<SavedSearch | null>(null)
  const [searchKey, setSearchKey] = useState(0)
  const [dossierToOpen, setDossierToOpen] = useState<{ id: string; seq: number } | null>(null)
  const [schemaToOpen, setSchemaToOpen] = useState<number | null>(null)
  // The first-run offer to fill in the organisation profile, put away with "Not now" until the next unlock.
  const [organisationPromptDismissed, setOrganisationPromptDismissed] = useState(false)
  // Set by the Library while it is shown: resolves false when the user keeps editing a document that is not saved.
  const libraryLeaveGuard = useRef<(() => Promise<boolean>) | null>(null)
  const mayLeaveDocument = async () => !libraryLeaveGuard.current || (await libraryLeaveGuard.current())
  const [organisationName, setOrganisationName] = useState<string | null>(null)
  const vaultName = vaultDisplayName(status.dir, organisationName)
  usePageTitle(SECTIONS.find((s) => s.id === section)?.label ?? t('home.workspace.custodia'), vaultName)

  // The organisation's name names the vault in the top bar; read again after Settings → Organisation, where it changes.
  useEffect(() => {
    if (section === 'organisation') return
    let live = true
    api['organisation:getProfile']({}).then(
      (stored) => live && setOrganisationName(stored.profile?.name ?? null),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api, section])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey) return
      const key = e.key.toLowerCase()
      if (key === 'l') {
        e.preventDefault()
        void lock()
      } else if (key === 'k') {
        e.preventDefault()
        setPaletteOpen(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const lock = async () => {
    try {
      onStatus(await api['vault:lock']({}))
    } catch (err) {
      setError(describeError(err))
    }
  }

  // Search hits carry only an id: one that is a dossier opens in Dossiers (the check never reveals family contacts).
  const openSearchHit = ({ id, kind }: { id: string; kind: string }) => {
    if (kind === 'annotation') {
      // An annotation opens the document or dossier it is attached to.
      api['annotations:locate']({ annotationRecordId: id }).then(
        (target) => openSearchHit({ id: target.recordId, kind: target.kind }),
        (err: unknown) => {
          setPaletteOpen(false)
          setError(describeError(err))
        },
      )
    } else if (kind === 'dossier') {
      setPaletteOpen(false)
      setDossierToOpen({ id, seq: Date.now() })
      setSection('dossiers')
    } else {
      openDocument(id)
    }
  }

  const openDocument = (id: string) => {
    setPaletteOpen(false)
    void (async () => {
      if (section === 'library' && id !== selectedId && !(await mayLeaveDocument())) return
      setSelectedId(id)
      setSection('library')
    })()
  }

  return (
    <RoleProvider role={member?.role ?? null}>
      <div className="workspace">
        <header className="topbar">
          <span className="vault-name" data-testid="vault-name" title={t('home.workspace.theVaultThatIs', { vaultName })}>
            <span className="lock-dot" aria-hidden="true" />
            <span className="vault-name-text">{vaultName}</span>
          </span>
          <nav className="sections" aria-label={t('home.workspace.sections')}>
            {sections.map((s) => (
              <a
                key={s.id}
                href={`#${s.id}`}
                aria-current={section === s.id ? 'page' : undefined}
                onClick={async (e) => {
                  e.preventDefault()
                  if (section === 'library' && s.id !== 'library' && !(await mayLeaveDocument())) return
                  if (s.id === 'search') {
                    setSavedSearch(null)
                    setSearchKey((k) => k + 1)
                  }
                  // The Dossiers tab itself opens the list, not a dossier or editor another section asked for earlier.
                  if (s.id === 'dossiers') {
                    setSchemaToOpen(null)
                    setDossierToOpen(null)
                  }
                  setSection(s.id)
                }}
              >
                {s.label}
              </a>
            ))}
          </nav>
          <span className="topbar-gap" />
          {member && (
            <button
              type="button"
              className="member-badge small"
              data-testid="signed-in"
              title={t('home.workspace.whoIsSignedIn')}
              onClick={() => setRoleDialogOpen(true)}
            >
              <span className="member-badge-name">{member.name}</span>
              <span className="member-badge-role">{roleName(member.role)}</span>
            </button>
          )}
          <button
            type="button"
            className="searchbutton small"
            onClick={() => setPaletteOpen(true)}
            title={t('home.workspace.searchCtrlK')}
            aria-keyshortcuts="Control+K"
          >
            {t('home.workspace.search2')} <kbd>{t('home.workspace.ctrlK')}</kbd>
          </button>
          <Button size="sm" onClick={() => void lock()} title={t('home.workspace.lockTheVaultCtrl')} aria-keyshortcuts="Control+L">
            {t('home.workspace.lock')}
          </Button>
        </header>
        {/* One grid row for what is said above the section (an error, the first-run offer), present or not. */}
        <div className="workspace-notes">
          <ErrorMessage message={error} />
          {section === 'library' && !organisationPromptDismissed && mayEditProfile && (
            <OrganisationPrompt
              onOpen={() =>
                void (async () => {
                  if (await mayLeaveDocument()) setSection('organisation')
                })()
              }
              onDismiss={() => setOrganisationPromptDismissed(true)}
            />
          )}
        </div>
        {section === 'library' && (
          <LibraryView
            selectedId={selectedId}
            onSelect={setSelectedId}
            leaveGuardRef={libraryLeaveGuard}
            onOpenSavedSearch={(s) => {
              setSavedSearch(s)
              setSearchKey((k) => k + 1)
              setSection('search')
            }}
          />
        )}
        {section === 'search' && (
          <main className="content wide" id="search">
            <SearchView key={searchKey} initial={savedSearch} onOpen={openSearchHit} />
          </main>
        )}
        {section === 'letters' && (
          <main className="content wide" id="letters">
            <LettersPanel onOpenDocument={openDocument} />
          </main>
        )}
        {section === 'dossiers' && (
          <main className="content wide" id="dossiers">
            <DossiersPanel openId={dossierToOpen} openSchema={schemaToOpen} />
          </main>
        )}
        {section === 'exchange' && (
          <main className="content wide" id="exchange">
            <h1>{t('home.workspace.exchange')}</h1>
            <ExchangePanel />
          </main>
        )}
        {section === 'vocabularies' && (
          <main className="content" id="vocabularies">
            <h1>{t('home.workspace.vocabularies')}</h1>
            <p className="vocab-links">
              {t('home.workspace.theCustomFieldsOf')}{' '}
              <button
                type="button"
                onClick={() => {
                  setSchemaToOpen(Date.now())
                  setSection('dossiers')
                }}
              >
                {t('home.workspace.openDossierFieldsAmp')}
              </button>
            </p>
            <LegalBasisEditor />
          </main>
        )}
        {section === 'organisation' && (
          <main className="content" id="organisation">
            <OrganisationPanel />
          </main>
        )}
        {section === 'security' && (
          <main className="content wide" id="security">
            <div className="segmented security-tabs" role="group" aria-label={t('home.workspace.security')}>
              {SECURITY_TABS.map((t) => (
                <button key={t.id} type="button" aria-pressed={securityTab === t.id} onClick={() => setSecurityTab(t.id)}>
                  {t.label}
                </button>
              ))}
            </div>
            {securityTab === 'settings' && <SecurityPanel status={status} onStatus={onStatus} />}
            {securityTab !== 'settings' && <h1 className="sr-only">{t('home.workspace.security')}</h1>}
            {securityTab === 'members' && <MembersPanel myRole={member?.role ?? null} />}
            {securityTab === 'sync' && <SyncPanel myRole={member?.role ?? null} />}
            {securityTab === 'activity' && <ActivityPanel />}
          </main>
        )}
        {roleDialogOpen && member && <RoleDialog member={member} onClose={() => setRoleDialogOpen(false)} />}
        {paletteOpen && <SearchPalette onOpen={openSearchHit} onClose={() => setPaletteOpen(false)} />}
      </div>
    </RoleProvider>
  )
}
