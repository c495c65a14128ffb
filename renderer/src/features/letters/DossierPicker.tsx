// Renderer: chooses the dossiers a letter's annex lists — one by one, or all members of a dossier list. Only ids
// travel into the letter; main applies consent for the chosen audience when it renders.
import { useEffect, useState } from 'react'
import type { DossierListItem, DossierListView } from '../../../../shared/ipc/channels/dossierChannels'
import type { FieldDef } from '../../../../shared/letters/templateModel'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { t } from '../../i18n/intl'

function displayName(d: DossierListItem): string {
  return d.transliteration ? `${d.name} (${d.transliteration})` : d.name
}

export function DossierPicker(props: { field: FieldDef; idPrefix: string; value: unknown; onChange: (ids: string[]) => void }) {
  const api = useApi()
  const selected = Array.isArray(props.value) ? props.value.filter((v): v is string => typeof v === 'string') : []
  const [dossiers, setDossiers] = useState<DossierListItem[]>([])
  const [lists, setLists] = useState<DossierListView[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    Promise.all([api['dossiers:list']({}), api['dossiers:listLists']({})]).then(
      ([all, named]) => {
        setDossiers(all.dossiers)
        setLists(named.lists)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }, [api])

  const byId = new Map(dossiers.map((d) => [d.id, d]))
  const add = (ids: string[]) => props.onChange([...selected, ...ids.filter((id) => !selected.includes(id))])
  const remove = (id: string) => props.onChange(selected.filter((s) => s !== id))

  return (
    <fieldset className="field dossier-picker">
      <legend>{props.field.label}</legend>
      {props.field.help ? <p className="hint">{props.field.help}</p> : null}
      {selected.length > 0 ? (
        <ul className="chosen-dossiers" data-testid={`${props.idPrefix}-chosen`}>
          {selected.map((id) => {
            const d = byId.get(id)
            return (
              <li key={id}>
                <span>{d ? displayName(d) : t('letters.dossierPicker.aDossierNoLonger')}</span>
                <button
                  type="button"
                  className="link"
                  onClick={() => remove(id)}
                  aria-label={t('letters.dossierPicker.remove2', { value: d ? displayName(d) : 'dossier' })}
                >
                  {t('letters.dossierPicker.remove')}
                </button>
              </li>
            )
          })}
        </ul>
      ) : (
        <p className="hint">{t('letters.dossierPicker.noDossiersChosenThe')}</p>
      )}
      <div className="row">
        <label className="visually-hidden" htmlFor={`${props.idPrefix}-add`}>
          {t('letters.dossierPicker.addADossierTo', { label: props.field.label })}
        </label>
        <select
          id={`${props.idPrefix}-add`}
          value=""
          onChange={(e) => {
            if (e.target.value) add([e.target.value])
          }}
        >
          <option value="">{t('letters.dossierPicker.addADossier')}</option>
          {dossiers
            .filter((d) => !selected.includes(d.id))
            .map((d) => (
              <option key={d.id} value={d.id}>
                {displayName(d)}
              </option>
            ))}
        </select>
        <label className="visually-hidden" htmlFor={`${props.idPrefix}-list`}>
          {t('letters.dossierPicker.addEveryDossierOf', { label: props.field.label })}
        </label>
        <select
          id={`${props.idPrefix}-list`}
          value=""
          onChange={(e) => {
            const list = lists.find((l) => l.id === e.target.value)
            if (list) add(list.dossierIds)
          }}
        >
          <option value="">{t('letters.dossierPicker.addAWholeList')}</option>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.dossierIds.length})
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage message={error} />
    </fieldset>
  )
}
