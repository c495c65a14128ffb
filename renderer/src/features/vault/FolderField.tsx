// Renderer: a folder path field with a native "Choose…" dialog (through main) next to it.
import { useApi } from '../../api/ApiProvider'

export function FolderField(props: {
  id: string
  label: string
  value: string
  purpose: 'create' | 'open'
  onChange: (dir: string) => void
}) {
  const api = useApi()
  const choose = async () => {
    const { dir } = await api['vault:chooseFolder']({ purpose: props.purpose })
    if (dir) props.onChange(dir)
  }
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="row">
        <input
          id={props.id}
          value={props.value}
          spellCheck={false}
          autoComplete="off"
          placeholder="/home/you/Custodia"
          onChange={(e) => props.onChange(e.target.value)}
        />
        <button type="button" onClick={() => void choose()}>
          Choose…
        </button>
      </div>
    </div>
  )
}
