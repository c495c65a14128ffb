// Renderer: the state of the dossier being edited — the draft, the stored revision it is based on, the save state,
// and the family contacts' seal — and every write the form makes from it: save (create or update), reveal family
// contacts, "save and merge" a new dossier into an existing one (one call: main creates and merges in one
// transaction), and merging another dossier into this one. DossierForm.tsx draws it; draft.ts holds the pure parts.
import { useCallback, useEffect, useState } from 'react'
import type { Dossier, DossierInput } from '../../../../shared/dossiers/dossier'
import { dropAttachmentReferences } from '../../../../shared/dossiers/attachmentRefs'
import { describeFieldProblems, type FieldProblem } from '../../../../shared/messages/messages'
import { ApiError, describeError, explainError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { createEmptyDraft, newFamilyContact, prepareDossierForSave } from './draft'
import type { Update } from './dossierFormParts'
import { t } from '../../i18n/intl'

export type SaveState = 'clean' | 'dirty' | 'saving' | 'saved'

export function useDossierDraft({ id, onSaved }: { id: string | null; onSaved: (id: string) => void }) {
  const api = useApi()
  const [draft, setDraft] = useState<Dossier | null>(id === null ? createEmptyDraft() : null)
  // The body as stored (family contacts left out): annotations anchor to it, so comments are offered only there.
  const [saved, setSaved] = useState<Dossier | null>(null)
  const [revision, setRevision] = useState<number | null>(null)
  const [savedAt, setSavedAt] = useState<string | null>(null)
  const [familyCount, setFamilyCount] = useState(0)
  const [familyRevealed, setFamilyRevealed] = useState(id === null)
  // The sensitive sections this reader's keys do not open (their role may not read them): left out by core.
  const [sensitiveHidden, setSensitiveHidden] = useState(false)
  const [state, setState] = useState<SaveState>('clean')
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // Problems of single fields from the last save attempt, shown at the fields; `focusRequest` grows with every refused
  // save, so the form scrolls to and focuses the first of them even when they are the same as last time.
  const [fieldErrors, setFieldErrors] = useState<readonly FieldProblem[]>([])
  const [focusRequest, setFocusRequest] = useState(0)

  const showFieldErrors = useCallback((problems: readonly FieldProblem[]) => {
    setFieldErrors(problems)
    setError(
      problems.length === 1
        ? t('dossiers.useDossierDraft.theDossierIsNot')
        : t('dossiers.useDossierDraft.theDossierIsNot2', { problemsCount: problems.length }),
    )
    setFocusRequest((n) => n + 1)
  }, [])

  const load = useCallback(async () => {
    if (id === null) return
    const view = await api['dossiers:get']({ id })
    setDraft(view.dossier)
    setSaved(view.dossier)
    setRevision(view.revision)
    setSavedAt(view.savedAt)
    setFamilyCount(view.familyCount)
    setFamilyRevealed(false)
    setSensitiveHidden(view.sensitiveHidden === true)
    setState('clean')
  }, [api, id])

  useEffect(() => {
    load().catch((err: unknown) => setError(describeError(err)))
  }, [load])

  const update: Update = useCallback((change) => {
    setDraft((d) => (d === null ? d : change(d)))
    setState('dirty')
    setNotice(null)
  }, [])

  /** Checks the draft in the renderer first; the message names the first problem. */
  const prepare = useCallback((): DossierInput | null => {
    if (!draft) return null
    const prepared = prepareDossierForSave(draft)
    if (!prepared.ok) {
      showFieldErrors(describeFieldProblems(prepared.issues))
      return null
    }
    setFieldErrors([])
    return prepared.dossier
  }, [draft, showFieldErrors])

  const save = useCallback(async (): Promise<string | null> => {
    if (!draft) return null
    const dossier = prepare()
    if (!dossier) return null
    setError(null)
    setState('saving')
    try {
      if (id === null) {
        const created = await api['dossiers:create']({ dossier })
        setState('clean')
        onSaved(created.id)
        return created.id
      }
      const result = await api['dossiers:update']({
        id,
        expectedRevision: revision!,
        dossier,
        // Contacts never fetched must not be overwritten with the empty list the form holds.
        family: familyRevealed ? 'replace' : 'keep',
      })
      setRevision(result.revision)
      setSaved({ ...(dossier as Dossier), family: { contacts: [] } })
      setSavedAt(new Date().toISOString())
      if (familyRevealed) setFamilyCount(draft.family.contacts.length)
      setState('saved')
      setNotice(
        result.warnings.length ? t('dossiers.useDossierDraft.savedWithCustomField', { warningsCount: result.warnings.length }) : null,
      )
      return id
    } catch (err) {
      setState('dirty')
      const failure = explainError(err)
      if (failure.fields.length > 0) showFieldErrors(failure.fields)
      else
        setError(
          err instanceof ApiError && err.code === 'CONFLICT' ? t('dossiers.useDossierDraft.someoneSavedThisDossier') : failure.message,
        )
      return null
    }
  }, [api, draft, familyRevealed, id, onSaved, prepare, revision, showFieldErrors])

  const reveal = useCallback(async () => {
    if (id === null) return
    try {
      const view = await api['dossiers:get']({ id, revealFamily: true })
      setDraft((d) => (d ? { ...d, family: view.dossier.family } : d))
      setFamilyCount(view.familyCount)
      setFamilyRevealed(true)
    } catch (err) {
      setError(describeError(err))
    }
  }, [api, id])

  /**
   * A stored dossier with no family contacts: opens the section for a first one without fetching anything (there is
   * nothing sealed to reveal, so nothing goes into the audit log). The save then replaces the empty list.
   */
  const addFirstFamilyContact = useCallback(() => {
    setDraft((d) => (d ? { ...d, family: { contacts: [newFamilyContact()] } } : d))
    setFamilyRevealed(true)
  }, [])

  /**
   * A new dossier: stores what was entered straight into dossier `keepId` — one call, so a merge that fails leaves no
   * second dossier behind. True when it was stored (the caller then opens `keepId`).
   */
  const saveInto = useCallback(
    async (keepId: string): Promise<boolean> => {
      const dossier = prepare()
      if (!dossier) return false
      try {
        await api['dossiers:createMerged']({ dossier, keepId })
      } catch (err) {
        throw err instanceof ApiError && err.code === 'NOT_FOUND'
          ? new ApiError({
              code: 'NOT_FOUND',
              message: t('dossiers.useDossierDraft.theOtherDossierIs'),
            })
          : err
      }
      setState('clean')
      return true
    },
    [api, prepare],
  )

  /** A stored dossier: saves pending edits first, then merges dossier `dropId` into this one and reloads it. */
  const mergeFrom = useCallback(
    async (dropId: string) => {
      if (id === null) return
      if (state === 'dirty' && !(await save())) return
      const result = await api['dossiers:merge']({ keepId: id, dropId })
      await load()
      setNotice(
        result.conflicts.length
          ? t('dossiers.useDossierDraft.mergedKeptThisDossier', { conflictsCount: result.conflicts.length })
          : t('dossiers.useDossierDraft.merged'),
      )
    },
    [api, id, load, save, state],
  )

  /**
   * After a file was deleted: main stored the dossier without the file's photo/timeline pointers (as `nextRevision`
   * when it had any); the draft drops them too, so unsaved edits stay and the next save neither conflicts nor brings
   * them back.
   */
  const forgetAttachment = useCallback((attachmentId: string, nextRevision: number) => {
    setRevision(nextRevision)
    setDraft((d) => (d === null ? d : dropAttachmentReferences(d, attachmentId)))
    setSaved((d) => (d === null ? d : dropAttachmentReferences(d, attachmentId)))
  }, [])

  return {
    draft,
    saved,
    revision,
    savedAt,
    familyCount,
    familyRevealed,
    sensitiveHidden,
    state,
    error,
    setError,
    fieldErrors,
    focusRequest,
    notice,
    setNotice,
    update,
    save,
    reveal,
    addFirstFamilyContact,
    saveInto,
    mergeFrom,
    forgetAttachment,
  }
}
