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
        `${added} dossier${added === 1 ? '' : 's'} added to “${after.name}”` +
          (already > 0 ? ` (${already} ${already === 1 ? 'was' : 'were'} already in it).` : '.'),
      )
      onDone(after)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="selection-bar" role="region" aria-label="Selected dossiers" data-testid="selection-bar">
      <strong>{count} selected</strong>
      {lists.length === 0 ? (
        <span className="hint">Create a list under “Lists” to gather dossiers.</span>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            void add()
          }}
        >
          <label htmlFor="selection-list" className="inline-label">
            Add to list
          </label>
          <Select
            id="selection-list"
            value={listId}
            onChange={setListId}
            placeholder="Choose a list…"
            options={lists.map((l) => ({ value: l.id, label: l.name }))}
          />
          <Button type="submit" disabled={!listId || busy}>
            Add {count === 1 ? 'it' : `all ${count}`}
          </Button>
        </form>
      )}
      <Button variant="quiet" onClick={onClear}>
        Clear selection
      </Button>
      <ErrorMessage message={error} />
    </div>
  )
}
