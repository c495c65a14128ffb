// Renderer: a folder path field with a native "Choose…" dialog (through main) next to it.
import { useApi } from '../../api/ApiProvider'
import { t } from '../../i18n/intl'

export function FolderField(props: {
  id: string
  label: string
  value: string
  purpose: 'create' | 'open' | 'sync'
  onChange: (dir: string) => void
  /** The field's problem in plain words, shown under it and read with it. */
  error?: string | null
  /** What belongs in the field, in words, under it. */
  hint?: string
}) {
  const api = useApi()
  const choose = async () => {
    const { dir } = await api['vault:chooseFolder']({ purpose: props.purpose })
    if (dir) props.onChange(dir)
  }
  const errorId = `${props.id}-error`
  const hintId = `${props.id}-hint`
  const describedBy = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      <div className="row">
        <input
          id={props.id}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          value={props.value}
          spellCheck={false}
          autoComplete="off"
          placeholder={t('vault.folderField.homeYouCustodia')}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <button type="button" onClick={() => void choose()}>
          {t('vault.folderField.choose')}
        </button>
      </div>
      {props.hint ? (
        <span className="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {props.error && (
        <span className="field-error" id={errorId} data-testid="field-error">
          {props.error}
        </span>
      )}
    </div>
  )
}
