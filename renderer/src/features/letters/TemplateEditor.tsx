// Renderer: editing a user template — name, language, page size, letterhead and logo, field labels and whether
// they are required, and the order of blocks — with the same live preview as letters. Saved encrypted in the vault.
import { useEffect, useState } from 'react'
import { PAGE_SIZES, TEMPLATE_LANGUAGES, type LetterTemplate } from '../../../../shared/letters/templateModel'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { PreviewFrame } from './PreviewFrame'
import { formatLanguage } from '../../i18n/format'
import { t } from '../../i18n/intl'

/** Logos travel inside IPC requests (≤ 1 MiB): 600 KB of image is about 800 KB as base64. */
export const MAX_LOGO_BYTES = 600 * 1024

/** Reads a PNG or JPEG file as a data: URL, checking its type and size first. Throws a readable Error. */
export async function readLogoFile(file: File): Promise<string> {
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') throw new Error(t('letters.templateEditor.theLogoMustBe'))
  if (file.size > MAX_LOGO_BYTES) throw new Error(t('letters.templateEditor.theLogoMustBe2'))
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return `data:${file.type};base64,${btoa(binary)}`
}

export function TemplateEditor({ template: initial, onClose }: { template: LetterTemplate; onClose: () => void }) {
  const api = useApi()
  const [template, setTemplate] = useState<LetterTemplate>(initial)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [previewUrl, setPreviewUrl] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    const timer = setTimeout(() => {
      api['letters:preview']({ template, data: {} })
        .then((r) => {
          if (!cancelled) {
            setPreviewUrl(r.url)
            setError(null)
          }
        })
        .catch((err: unknown) => !cancelled && setError(describeError(err)))
    }, 300)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [api, template])

  const set = <K extends keyof LetterTemplate>(key: K, value: LetterTemplate[K]) => {
    setNotice(null)
    setTemplate({ ...template, [key]: value })
  }
  const setLetterhead = (key: 'organisation' | 'address' | 'contact', value: string) => {
    const next = { ...template.letterhead, [key]: value }
    if (key !== 'organisation' && value === '') delete next[key]
    set('letterhead', next)
  }
  const moveBlock = (index: number, delta: number) => {
    const blocks = [...template.blocks]
    const [block] = blocks.splice(index, 1)
    blocks.splice(index + delta, 0, block!)
    set('blocks', blocks)
  }

  const save = async () => {
    setError(null)
    try {
      const { template: saved } = await api['templates:save']({ template })
      setTemplate(saved)
      setNotice(t('letters.templateEditor.templateSaved'))
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <section className="template-editor" aria-labelledby="template-editor-title">
      <header className="letter-editor-head">
        <button type="button" className="link" onClick={onClose}>
          {t('letters.templateEditor.letters')}
        </button>
        <h1 id="template-editor-title">{t('letters.templateEditor.editTemplate')}</h1>
        <button type="button" className="primary" onClick={() => void save()}>
          {t('letters.templateEditor.saveTemplate')}
        </button>
      </header>
      <ErrorMessage message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="letter-columns">
        <form className="letter-form" onSubmit={(e) => e.preventDefault()} aria-label={t('letters.templateEditor.template')}>
          <div className="field">
            <label htmlFor="tpl-name">{t('letters.templateEditor.name')}</label>
            <input id="tpl-name" value={template.name} onChange={(e) => set('name', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="tpl-description">{t('letters.templateEditor.description')}</label>
            <textarea id="tpl-description" rows={2} value={template.description} onChange={(e) => set('description', e.target.value)} />
          </div>
          <div className="row">
            <div className="field">
              <label htmlFor="tpl-language">{t('letters.templateEditor.language')}</label>
              <select
                id="tpl-language"
                value={template.language}
                onChange={(e) => set('language', e.target.value as LetterTemplate['language'])}
              >
                {TEMPLATE_LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {formatLanguage(l, { region: false }) ?? l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="tpl-page">{t('letters.templateEditor.pageSize')}</label>
              <select
                id="tpl-page"
                value={template.pageSize}
                onChange={(e) => set('pageSize', e.target.value as LetterTemplate['pageSize'])}
              >
                {PAGE_SIZES.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </div>
          </div>
          <fieldset className="letter-field">
            <legend>{t('letters.templateEditor.letterhead')}</legend>
            <div className="field">
              <label htmlFor="tpl-org">{t('letters.templateEditor.organisation')}</label>
              <input
                id="tpl-org"
                value={template.letterhead.organisation}
                onChange={(e) => setLetterhead('organisation', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="tpl-address">{t('letters.templateEditor.address')}</label>
              <textarea
                id="tpl-address"
                rows={2}
                value={template.letterhead.address ?? ''}
                onChange={(e) => setLetterhead('address', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="tpl-contact">{t('letters.templateEditor.contact')}</label>
              <input
                id="tpl-contact"
                value={template.letterhead.contact ?? ''}
                onChange={(e) => setLetterhead('contact', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="tpl-logo">{t('letters.templateEditor.logoPngOrJpeg')}</label>
              <input
                id="tpl-logo"
                type="file"
                accept="image/png,image/jpeg"
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (!file) return
                  readLogoFile(file).then(
                    (logo) => set('letterhead', { ...template.letterhead, logo }),
                    (err: unknown) => setError(err instanceof Error ? err.message : t('letters.templateEditor.theLogoCouldNot')),
                  )
                }}
              />
              {template.letterhead.logo && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const { logo: _logo, ...rest } = template.letterhead
                    set('letterhead', rest)
                  }}
                >
                  {t('letters.templateEditor.removeTheLogo')}
                </button>
              )}
            </div>
          </fieldset>
          <fieldset className="letter-field">
            <legend>{t('letters.templateEditor.fields')}</legend>
            {template.fields.map((field, i) => (
              <div className="row field-row" key={field.name}>
                <label className="visually-hidden" htmlFor={`tpl-field-${field.name}`}>
                  {t('letters.templateEditor.labelOf', { name: field.name })}
                </label>
                <input
                  id={`tpl-field-${field.name}`}
                  value={field.label}
                  onChange={(e) =>
                    set(
                      'fields',
                      template.fields.map((f, j) => (j === i ? { ...f, label: e.target.value } : f)),
                    )
                  }
                />
                <span className="hint">{field.type}</span>
                <label>
                  <input
                    type="checkbox"
                    checked={field.required}
                    onChange={(e) =>
                      set(
                        'fields',
                        template.fields.map((f, j) => (j === i ? { ...f, required: e.target.checked } : f)),
                      )
                    }
                  />{' '}
                  {t('letters.templateEditor.required')}
                </label>
              </div>
            ))}
          </fieldset>
          <fieldset className="letter-field">
            <legend>{t('letters.templateEditor.blocksInOrder')}</legend>
            <ol className="block-list">
              {template.blocks.map((block, i) => (
                <li key={`${block.type}-${i}`}>
                  <span>{block.type}</span>
                  <button
                    type="button"
                    className="link"
                    disabled={i === 0}
                    onClick={() => moveBlock(i, -1)}
                    aria-label={t('letters.templateEditor.moveUp', { type: block.type })}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="link"
                    disabled={i === template.blocks.length - 1}
                    onClick={() => moveBlock(i, 1)}
                    aria-label={t('letters.templateEditor.moveDown', { type: block.type })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="link"
                    disabled={template.blocks.length === 1}
                    onClick={() =>
                      set(
                        'blocks',
                        template.blocks.filter((_, j) => j !== i),
                      )
                    }
                    aria-label={t('letters.templateEditor.removeTheBlock', { type: block.type })}
                  >
                    {t('letters.templateEditor.remove')}
                  </button>
                </li>
              ))}
            </ol>
          </fieldset>
        </form>
        <div className="letter-preview">
          {previewUrl && <PreviewFrame title={t('letters.templateEditor.templatePreview')} url={previewUrl} />}
        </div>
      </div>
    </section>
  )
}
