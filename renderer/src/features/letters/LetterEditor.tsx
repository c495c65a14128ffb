// Renderer: drafting one letter — the template's fields beside the live preview (the exact HTML that prints, in a
// sandboxed frame served by main), autosave into the vault, a list of what is missing, export, mail merge, sent.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useSaveShortcut } from '../../hooks/useSaveShortcut'
import { useAsync } from '../../hooks/useAsync'
import type { LetterAudienceChoice, LetterReport } from '../../../../shared/ipc/channels/letterChannels'
import type { LetterTemplate } from '../../../../shared/letters/templateModel'
import { ApiError, describeError } from '../../api/client'
import { isPlaceholderRefusal } from '../../../../shared/organisation/profile'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { PreviewFrame } from './PreviewFrame'
import { Autosaver, type AutosaveState } from '../library/autosave'
import { DossierPicker } from './DossierPicker'
import { FieldInput } from './FieldInputs'
import { cleanLetterData, countRecipients, isDossierField, type FormData } from './letterForm'
import { t } from '../../i18n/intl'

const PREVIEW_DELAY_MS = 250
type Format = 'pdf' | 'docx' | 'txt'
/** Problems that stop an export, under one heading per kind ("Too long:", "Before exporting, fill in:"). */
type BlockingGroup = { heading: string; items: string[] }

export interface DraftRef {
  id: string
  revision: number
  status: string
}

const SAVE_LABELS: Record<AutosaveState['status'], string> = {
  idle: t('letters.letterEditor.notSavedYet'),
  dirty: t('letters.letterEditor.unsavedChanges'),
  saving: t('letters.letterEditor.saving'),
  saved: t('letters.letterEditor.saved'),
  error: t('letters.letterEditor.notSaved'),
}

export function LetterEditor({
  template,
  initialData,
  initialDraft,
  onClose,
  onOpenDraft,
}: {
  template: LetterTemplate
  initialData: FormData
  initialDraft: DraftRef | null
  onClose: () => void
  onOpenDraft: (id: string) => void
}) {
  const api = useApi()
  const [data, setData] = useState<FormData>(initialData)
  const [draft, setDraft] = useState<DraftRef | null>(initialDraft)
  const draftRef = useRef<DraftRef | null>(initialDraft)
  const [save, setSave] = useState<AutosaveState>({ status: initialDraft ? 'saved' : 'idle' })
  const [previewUrl, setPreviewUrl] = useState<string | null>(null)
  const [report, setReport] = useState<LetterReport | null>(null)
  // Who reads the letter decides which dossiers its annex may list (consent); the narrowest choice by default.
  const [audience, setAudience] = useState<LetterAudienceChoice>({ kind: 'public' })
  const [annexCount, setAnnexCount] = useState<{ included: number; omitted: number } | null>(null)
  // What the organisation profile puts in an empty place or signatories field, said under the field (core fills it in
  // at render, so an empty required field there is not a mistake).
  const [fallbacks, setFallbacks] = useState<Record<string, string>>({})
  useEffect(() => {
    let live = true
    api['organisation:getProfile']({}).then(
      ({ profile }) => {
        if (!live || !profile) return
        const found: Record<string, string> = {}
        for (const block of template.blocks) {
          if ((block.type === 'placeDate' || block.type === 'dateline') && block.placeField && profile.defaultPlace)
            found[block.placeField] = `“${profile.defaultPlace}”`
          if (block.type === 'signatories' && profile.signatories.length > 0)
            found[block.field] = t('letters.letterEditor.theSignatories', {
              signatories: profile.signatories.map((p) => p.name).join(' and '),
            })
        }
        setFallbacks(found)
      },
      // Without the profile the fields just have no such line.
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api, template])
  const [blocking, setBlocking] = useState<BlockingGroup[] | null>(null)
  const outcomeRef = useRef<HTMLDivElement>(null)
  const { busy, error, details, setError, run: runAction } = useAsync()
  const [notice, setNotice] = useState<string | null>(null)
  // What an action says is shown under its buttons and brought into view there.
  useEffect(() => {
    if (notice || blocking) outcomeRef.current?.scrollIntoView?.({ block: 'nearest' })
  }, [notice, blocking])
  const [mergeFormat, setMergeFormat] = useState<Format>('pdf')
  // A letter that still shows a placeholder ("[Organisation name]") is refused by core; the user may confirm and resend.
  const [placeholderRefusal, setPlaceholderRefusal] = useState<{ message: string; resend: () => void } | null>(null)
  const sent = draft?.status === 'sent'
  const cleaned = useMemo(() => cleanLetterData(template, data), [template, data])

  const autosaver = useMemo(
    () =>
      new Autosaver<FormData>(
        async (value) => {
          const current = draftRef.current
          const ref = await api['letters:saveDraft']({
            templateId: template.id,
            data: value,
            ...(current ? { id: current.id, expectedRevision: current.revision } : {}),
          })
          draftRef.current = { id: ref.id, revision: ref.revision, status: 'draft' }
          setDraft(draftRef.current)
        },
        setSave,
        describeError,
      ),
    [api, template.id],
  )
  useEffect(() => () => autosaver.dispose(), [autosaver])

  // Live preview: re-rendered in main shortly after typing stops; the frame's src changes to the new token.
  useEffect(() => {
    let cancelled = false
    const timer = setTimeout(() => {
      api['letters:preview']({ templateId: template.id, data: cleaned, audience })
        .then((result) => {
          if (cancelled) return
          setPreviewUrl(result.url)
          setReport(result.report)
          setAnnexCount(result.annex)
        })
        .catch((err: unknown) => !cancelled && setError(describeError(err)))
    }, PREVIEW_DELAY_MS)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [api, template.id, cleaned, audience, setError])

  // Ctrl+S saves at once (autosave would in half a second anyway).
  const flush = useCallback(() => autosaver.flush(), [autosaver])
  useSaveShortcut(flush)

  const update = (name: string, value: unknown) => {
    if (sent) return
    const next = { ...data, [name]: value }
    setData(next)
    setBlocking(null)
    autosaver.change(cleanLetterData(template, next))
  }

  /** What stops an export, under a heading that fits each kind; only groups with something in them. */
  const problems = (): BlockingGroup[] => {
    if (!report) return [{ heading: t('letters.letterEditor.notYet'), items: [t('letters.letterEditor.thePreviewIsNot')] }]
    const groups: BlockingGroup[] = [
      {
        heading: t('letters.letterEditor.tooLong'),
        items: report.invalid.filter((i) => i.tooLong).map((i) => `${labelOf(i.field)} ${i.message}`),
      },
      {
        heading: t('letters.letterEditor.beforeExportingFillIn'),
        items: report.missing.map((m) => t('letters.letterEditor.isRequired', { label: m.label })),
      },
      {
        heading: t('letters.letterEditor.notValid'),
        items: report.invalid.filter((i) => !i.tooLong).map((i) => `${labelOf(i.field)}: ${i.message}`),
      },
    ]
    return groups.filter((g) => g.items.length > 0)
  }
  const labelOf = (name: string) => template.fields.find((f) => f.name === name)?.label ?? name

  const run = (work: () => Promise<void>) => {
    setNotice(null)
    return runAction(work)
  }

  const exportAs = (format: Format) =>
    run(async () => {
      const list = problems()
      if (list.length > 0) {
        setBlocking(list)
        return
      }
      const send = async (confirmPlaceholders: boolean) => {
        // The refusal names every problem (placeholders, a long CC list): one "Export anyway" confirms what it named.
        const confirmLongCc = confirmPlaceholders
        const { path } = await api['letters:export']({
          templateId: template.id,
          data: cleaned,
          format,
          audience,
          confirmPlaceholders,
          confirmLongCc,
        })
        if (path) setNotice(t('letters.letterEditor.exportedToAnUnencrypted', { format: format.toUpperCase(), path }))
      }
      await askAboutPlaceholders(send)
    })

  /** Sends once; when core refuses only because of placeholders, asks, and on "Export anyway" sends confirmed. */
  const askAboutPlaceholders = async (send: (confirmPlaceholders: boolean) => Promise<void>) => {
    try {
      await send(false)
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'VALIDATION' && isPlaceholderRefusal(err.message))) throw err
      setPlaceholderRefusal({ message: err.message, resend: () => void run(() => send(true)) })
    }
  }

  const merge = () =>
    run(async () => {
      const list = problems()
      if (list.length > 0) {
        setBlocking(list)
        return
      }
      await askAboutPlaceholders(async (confirmPlaceholders) => {
        const { dir, files } = await api['letters:merge']({
          templateId: template.id,
          data: cleaned,
          format: mergeFormat,
          audience,
          confirmPlaceholders,
          confirmLongCc: confirmPlaceholders,
        })
        if (dir) setNotice(t('letters.letterEditor.wroteLettersTo', { filesCount: files.length, dir, files: files.join(', ') }))
      })
    })

  const markSent = () =>
    run(async () => {
      const list = problems()
      if (list.length > 0) {
        setBlocking(list)
        return
      }
      await autosaver.flush()
      const current = draftRef.current
      if (!current) return
      const ref = await api['letters:markSent']({ id: current.id, expectedRevision: current.revision })
      draftRef.current = { id: ref.id, revision: ref.revision, status: 'sent' }
      setDraft(draftRef.current)
      setNotice(t('letters.letterEditor.markedAsSentThe'))
    })

  const copy = () =>
    run(async () => {
      const current = draftRef.current
      if (!current) return
      const ref = await api['letters:copyDraft']({ id: current.id })
      onOpenDraft(ref.id)
    })

  const recipients = countRecipients(template, data)
  const invalidByField = new Map((report?.invalid ?? []).map((i) => [i.field, i.message]))

  return (
    <section className="letter-editor" aria-labelledby="letter-editor-title">
      <header className="letter-editor-head">
        <button type="button" className="link" onClick={() => void autosaver.flush().finally(onClose)}>
          {t('letters.letterEditor.letters')}
        </button>
        <h1 id="letter-editor-title">{template.name}</h1>
        <span className={`save-state save-${save.status}`} role="status" data-testid="save-state">
          {sent
            ? t('letters.letterEditor.sentFrozen')
            : save.status === 'error'
              ? `${SAVE_LABELS.error}: ${save.message ?? ''}`
              : SAVE_LABELS[save.status]}
        </span>
      </header>
      <ErrorMessage message={error} details={details} />
      {placeholderRefusal && (
        <ConfirmDialog
          title={t('letters.letterEditor.exportWithPlaceholders')}
          confirmLabel={t('letters.letterEditor.exportAnyway')}
          onCancel={() => setPlaceholderRefusal(null)}
          onConfirm={() => {
            const { resend } = placeholderRefusal
            setPlaceholderRefusal(null)
            resend()
          }}
        >
          <p>{placeholderRefusal.message}</p>
        </ConfirmDialog>
      )}
      <div className="letter-columns">
        <form className="letter-form" onSubmit={(e) => e.preventDefault()} aria-label={t('letters.letterEditor.letterFields')}>
          <fieldset disabled={sent} className="plain">
            {template.fields.map((field) =>
              isDossierField(field) ? (
                <DossierPicker
                  key={field.name}
                  field={field}
                  idPrefix={`lf-${field.name}`}
                  value={data[field.name]}
                  onChange={(ids) => update(field.name, ids)}
                />
              ) : (
                <FieldInput
                  key={field.name}
                  field={field}
                  value={data[field.name]}
                  idPrefix={`lf-${field.name}`}
                  onChange={(value) => update(field.name, value)}
                  {...(invalidByField.has(field.name) ? { invalid: invalidByField.get(field.name)! } : {})}
                  {...(fallbacks[field.name] ? { fallback: fallbacks[field.name] } : {})}
                />
              ),
            )}
          </fieldset>
          <AudienceChoice audience={audience} onChange={setAudience} annex={annexCount} />
          <div className="letter-actions" role="group" aria-label={t('letters.letterEditor.export')}>
            <span>{t('letters.letterEditor.export2')}</span>
            {(['pdf', 'docx', 'txt'] as const).map((format) => (
              <button
                key={format}
                type="button"
                className={format === 'pdf' ? 'primary' : ''}
                disabled={busy}
                onClick={() => void exportAs(format)}
              >
                {format.toUpperCase()}
              </button>
            ))}
          </div>
          {recipients >= 2 && (
            <div className="letter-actions" role="group" aria-label={t('letters.letterEditor.mailMerge')}>
              <span>{t('letters.letterEditor.mailMergeOneLetter', { recipients })}</span>
              <label className="visually-hidden" htmlFor="merge-format">
                {t('letters.letterEditor.mailMergeFormat')}
              </label>
              <select id="merge-format" value={mergeFormat} onChange={(e) => setMergeFormat(e.target.value as Format)}>
                <option value="pdf">{t('letters.letterEditor.pdf')}</option>
                <option value="docx">{t('letters.letterEditor.docx')}</option>
                <option value="txt">{t('letters.letterEditor.txt')}</option>
              </select>
              <button type="button" disabled={busy} onClick={() => void merge()}>
                {t('letters.letterEditor.exportLetters', { recipients })}
              </button>
            </div>
          )}
          <div className="letter-actions">
            {sent ? (
              <button type="button" onClick={() => void copy()} disabled={busy}>
                {t('letters.letterEditor.makeANewDraft')}
              </button>
            ) : (
              <button type="button" onClick={() => void markSent()} disabled={busy || !draft}>
                {t('letters.letterEditor.markAsSent')}
              </button>
            )}
          </div>
          {/* Under the buttons that caused them: the top of a long letter is scrolled away when Export is clicked. */}
          <div ref={outcomeRef}>
            {notice && (
              <p className="notice" role="status" data-testid="notice">
                {notice}
              </p>
            )}
            {blocking && blocking.length > 0 && (
              <div className="missing" role="alert" data-testid="missing">
                {blocking.map((group) => (
                  <div key={group.heading}>
                    <p>{group.heading}</p>
                    <ul>
                      {group.items.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            )}
          </div>
        </form>
        <div className="letter-preview">
          {report && (report.missing.length > 0 || report.invalid.length > 0) && (
            <p className="hint" data-testid="preview-missing">
              {t('letters.letterEditor.stillMissing', {
                value: report.missing.map((m) => m.label).join(', ') || t('letters.letterEditor.nothing'),
                value2:
                  report.invalid.length > 0
                    ? t('letters.letterEditor.toCorrect', { invalid: report.invalid.map((i) => labelOf(i.field)).join(', ') })
                    : '',
              })}
            </p>
          )}
          {previewUrl ? (
            <PreviewFrame title={t('letters.letterEditor.letterPreview')} url={previewUrl} testId="letter-preview" />
          ) : (
            <p className="hint">{t('letters.letterEditor.preparingThePreview')}</p>
          )}
        </div>
      </div>
    </section>
  )
}

/** Who will read the letter; shown with what the annex includes and leaves out for that audience. */
function AudienceChoice(props: {
  audience: LetterAudienceChoice
  onChange: (a: LetterAudienceChoice) => void
  annex: { included: number; omitted: number } | null
}) {
  const { audience } = props
  const partner = audience.kind === 'partner' ? audience.partner : ''
  return (
    <fieldset className="field audience">
      <legend>{t('letters.letterEditor.whoWillReadThis')}</legend>
      <div className="row">
        <label className="visually-hidden" htmlFor="letter-audience">
          {t('letters.letterEditor.audience')}
        </label>
        <select
          id="letter-audience"
          value={audience.kind ?? 'public'}
          onChange={(e) => {
            const kind = e.target.value
            props.onChange(
              kind === 'partner' ? { kind: 'partner', partner } : kind === 'internal' ? { kind: 'internal' } : { kind: 'public' },
            )
          }}
        >
          <option value="public">{t('letters.letterEditor.thePublicPressAny')}</option>
          <option value="partner">{t('letters.letterEditor.aNamedPartner')}</option>
          <option value="internal">{t('letters.letterEditor.ourOrganisationOnly')}</option>
        </select>
        {audience.kind === 'partner' && (
          <>
            <label className="visually-hidden" htmlFor="letter-partner">
              {t('letters.letterEditor.partnerName')}
            </label>
            <input
              id="letter-partner"
              placeholder={t('letters.letterEditor.partnerAsNamedIn')}
              value={partner}
              onChange={(e) => props.onChange({ kind: 'partner', partner: e.target.value })}
            />
          </>
        )}
      </div>
      {props.annex && (
        <p className="hint" data-testid="annex-count">
          {t('letters.letterEditor.annexCaseListed', {
            included: props.annex.included,
            value2: props.annex.omitted > 0 ? t('letters.letterEditor.leftOutBecauseConsent', { omitted: props.annex.omitted }) : '',
          })}
        </p>
      )}
    </fieldset>
  )
}
