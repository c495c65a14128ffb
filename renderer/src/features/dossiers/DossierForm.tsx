// Renderer: the dossier editor — one form in clear sections (person, status history, detention, charges,
// vulnerability, sources, consent, family, timeline, custom fields). Explicit save (button, Enter, Ctrl+S) with a
// visible state; family contacts of a stored dossier are neither fetched nor shown until "Reveal family contacts".
// Long text fields of a saved dossier carry a small "Comments (n)" toggle that opens their annotations beside the form.
// A saved dossier also has files (DossierFiles.tsx): attachments, the person's photo, files linked to timeline events.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useSaveShortcut } from '../../hooks/useSaveShortcut'
import {
  CONSENT_LEVELS,
  DOSSIER_CATEGORIES,
  DOSSIER_STATUSES,
  GENDERS,
  SOURCE_RELIABILITY,
  SOURCE_TYPES,
  VULNERABILITY_FLAGS,
  deriveCurrentStatus,
  readBirthYear,
  type Dossier,
} from '../../../../shared/dossiers/dossier'
import type { DossierSchemaConfig } from '../../../../shared/dossiers/dossierSchema'
import { resolveJsonPointer } from '../../../../shared/annotations/jsonPointer'
import { dropAttachmentReferences } from '../../../../shared/dossiers/attachmentRefs'
import type { DossierListView, DuplicateMatchView } from '../../../../shared/ipc/channels/dossierChannels'
import type { AttachmentView } from '../../../../shared/ipc/channels/libraryChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { FieldAnnotations } from '../annotations/FieldAnnotations'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { AttachmentLinks, AttachmentsSection, PhotoSlot } from './DossierFiles'
import {
  createEmptyDraft,
  newCharge,
  newDetention,
  newFamilyContact,
  newSource,
  newStatusEvent,
  newTimelineEntry,
  prepareDossierForSave,
  splitLines,
} from './draft'
import {
  CATEGORY_LABELS,
  CONSENT_LABELS,
  CREDIBILITY_LABELS,
  FLAG_LABELS,
  GENDER_LABELS,
  RELIABILITY_LABELS,
  SOURCE_TYPE_LABELS,
  STATUS_LABELS,
} from '../../../../shared/dossiers/labels'

type Update = (change: (d: Dossier) => Dossier) => void

/** What a field needs to offer its comments: the saved body (annotations anchor there), counts, the open field. */
interface CommentsContext {
  saved: Dossier
  counts: ReadonlyMap<string, number>
  open: string | null
  onToggle: (pointer: string, label: string) => void
}
type SaveState = 'clean' | 'dirty' | 'saving' | 'saved'
interface DocOption {
  id: string
  title: string
}

/** Replaces item `index` of a list with `patch` applied. */
function patchAt<T>(items: readonly T[], index: number, patch: Partial<T>): T[] {
  return items.map((item, i) => (i === index ? { ...item, ...patch } : item))
}

export function DossierForm({
  id,
  onSaved,
  onClose,
  onOpen,
  onDirtyChange,
}: {
  /** null: a new dossier. */
  id: string | null
  /** After the first save of a new dossier (the form is then reopened on the stored one). */
  onSaved: (id: string) => void
  onClose: () => void
  onOpen: (id: string) => void
  onDirtyChange: (dirty: boolean) => void
}) {
  const api = useApi()
  const [draft, setDraft] = useState<Dossier | null>(id === null ? createEmptyDraft() : null)
  const [revision, setRevision] = useState<number | null>(null)
  const [savedAt, setSavedAt] = useState<string | null>(null)
  const [familyCount, setFamilyCount] = useState(0)
  const [familyRevealed, setFamilyRevealed] = useState(id === null)
  const [state, setState] = useState<SaveState>('clean')
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [schema, setSchema] = useState<DossierSchemaConfig | null>(null)
  const [documents, setDocuments] = useState<DocOption[]>([])
  const [lists, setLists] = useState<DossierListView[]>([])
  const [duplicates, setDuplicates] = useState<DuplicateMatchView[]>([])
  const [confirm, setConfirm] = useState<{ title: string; body: string; label: string; danger?: boolean; run: () => Promise<void> } | null>(null)
  const [saved, setSaved] = useState<Dossier | null>(null)
  const [commentCounts, setCommentCounts] = useState<ReadonlyMap<string, number>>(new Map())
  const [openComments, setOpenComments] = useState<{ pointer: string; label: string } | null>(null)
  const [attachments, setAttachments] = useState<AttachmentView[] | null>(null)
  const [attachmentsError, setAttachmentsError] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  // How many annotations each field has (by JSON pointer), for the "Comments (n)" toggles.
  const loadCommentCounts = useCallback(async () => {
    if (id === null) return
    try {
      const listed = await api['annotations:list']({ recordId: id })
      const counts = new Map<string, number>()
      for (const { annotation } of listed.annotations) {
        const field = annotation.target.field
        if (field !== undefined) counts.set(field, (counts.get(field) ?? 0) + 1)
      }
      setCommentCounts(counts)
    } catch {
      setCommentCounts(new Map())
    }
  }, [api, id])

  const load = useCallback(async () => {
    if (id === null) return
    const view = await api['dossiers:get']({ id })
    setDraft(view.dossier)
    setSaved(view.dossier)
    setRevision(view.revision)
    setSavedAt(view.savedAt)
    setFamilyCount(view.familyCount)
    setFamilyRevealed(false)
    setState('clean')
  }, [api, id])

  useEffect(() => {
    load().catch((err: unknown) => setError(describeError(err)))
    void loadCommentCounts()
    api['dossiers:schemaGet']({})
      .then((r) => setSchema(r.schema))
      .catch(() => setSchema(null))
    api['dossiers:lists']({})
      .then((r) => setLists(r.lists))
      .catch(() => setLists([]))
    if (id !== null) {
      api['dossiers:attachments']({ id })
        .then((r) => setAttachments(r.attachments))
        .catch((err: unknown) => setAttachmentsError(describeError(err)))
    }
    // The library may be empty or unavailable: linking documents is then simply not offered.
    api['library:list']({})
      .then((r) => setDocuments(r.documents.map((d) => ({ id: d.id, title: d.title || '(untitled)' }))))
      .catch(() => setDocuments([]))
  }, [api, load, loadCommentCounts])

  useEffect(() => onDirtyChange(state === 'dirty'), [state, onDirtyChange])

  const update: Update = useCallback((change) => {
    setDraft((d) => (d === null ? d : change(d)))
    setState('dirty')
    setNotice(null)
  }, [])

  // Duplicate check while a name is being entered, debounced so typing stays smooth.
  const nameKey = draft ? JSON.stringify([draft.names.original, draft.names.transliteration ?? '', draft.names.otherSpellings, readBirthYear(draft.birth)]) : ''
  useEffect(() => {
    if (!draft || draft.names.original.trim() === '') {
      setDuplicates([])
      return
    }
    const names = {
      original: draft.names.original.trim(),
      ...(draft.names.transliteration?.trim() ? { transliteration: draft.names.transliteration.trim() } : {}),
      otherSpellings: draft.names.otherSpellings.map((s) => s.trim()).filter(Boolean),
      aliases: [],
    }
    const year = readBirthYear({ ...draft.birth, ...(typeof draft.birth.year === 'number' && Number.isNaN(draft.birth.year) ? { year: undefined } : {}) })
    let live = true
    const timer = setTimeout(() => {
      api['dossiers:checkDuplicates']({
        names,
        birthYear: year,
        birthApproximate: draft.birth.approximate === true,
        ...(id !== null ? { excludeId: id } : {}),
      })
        .then((r) => live && setDuplicates(r.matches))
        .catch(() => live && setDuplicates([]))
    }, 400)
    return () => {
      live = false
      clearTimeout(timer)
    }
    // nameKey stands for the parts of the draft the check reads (re-checking on every other keystroke would be noise).
  }, [api, id, nameKey])

  const save = useCallback(async (): Promise<string | null> => {
    if (!draft) return null
    const prepared = prepareDossierForSave(draft)
    if (!prepared.ok) {
      setError(`The dossier cannot be saved yet: ${prepared.message}`)
      return null
    }
    setError(null)
    setState('saving')
    try {
      if (id === null) {
        const created = await api['dossiers:create']({ dossier: prepared.dossier })
        setState('clean')
        onSaved(created.id)
        return created.id
      }
      const result = await api['dossiers:update']({
        id,
        expectedRevision: revision!,
        dossier: prepared.dossier,
        // Contacts never fetched must not be overwritten with the empty list the form holds.
        family: familyRevealed ? 'replace' : 'keep',
      })
      setRevision(result.revision)
      setSaved({ ...(prepared.dossier as Dossier), family: { contacts: [] } })
      setSavedAt(new Date().toISOString())
      if (familyRevealed) setFamilyCount(draft.family.contacts.length)
      setState('saved')
      setNotice(result.warnings.length ? `Saved, with ${result.warnings.length} custom-field warning(s).` : null)
      return id
    } catch (err) {
      setState('dirty')
      setError(err instanceof ApiError && err.code === 'CONFLICT' ? 'Someone saved this dossier since you opened it. Reload it to see their changes (yours are still here).' : describeError(err))
      return null
    }
  }, [api, draft, familyRevealed, id, onSaved, revision])

  useSaveShortcut(save)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save()
  }

  const reveal = async () => {
    if (id === null) return
    try {
      const view = await api['dossiers:get']({ id, revealFamily: true })
      setDraft((d) => (d ? { ...d, family: view.dossier.family } : d))
      setFamilyCount(view.familyCount)
      setFamilyRevealed(true)
    } catch (err) {
      setError(describeError(err))
    }
  }

  const merge = (match: DuplicateMatchView) => {
    const label = match.transliteration ? `${match.name} (${match.transliteration})` : match.name
    setConfirm(
      id === null
        ? {
            title: 'Add this information to the existing dossier?',
            body: `What you entered is saved and merged into the dossier of ${label}, which then opens. Nothing known about the person is lost.`,
            label: 'Save and merge',
            run: async () => {
              const prepared = prepareDossierForSave(draft!)
              if (!prepared.ok) {
                setError(`The dossier cannot be saved yet: ${prepared.message}`)
                return
              }
              // Created and merged straight away (not through save()), so the form does not reopen on a dossier
              // that is about to disappear.
              const created = await api['dossiers:create']({ dossier: prepared.dossier })
              await api['dossiers:merge']({ keepId: match.id, dropId: created.id })
              setState('clean')
              onDirtyChange(false)
              onOpen(match.id)
            },
          }
        : {
            title: 'Merge the other dossier into this one?',
            body: `The dossier of ${label} is merged into this one and then deleted. Where the two disagree, this dossier's value is kept.`,
            label: 'Merge',
            run: async () => {
              if (state === 'dirty' && !(await save())) return
              const result = await api['dossiers:merge']({ keepId: id, dropId: match.id })
              await load()
              setNotice(result.conflicts.length ? `Merged. Kept this dossier's value where they differed (${result.conflicts.length}).` : 'Merged.')
            },
          },
    )
  }

  const remove = () =>
    setConfirm({
      title: 'Delete this dossier?',
      body: 'The dossier, its history and its attachments are deleted from the vault and removed from every list. This cannot be undone.',
      label: 'Delete dossier',
      danger: true,
      run: async () => {
        await api['dossiers:delete']({ id: id! })
        onDirtyChange(false)
        onClose()
      },
    })

  const addToList = async (listId: string) => {
    if (!id || !listId) return
    try {
      const view = await api['dossiers:listAdd']({ id: listId, dossierIds: [id] })
      setLists((ls) => ls.map((l) => (l.id === view.id ? view : l)))
      setNotice(`Added to the list “${view.name}”.`)
    } catch (err) {
      setError(describeError(err))
    }
  }

  if (!draft) {
    return (
      <section className="panel" aria-busy="true">
        <ErrorMessage message={error} />
        {!error && <p>Opening the dossier…</p>}
        <button onClick={onClose}>Back to dossiers</button>
      </section>
    )
  }

  const current = deriveCurrentStatus(draft.statusHistory)
  const title = draft.names.original.trim() || 'New dossier'
  const stateText = { clean: savedAt ? 'All changes saved' : id === null ? 'Not saved yet' : 'No changes', dirty: 'Unsaved changes', saving: 'Saving…', saved: 'All changes saved' }[state]
  const regions = schema?.vocabularies.find((v) => v.id === 'regions')?.entries.filter((e) => !e.retired) ?? []
  const facilities = schema?.vocabularies.find((v) => v.id === 'facilities')?.entries.filter((e) => !e.retired) ?? []
  const memberOf = id ? lists.filter((l) => l.dossierIds.includes(id)) : []
  const comments: CommentsContext | null =
    id !== null && saved
      ? {
          saved,
          counts: commentCounts,
          open: openComments?.pointer ?? null,
          onToggle: (pointer, label) => {
            // Counts are refreshed whenever a panel closes or gives way to another: notes may have been added there.
            void loadCommentCounts()
            setOpenComments((o) => (o?.pointer === pointer ? null : { pointer, label }))
          },
        }
      : null
  const commentText = openComments && draft ? resolveJsonPointer(draft, openComments.pointer) : undefined

  return (
    <section className="panel dossier-form" aria-labelledby="dossier-form-title">
      <div className="form-head">
        <div>
          <h1 id="dossier-form-title">{title}</h1>
          <p className="hint">
            Current status: <span className={`status status-${current}`} data-testid="current-status">{STATUS_LABELS[current]}</span>
            {memberOf.length > 0 && <> · In {memberOf.map((l) => `“${l.name}”`).join(', ')}</>}
          </p>
        </div>
        <div className="form-tools">
          <span className={`save-state save-${state}`} role="status" data-testid="save-state">
            {stateText}
          </span>
          <button type="submit" form="dossier-form" className="primary" disabled={state === 'saving'} aria-keyshortcuts="Control+S" title="Save (Ctrl+S)">
            Save
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <ErrorMessage message={error} />
      {notice && (
        <p className="notice" data-testid="message">
          {notice}
        </p>
      )}

      {duplicates.length > 0 && (
        <div className="duplicates" role="region" aria-label="Possible duplicates" data-testid="duplicates">
          <strong>This may be a person already in the vault:</strong>
          <ul>
            {duplicates.slice(0, 5).map((m) => (
              <li key={m.id}>
                <span>
                  {m.name}
                  {m.transliteration && m.transliteration !== m.name ? ` (${m.transliteration})` : ''} — {STATUS_LABELS[m.status]}
                  {m.birthYear !== null ? `, born ${m.birthYear}` : ''}
                  {m.reason === 'same-name' ? ' · same name' : ' · similar name'}
                </span>
                <button type="button" onClick={() => onOpen(m.id)}>
                  Open
                </button>
                <button type="button" onClick={() => merge(m)}>
                  Merge
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className={openComments && comments ? 'form-with-comments' : undefined}>
        {/* The Save button above belongs to this form (form=) and comes first, so Enter in a field saves. */}
        <form id="dossier-form" ref={formRef} onSubmit={submit} noValidate>
          <PersonSection
            draft={draft}
            update={update}
            regions={regions.map((r) => r.label)}
            photo={
              <PhotoSlot
                dossierId={id}
                attachments={attachments}
                value={draft.photoAttachmentId}
                onChange={(photoAttachmentId) => update((d) => ({ ...d, photoAttachmentId }))}
              />
            }
          />
          <StatusSection draft={draft} update={update} comments={comments} />
          <DetentionSection draft={draft} update={update} facilities={facilities.map((f) => f.label)} />
          <ChargesSection draft={draft} update={update} />
          <VulnerabilitySection draft={draft} update={update} comments={comments} />
          <SourcesSection draft={draft} update={update} documents={documents} comments={comments} />
          <ConsentSection draft={draft} update={update} />
          <FamilySection draft={draft} update={update} isNew={id === null} revealed={familyRevealed} count={familyCount} onReveal={() => void reveal()} />
          <AttachmentsSection
            dossierId={id}
            attachments={attachments}
            loadError={attachmentsError}
            revision={revision}
            onChange={(list) => {
              setAttachments(list)
              setAttachmentsError(null)
            }}
            onDeleted={(attachmentId, nextRevision, list) => {
              // Main stored the dossier without the file's photo/timeline pointers (as `nextRevision` when it had any);
              // the form drops them too, so unsaved edits stay and the next save neither conflicts nor brings them back.
              setAttachments(list)
              setAttachmentsError(null)
              setRevision(nextRevision)
              setDraft((d) => (d === null ? d : dropAttachmentReferences(d, attachmentId)))
              setSaved((d) => (d === null ? d : dropAttachmentReferences(d, attachmentId)))
            }}
          />
          <TimelineSection draft={draft} update={update} documents={documents} attachments={attachments} comments={comments} />
          {schema && <CustomFieldsSection draft={draft} update={update} schema={schema} />}
        </form>
        {/* Outside the dossier <form>: the notes have their own small form, and forms cannot nest. */}
        {openComments && comments && id !== null && (
          <aside className="comments-aside" aria-labelledby="comments-aside-title" data-testid="comments-aside">
            <div className="item-head">
              <h2 id="comments-aside-title">Comments on {openComments.label}</h2>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setOpenComments(null)
                  void loadCommentCounts()
                }}
              >
                Hide comments
              </button>
            </div>
            <FieldAnnotations
              key={openComments.pointer}
              recordId={id}
              field={openComments.pointer}
              text={typeof commentText === 'string' ? commentText : ''}
              label={openComments.label}
            />
          </aside>
        )}
      </div>

      {id !== null && (
        <Section title="Lists and actions" id="actions">
          <div className="row wrap">
            <label htmlFor="add-to-list" className="inline-label">
              Add to list
            </label>
            <select id="add-to-list" defaultValue="" onChange={(e) => void addToList(e.target.value).then(() => (e.target.value = ''))}>
              <option value="">Choose a list…</option>
              {lists
                .filter((l) => !l.dossierIds.includes(id))
                .map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
            </select>
            <button type="button" className="danger" onClick={remove}>
              Delete dossier…
            </button>
          </div>
        </Section>
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.title}
          confirmLabel={confirm.label}
          danger={confirm.danger === true}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const run = confirm.run
            setConfirm(null)
            run().catch((err: unknown) => setError(describeError(err)))
          }}
        >
          <p>{confirm.body}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

// --- building blocks ------------------------------------------------------------------------------------------

function Section({ title, id, children, hint }: { title: string; id: string; children: ReactNode; hint?: string }) {
  return (
    <fieldset className="form-section" aria-labelledby={`sec-${id}`}>
      <h2 id={`sec-${id}`}>{title}</h2>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </fieldset>
  )
}

function Text({ id, label, value, onChange, type = 'text', list, required }: { id: string; label: string; value: string; onChange: (v: string) => void; type?: string; list?: string; required?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} list={list} required={required} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}

function Lines({ id, label, values, onChange, hint }: { id: string; label: string; values: string[]; onChange: (v: string[]) => void; hint?: string }) {
  // Kept as typed (blank lines included) while editing; empty lines are dropped on save.
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={Math.max(2, values.length + 1)} value={values.join('\n')} onChange={(e) => onChange(e.target.value.split('\n'))} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  )
}

function Choice<T extends string>({ id, label, value, options, labels, onChange, blank }: { id: string; label: string; value: T | ''; options: readonly T[]; labels: Readonly<Record<string, string>>; onChange: (v: T | '') => void; blank?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o] ?? o}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Which sources a fact cites: one checkbox per source of the dossier. */
function Cites({ id, sources, value, onChange }: { id: string; sources: Dossier['sources']; value: string[]; onChange: (ids: string[]) => void }) {
  if (sources.length === 0) return null
  return (
    <fieldset className="cites">
      <legend>Sources cited</legend>
      {sources.map((s, i) => (
        <label key={s.id} className="check">
          <input
            type="checkbox"
            id={`${id}-cite-${s.id}`}
            checked={value.includes(s.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, s.id] : value.filter((x) => x !== s.id))}
          />
          {s.name.trim() || `Source ${i + 1}`}
          {s.reliability ? ` (${s.reliability}${s.credibility ?? ''})` : ''}
        </label>
      ))}
    </fieldset>
  )
}

/**
 * The "Comments (n)" toggle of one field of a SAVED dossier. Shown only when the field exists in the saved body and,
 * for a list item (`item`), the item at that index is still the same one: pointers name positions, and a note must
 * not land on a neighbour after an unsaved removal or insertion.
 */
function CommentsToggle({ comments, pointer, label, item }: { comments: CommentsContext | null; pointer: string; label: string; item?: { pointer: string; id: string } }) {
  if (!comments) return null
  if (resolveJsonPointer(comments.saved, pointer) === undefined) return null
  if (item && (resolveJsonPointer(comments.saved, item.pointer) as { id?: unknown } | undefined)?.id !== item.id) return null
  const count = comments.counts.get(pointer) ?? 0
  const open = comments.open === pointer
  return (
    <button
      type="button"
      className="link comments-toggle"
      aria-expanded={open}
      // The visible text starts the accessible name, which also says which field (several toggles share a section).
      aria-label={`Comments (${count}) on ${label.toLowerCase()}`}
      onClick={() => comments.onToggle(pointer, label)}
    >
      Comments ({count})
    </button>
  )
}

function ItemHead({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <div className="item-head">
      <h3>{label}</h3>
      <button type="button" className="link" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
        Remove
      </button>
    </div>
  )
}

// --- sections -------------------------------------------------------------------------------------------------

function PersonSection({ draft, update, regions, photo }: { draft: Dossier; update: Update; regions: string[]; photo: ReactNode }) {
  const names = draft.names
  const setNames = (patch: Partial<Dossier['names']>) => update((d) => ({ ...d, names: { ...d.names, ...patch } }))
  return (
    <Section title="Person" id="person">
      {photo}
      <div className="grid-2">
        <Text id="name-original" label="Name in original script" value={names.original} onChange={(v) => setNames({ original: v })} required />
        <Text id="name-transliteration" label="Transliteration" value={names.transliteration ?? ''} onChange={(v) => setNames({ transliteration: v })} />
        <Lines id="name-other" label="Other spellings" hint="One per line." values={names.otherSpellings} onChange={(v) => setNames({ otherSpellings: v })} />
        <Lines id="name-aliases" label="Aliases" hint="One per line." values={names.aliases} onChange={(v) => setNames({ aliases: v })} />
        <Text id="birth-date" label="Date of birth" type="date" value={draft.birth.date ?? ''} onChange={(v) => update((d) => ({ ...d, birth: { ...d.birth, date: v } }))} />
        <div className="field">
          <label htmlFor="birth-year">Year of birth</label>
          <div className="row">
            <input
              id="birth-year"
              type="number"
              min={1850}
              max={2200}
              value={draft.birth.year ?? ''}
              onChange={(e) => update((d) => ({ ...d, birth: { ...d.birth, year: e.target.value === '' ? undefined : Number(e.target.value) } }))}
            />
            <label className="check">
              <input type="checkbox" checked={draft.birth.approximate === true} onChange={(e) => update((d) => ({ ...d, birth: { ...d.birth, approximate: e.target.checked } }))} />
              approximate
            </label>
          </div>
        </div>
        <Choice id="gender" label="Gender" value={draft.gender} options={GENDERS} labels={GENDER_LABELS} onChange={(v) => update((d) => ({ ...d, gender: v || 'unknown' }))} />
        <Text
          id="citizenship"
          label="Citizenship"
          value={draft.citizenship.join(', ')}
          onChange={(v) => update((d) => ({ ...d, citizenship: v.split(',').map((s) => s.trimStart()) }))}
        />
        <Text id="home-region" label="Home region" value={draft.homeRegion} list="region-options" onChange={(v) => update((d) => ({ ...d, homeRegion: v }))} />
        <Choice id="category" label="Category" value={draft.category} options={DOSSIER_CATEGORIES} labels={CATEGORY_LABELS} onChange={(v) => v && update((d) => ({ ...d, category: v }))} />
      </div>
      <datalist id="region-options">
        {regions.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
    </Section>
  )
}

function StatusSection({ draft, update, comments }: { draft: Dossier; update: Update; comments: CommentsContext | null }) {
  const set = (i: number, patch: Partial<Dossier['statusHistory'][number]>) => update((d) => ({ ...d, statusHistory: patchAt(d.statusHistory, i, patch) }))
  const current = deriveCurrentStatus(draft.statusHistory)
  return (
    <Section title="Status history" id="status" hint={`Current status (derived from the latest event): ${STATUS_LABELS[current]}.`}>
      {draft.statusHistory.map((e, i) => (
        <div className="item" key={e.id}>
          <ItemHead label={`Status event ${i + 1}`} onRemove={() => update((d) => ({ ...d, statusHistory: d.statusHistory.filter((_, j) => j !== i) }))} />
          <div className="grid-3">
            <Text id={`status-date-${i}`} label="Date" type="date" value={e.date} onChange={(v) => set(i, { date: v })} />
            <Choice id={`status-status-${i}`} label="Status" value={e.status} options={DOSSIER_STATUSES} labels={STATUS_LABELS} onChange={(v) => v && set(i, { status: v })} />
            <Text id={`status-note-${i}`} label="Note" value={e.note ?? ''} onChange={(v) => set(i, { note: v })} />
          </div>
          <CommentsToggle comments={comments} pointer={`/statusHistory/${i}/note`} label={`Status event ${i + 1} note`} item={{ pointer: `/statusHistory/${i}`, id: e.id }} />
          <Cites id={`status-${i}`} sources={draft.sources} value={e.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, statusHistory: [...d.statusHistory, newStatusEvent()] }))}>
        Add status event
      </button>
    </Section>
  )
}

function DetentionSection({ draft, update, facilities }: { draft: Dossier; update: Update; facilities: string[] }) {
  const set = (i: number, patch: Partial<Dossier['detentions'][number]>) => update((d) => ({ ...d, detentions: patchAt(d.detentions, i, patch) }))
  return (
    <Section title="Detention periods" id="detention" hint="Leave “To” empty while the person is still held there.">
      {draft.detentions.map((x, i) => (
        <div className="item" key={x.id}>
          <ItemHead label={`Detention period ${i + 1}`} onRemove={() => update((d) => ({ ...d, detentions: d.detentions.filter((_, j) => j !== i) }))} />
          <div className="grid-2">
            <Text id={`detention-facility-${i}`} label="Facility" list="facility-options" value={x.facility} onChange={(v) => set(i, { facility: v })} />
            <Text id={`detention-location-${i}`} label="Location" value={x.location} onChange={(v) => set(i, { location: v })} />
            <Text id={`detention-from-${i}`} label="From" type="date" value={x.from ?? ''} onChange={(v) => set(i, { from: v })} />
            <Text id={`detention-to-${i}`} label="To" type="date" value={x.to ?? ''} onChange={(v) => set(i, { to: v })} />
          </div>
          <Cites id={`detention-${i}`} sources={draft.sources} value={x.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, detentions: [...d.detentions, newDetention()] }))}>
        Add detention period
      </button>
      <datalist id="facility-options">
        {facilities.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
    </Section>
  )
}

function ChargesSection({ draft, update }: { draft: Dossier; update: Update }) {
  const set = (i: number, patch: Partial<Dossier['charges'][number]>) => update((d) => ({ ...d, charges: patchAt(d.charges, i, patch) }))
  return (
    <Section title="Charges and sentence" id="charges">
      {draft.charges.map((c, i) => (
        <div className="item" key={c.id}>
          <ItemHead label={`Charge ${i + 1}`} onRemove={() => update((d) => ({ ...d, charges: d.charges.filter((_, j) => j !== i) }))} />
          <div className="grid-2">
            <Text id={`charge-article-${i}`} label="Article" value={c.article} onChange={(v) => set(i, { article: v })} />
            <Text id={`charge-court-${i}`} label="Court" value={c.court ?? ''} onChange={(v) => set(i, { court: v })} />
            <Text id={`charge-date-${i}`} label="Date" type="date" value={c.date ?? ''} onChange={(v) => set(i, { date: v })} />
            <Text id={`charge-sentence-${i}`} label="Sentence" value={c.sentence ?? ''} onChange={(v) => set(i, { sentence: v })} />
          </div>
          <Cites id={`charge-${i}`} sources={draft.sources} value={c.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, charges: [...d.charges, newCharge()] }))}>
        Add charge
      </button>
    </Section>
  )
}

function VulnerabilitySection({ draft, update, comments }: { draft: Dossier; update: Update; comments: CommentsContext | null }) {
  const v = draft.vulnerability
  const set = (patch: Partial<Dossier['vulnerability']>) => update((d) => ({ ...d, vulnerability: { ...d.vulnerability, ...patch } }))
  return (
    <Section title="Vulnerability" id="vulnerability">
      <fieldset className="flags">
        <legend>Flags</legend>
        {VULNERABILITY_FLAGS.map((flag) => (
          <label className="check" key={flag}>
            <input type="checkbox" checked={v[flag]} onChange={(e) => set({ [flag]: e.target.checked })} />
            {FLAG_LABELS[flag]}
          </label>
        ))}
      </fieldset>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="medical-note">Medical note</label>
          <textarea id="medical-note" rows={2} value={v.medicalNote ?? ''} onChange={(e) => set({ medicalNote: e.target.value })} aria-describedby="medical-note-hint" />
          <span className="hint" id="medical-note-hint">
            Sensitive: left out of everything shared with others.
          </span>
          <CommentsToggle comments={comments} pointer="/vulnerability/medicalNote" label="Medical note" />
        </div>
        <Text id="last-news" label="Last reliable news" type="date" value={v.lastReliableNews ?? ''} onChange={(val) => set({ lastReliableNews: val })} />
      </div>
      <Cites id="vulnerability" sources={draft.sources} value={v.sourceIds} onChange={(ids) => set({ sourceIds: ids })} />
    </Section>
  )
}

function SourcesSection({ draft, update, documents, comments }: { draft: Dossier; update: Update; documents: DocOption[]; comments: CommentsContext | null }) {
  const set = (i: number, patch: Partial<Dossier['sources'][number]>) => update((d) => ({ ...d, sources: patchAt(d.sources, i, patch) }))
  const removeSource = (i: number) =>
    update((d) => {
      const gone = d.sources[i]!.id
      const strip = <T extends { sourceIds: string[] }>(x: T): T => ({ ...x, sourceIds: x.sourceIds.filter((s) => s !== gone) })
      // Citations of a removed source go with it, so no fact cites something that is not there.
      return {
        ...d,
        sources: d.sources.filter((_, j) => j !== i),
        statusHistory: d.statusHistory.map(strip),
        detentions: d.detentions.map(strip),
        charges: d.charges.map(strip),
        vulnerability: strip(d.vulnerability),
      }
    })
  return (
    <Section title="Sources" id="sources" hint="Who says so. Reliability of the source A (reliable) … F (cannot be judged); credibility of the information 1 (confirmed) … 6.">
      {draft.sources.map((s, i) => (
        <div className="item" key={s.id}>
          <ItemHead label={`Source ${i + 1}`} onRemove={() => removeSource(i)} />
          <div className="grid-3">
            <Choice id={`source-type-${i}`} label="Type" value={s.type} options={SOURCE_TYPES} labels={SOURCE_TYPE_LABELS} onChange={(v) => v && set(i, { type: v })} />
            <Text id={`source-name-${i}`} label="Name" value={s.name} onChange={(v) => set(i, { name: v })} />
            <Text id={`source-date-${i}`} label="Date" type="date" value={s.date ?? ''} onChange={(v) => set(i, { date: v })} />
            <Choice id={`source-reliability-${i}`} label="Reliability" value={s.reliability ?? ''} options={SOURCE_RELIABILITY} labels={RELIABILITY_LABELS} blank="Not graded" onChange={(v) => set(i, { reliability: v || undefined })} />
            <div className="field">
              <label htmlFor={`source-credibility-${i}`}>Credibility</label>
              <select id={`source-credibility-${i}`} value={s.credibility ?? ''} onChange={(e) => set(i, { credibility: e.target.value === '' ? undefined : Number(e.target.value) })}>
                <option value="">Not graded</option>
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <option key={n} value={n}>
                    {CREDIBILITY_LABELS[n]}
                  </option>
                ))}
              </select>
            </div>
            {documents.length > 0 && (
              <div className="field">
                <label htmlFor={`source-document-${i}`}>Library document</label>
                <select id={`source-document-${i}`} value={s.documentId ?? ''} onChange={(e) => set(i, { documentId: e.target.value || undefined })}>
                  <option value="">None</option>
                  {documents.map((doc) => (
                    <option key={doc.id} value={doc.id}>
                      {doc.title}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          <CommentsToggle comments={comments} pointer={`/sources/${i}`} label={`Source ${i + 1}`} item={{ pointer: `/sources/${i}`, id: s.id }} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, sources: [...d.sources, newSource()] }))}>
        Add source
      </button>
    </Section>
  )
}

function ConsentSection({ draft, update }: { draft: Dossier; update: Update }) {
  return (
    <Section title="Consent" id="consent" hint="Who may receive this dossier outside the organisation. Lists, letters and exports follow it.">
      <div className="grid-2">
        <Choice id="consent-level" label="Consent" value={draft.consent} options={CONSENT_LEVELS} labels={CONSENT_LABELS} onChange={(v) => v && update((d) => ({ ...d, consent: v }))} />
        {draft.consent === 'partners' && (
          <Lines id="share-partners" label="Partners who may receive it" hint="One organisation per line." values={draft.sharePartners} onChange={(v) => update((d) => ({ ...d, sharePartners: v }))} />
        )}
      </div>
    </Section>
  )
}

function FamilySection({ draft, update, isNew, revealed, count, onReveal }: { draft: Dossier; update: Update; isNew: boolean; revealed: boolean; count: number; onReveal: () => void }) {
  const set = (i: number, patch: Partial<Dossier['family']['contacts'][number]>) => update((d) => ({ ...d, family: { contacts: patchAt(d.family.contacts, i, patch) } }))
  return (
    <Section title="Family contact" id="family" hint="Extra sensitive: never printed, exported or shared unless explicitly asked for. Revealing them is recorded in the audit log.">
      {!revealed ? (
        <div className="sealed" data-testid="family-hidden">
          <span>{count === 0 ? 'No family contacts stored.' : `${count} family contact${count === 1 ? '' : 's'} stored — hidden.`}</span>
          <button type="button" onClick={onReveal}>
            Reveal family contacts
          </button>
        </div>
      ) : (
        <div data-testid="family-contacts">
          {draft.family.contacts.map((c, i) => (
            <div className="item" key={i}>
              <ItemHead label={`Family contact ${i + 1}`} onRemove={() => update((d) => ({ ...d, family: { contacts: d.family.contacts.filter((_, j) => j !== i) } }))} />
              <div className="grid-2">
                <Text id={`family-name-${i}`} label="Name" value={c.name} onChange={(v) => set(i, { name: v })} />
                <Text id={`family-relation-${i}`} label="Relation" value={c.relation} onChange={(v) => set(i, { relation: v })} />
                <Text id={`family-phone-${i}`} label="Phone" type="tel" value={c.phone ?? ''} onChange={(v) => set(i, { phone: v })} />
                <Text id={`family-email-${i}`} label="Email" type="email" value={c.email ?? ''} onChange={(v) => set(i, { email: v })} />
                <Text id={`family-address-${i}`} label="Address" value={c.address ?? ''} onChange={(v) => set(i, { address: v })} />
                <Text id={`family-note-${i}`} label="Note" value={c.note ?? ''} onChange={(v) => set(i, { note: v })} />
              </div>
            </div>
          ))}
          <button type="button" onClick={() => update((d) => ({ ...d, family: { contacts: [...d.family.contacts, newFamilyContact()] } }))}>
            Add family contact
          </button>
          {!isNew && <p className="hint">These contacts are hidden again when you leave this dossier.</p>}
        </div>
      )}
    </Section>
  )
}

function TimelineSection({
  draft,
  update,
  documents,
  attachments,
  comments,
}: {
  draft: Dossier
  update: Update
  documents: DocOption[]
  attachments: AttachmentView[] | null
  comments: CommentsContext | null
}) {
  const set = (i: number, patch: Partial<Dossier['timeline'][number]>) => update((d) => ({ ...d, timeline: patchAt(d.timeline, i, patch) }))
  const titleOf = (docId: string) => documents.find((d) => d.id === docId)?.title ?? 'A library document'
  return (
    <Section title="Timeline" id="timeline">
      {draft.timeline.map((t, i) => (
        <div className="item" key={t.id}>
          <ItemHead label={`Timeline event ${i + 1}`} onRemove={() => update((d) => ({ ...d, timeline: d.timeline.filter((_, j) => j !== i) }))} />
          <div className="grid-timeline">
            <Text id={`timeline-date-${i}`} label="Date" type="date" value={t.date} onChange={(v) => set(i, { date: v })} />
            <div className="field">
              <label htmlFor={`timeline-description-${i}`}>Description</label>
              <textarea id={`timeline-description-${i}`} rows={2} value={t.description} onChange={(e) => set(i, { description: e.target.value })} />
              <CommentsToggle comments={comments} pointer={`/timeline/${i}/description`} label={`Timeline event ${i + 1}`} item={{ pointer: `/timeline/${i}`, id: t.id }} />
            </div>
          </div>
          {t.documentIds.length > 0 && (
            <ul className="linked">
              {t.documentIds.map((docId) => (
                <li key={docId}>
                  {titleOf(docId)}{' '}
                  <button type="button" className="link" onClick={() => set(i, { documentIds: t.documentIds.filter((x) => x !== docId) })}>
                    Unlink
                  </button>
                </li>
              ))}
            </ul>
          )}
          {documents.length > 0 && (
            <div className="field">
              <label htmlFor={`timeline-link-${i}`}>Link a library document</label>
              <select id={`timeline-link-${i}`} value="" onChange={(e) => e.target.value && set(i, { documentIds: [...t.documentIds, e.target.value] })}>
                <option value="">Choose…</option>
                {documents
                  .filter((doc) => !t.documentIds.includes(doc.id))
                  .map((doc) => (
                    <option key={doc.id} value={doc.id}>
                      {doc.title}
                    </option>
                  ))}
              </select>
            </div>
          )}
          <AttachmentLinks id={`timeline-${i}`} attachments={attachments} value={t.attachmentIds} onChange={(ids) => set(i, { attachmentIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, timeline: [...d.timeline, newTimelineEntry()] }))}>
        Add timeline event
      </button>
    </Section>
  )
}

function CustomFieldsSection({ draft, update, schema }: { draft: Dossier; update: Update; schema: DossierSchemaConfig }) {
  // Retired fields stay visible only where this dossier has a value, so nothing stored is hidden.
  const fields = schema.fields.filter((f) => !f.retired || draft.customFields[f.id] !== undefined)
  if (fields.length === 0) return null
  const set = (fieldId: string, value: string | number) => update((d) => ({ ...d, customFields: { ...d.customFields, [fieldId]: value } }))
  return (
    <Section title="Other information" id="custom">
      <div className="grid-2">
        {fields.map((f) => {
          const value = draft.customFields[f.id]
          const id = `custom-${f.id}`
          const label = f.retired ? `${f.label} (retired)` : f.label
          if (f.type === 'choice') {
            const entries = schema.vocabularies.find((v) => v.id === f.vocabulary)?.entries ?? []
            return (
              <div className="field" key={f.id}>
                <label htmlFor={id}>{label}</label>
                <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(f.id, e.target.value)}>
                  <option value="">—</option>
                  {entries
                    .filter((e) => !e.retired || e.id === value)
                    .map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.label}
                      </option>
                    ))}
                </select>
              </div>
            )
          }
          return (
            <Text
              key={f.id}
              id={id}
              label={label}
              type={f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'}
              value={value === undefined ? '' : String(value)}
              onChange={(v) => set(f.id, f.type === 'number' && v !== '' ? Number(v) : v)}
            />
          )
        })}
      </div>
    </Section>
  )
}
