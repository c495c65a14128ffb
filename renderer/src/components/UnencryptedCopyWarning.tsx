// Renderer: the warning shown before any attachment leaves the vault as a plain file — one wording everywhere.
import { t } from '../i18n/intl'

export function UnencryptedCopyWarning(props: { idPrefix: string; filename: string; onConfirm: () => void; onCancel: () => void }) {
  const titleId = `${props.idPrefix}-title`
  const textId = `${props.idPrefix}-text`
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-describedby={textId}>
      <p id={titleId}>
        <strong>{t('components.unencryptedCopyWarning.theCopyWillNot')}</strong>
      </p>
      <p id={textId}>{t('components.unencryptedCopyWarning.anyoneWithAccessTo', { filename: props.filename })}</p>
      <div className="row">
        <button type="button" className="primary" onClick={props.onConfirm}>
          {t('components.unencryptedCopyWarning.saveUnencryptedCopy')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('components.unencryptedCopyWarning.cancel')}
        </button>
      </div>
    </div>
  )
}
