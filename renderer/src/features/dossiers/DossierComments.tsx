// Renderer: the comments of a saved dossier's long text fields — how many each field has (for the "Comments (n)"
// toggles) and the panel beside the form with the open field's notes (FieldAnnotations).
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import type { Dossier } from '../../../../shared/dossiers/dossier'
import { resolveJsonPointer } from '../../../../shared/annotations/jsonPointer'
import { useApi } from '../../api/ApiProvider'
import { FieldAnnotations } from '../annotations/FieldAnnotations'
import type { CommentsContext } from './dossierFormParts'
import { t } from '../../i18n/intl'

/**
 * `comments`: what the toggles need (null for a dossier not saved yet: notes anchor to a stored body). `aside`: the
 * panel of the open field, or null.
 */
export function useFieldComments(
  id: string | null,
  saved: Dossier | null,
  draft: Dossier | null,
): { comments: CommentsContext | null; aside: ReactNode } {
  const api = useApi()
  const [counts, setCounts] = useState<ReadonlyMap<string, number>>(new Map())
  const [open, setOpen] = useState<{ pointer: string; label: string } | null>(null)

  // How many annotations each field has (by JSON pointer).
  const loadCounts = useCallback(async () => {
    if (id === null) return
    try {
      const listed = await api['annotations:list']({ recordId: id })
      const next = new Map<string, number>()
      for (const { annotation } of listed.annotations) {
        const field = annotation.target.field
        if (field !== undefined) next.set(field, (next.get(field) ?? 0) + 1)
      }
      setCounts(next)
    } catch {
      setCounts(new Map())
    }
  }, [api, id])

  useEffect(() => {
    void loadCounts()
  }, [loadCounts])

  const comments: CommentsContext | null =
    id !== null && saved
      ? {
          saved,
          counts,
          open: open?.pointer ?? null,
          onToggle: (pointer, label) => {
            // Counts are refreshed whenever a panel closes or gives way to another: notes may have been added there.
            void loadCounts()
            setOpen((o) => (o?.pointer === pointer ? null : { pointer, label }))
          },
        }
      : null
  if (!open || !comments || id === null) return { comments, aside: null }

  const text = draft ? resolveJsonPointer(draft, open.pointer) : undefined
  const aside = (
    <aside className="comments-aside" aria-labelledby="comments-aside-title" data-testid="comments-aside">
      <div className="item-head">
        <h2 id="comments-aside-title">{t('dossiers.dossierComments.commentsOn', { label: open.label })}</h2>
        <button
          type="button"
          className="link"
          onClick={() => {
            setOpen(null)
            void loadCounts()
          }}
        >
          {t('dossiers.dossierComments.hideComments')}
        </button>
      </div>
      <FieldAnnotations
        key={open.pointer}
        recordId={id}
        field={open.pointer}
        text={typeof text === 'string' ? text : ''}
        label={open.label}
        onChanged={() => void loadCounts()}
      />
    </aside>
  )
  return { comments, aside }
}
