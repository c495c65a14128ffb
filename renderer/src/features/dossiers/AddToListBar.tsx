// Renderer: what the dossier table does with the rows ticked in it — add them all to a named list in one write
// (the list drops those already in it), then clear the ticks. Shown only while something is ticked.
import { useState } from 'react'
import type { DossierListView } from '../../../../shared/ipc/channels/dossierChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Select } from '../../components/Select'
import { useToast } from '../../components/Toast'
import { t } from '../../i18n/intl'

export function AddToListBar({
  selectedIds,
  lists,
  onDone,
  onClear,
}: {
  selectedIds: readonly string[]
  lists: readonly DossierListView[]
  /** After a successful add: the list as it is now. */
  onDone: (list: DossierListView) => void
  onClear: () => void
}) {
  const api = useApi()
  const toast = useToast()
  const [listId, setListId] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const count = selectedIds.length

  const add = async (): Promise<void> => {
    const list = lists.find((l) => l.id === listId)
    if (!list) return
    setBusy(true)
    setError(null)
    try {
      const before = list.dossierIds.length
      const after = await api['dossiers:addToList']({ id: list.id, dossierIds: [...selectedIds] })
      const added = after.dossierIds.length - before
      const already = count - added
      toast(
        t('dossiers.addToListBar.dossierAddedTo', { added, name: after.name }) +
          (already > 0 ? t('dossiers.addToListBar.alreadyInIt', { already }) : '.'),
      )
      onDone(after)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="selection-bar" role="region" aria-label={t('dossiers.addToListBar.selectedDossiers')} data-testid="selection-bar">
      <strong>{t('dossiers.addToListBar.selected', { count })}</strong>
      {lists.length === 0 ? (
        <span className="hint">{t('dossiers.addToListBar.createAListUnder')}</span>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            void add()
          }}
        >
          <label htmlFor="selection-list" className="inline-label">
            {t('dossiers.addToListBar.addToList')}
          </label>
          <Select
            id="selection-list"
            value={listId}
            onChange={setListId}
            placeholder={t('dossiers.addToListBar.chooseAList')}
            options={lists.map((l) => ({ value: l.id, label: l.name }))}
          />
          <Button type="submit" disabled={!listId || busy}>
            {t('dossiers.addToListBar.add', {
              value: count === 1 ? t('dossiers.addToListBar.it') : t('dossiers.addToListBar.all', { count }),
            })}
          </Button>
        </form>
      )}
      <Button variant="quiet" onClick={onClear}>
        {t('dossiers.addToListBar.clearSelection')}
      </Button>
      <ErrorMessage message={error} />
    </div>
  )
}
