// Renderer: the warning shown before any attachment leaves the vault as a plain file — one wording everywhere.

export function UnencryptedCopyWarning(props: { idPrefix: string; filename: string; onConfirm: () => void; onCancel: () => void }) {
  const titleId = `${props.idPrefix}-title`
  const textId = `${props.idPrefix}-text`
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-describedby={textId}>
      <p id={titleId}>
        <strong>The copy will not be encrypted.</strong>
      </p>
      <p id={textId}>
        Anyone with access to the folder you choose — or to a backup or cloud sync of it — can read “{props.filename}”. Delete the copy when
        you no longer need it.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={props.onConfirm}>
          Save unencrypted copy…
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}
