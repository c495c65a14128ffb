// Renderer: "This may be a person already in the vault" — while names are entered, the dossier form asks main for
// dossiers with the same or a similar name (and birth year), debounced, and offers Open and Merge for each.
import { useEffect, useState } from 'react'
import { readBirthYear, type Dossier } from '../../../../shared/dossiers/dossier'
import type { DuplicateMatchView } from '../../../../shared/ipc/channels/dossierChannels'
import { useApi } from '../../api/ApiProvider'
import { t } from '../../i18n/intl'
import { dossierStatusName } from '../../i18n/codeNames'

/** Possible duplicates of the person in `draft` (`id`: the dossier itself, left out); [] while none or unknown. */
export function useDuplicateCheck(draft: Dossier | null, id: string | null): DuplicateMatchView[] {
  const api = useApi()
  const [duplicates, setDuplicates] = useState<DuplicateMatchView[]>([])
  const nameKey = draft
    ? JSON.stringify([draft.names.original, draft.names.transliteration ?? '', draft.names.otherSpellings, readBirthYear(draft.birth)])
    : ''
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
    const year = readBirthYear({
      ...draft.birth,
      ...(typeof draft.birth.year === 'number' && Number.isNaN(draft.birth.year) ? { year: undefined } : {}),
    })
    let live = true
    // Debounced so typing stays smooth.
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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id, nameKey])
  return duplicates
}

export function DuplicateWarning({
  matches,
  onOpen,
  onMerge,
}: {
  matches: DuplicateMatchView[]
  onOpen: (id: string) => void
  onMerge: (match: DuplicateMatchView) => void
}) {
  if (matches.length === 0) return null
  return (
    <div className="duplicates" role="region" aria-label={t('dossiers.duplicateWarning.possibleDuplicates')} data-testid="duplicates">
      <strong>{t('dossiers.duplicateWarning.thisMayBeA')}</strong>
      <ul>
        {matches.slice(0, 5).map((m) => (
          <li key={m.id}>
            <span>
              {m.name}
              {m.transliteration && m.transliteration !== m.name ? ` (${m.transliteration})` : ''} — {dossierStatusName(m.status)}
              {m.birthYear !== null ? t('dossiers.duplicateWarning.born', { birthYear: m.birthYear }) : ''}
              {m.reason === 'same-name' ? t('dossiers.duplicateWarning.sameName') : t('dossiers.duplicateWarning.similarName')}
            </span>
            <button type="button" onClick={() => onOpen(m.id)}>
              {t('dossiers.duplicateWarning.open')}
            </button>
            <button type="button" onClick={() => onMerge(m)}>
              {t('dossiers.duplicateWarning.merge')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
