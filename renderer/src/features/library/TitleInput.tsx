// Renderer: the document's title box (wraps onto more lines rather than hiding the end of a long title) — stops at the contract's limit (MAX_TITLE_CHARS, the number the save
// schema checks), and shows a quiet "480 / 500" counter once the title is within 10 % of it.
import { type Ref } from 'react'
import { MAX_TITLE_CHARS } from '../../../../shared/library/document'
import { t } from '../../i18n/intl'

/** The counter appears from this share of the limit on. */
const COUNTER_FROM = 0.9

/**
 * Cuts `value` to `max` UTF-16 code units (what maxLength and zod count) without leaving half a surrogate pair.
 * maxLength already stops typing and pasting in the browser; this also holds for values set by script.
 */
export function clampToLimit(value: string, max: number): string {
  if (value.length <= max) return value
  const cut = value.slice(0, max)
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

export function TitleInput({
  value,
  onChange,
  inputRef,
  invalid,
  describedBy,
}: {
  value: string
  onChange: (title: string) => void
  inputRef?: Ref<HTMLTextAreaElement>
  invalid?: boolean
  describedBy?: string
}) {
  const showCounter = value.length >= MAX_TITLE_CHARS * COUNTER_FROM
  return (
    <span className="title-field">
      {/* A one-line title that wraps instead of scrolling out of sight: a text area that grows with its text
          (field-sizing), where Enter does nothing and pasted line breaks become spaces. */}
      <textarea
        ref={inputRef}
        className="title-input"
        aria-label={t('library.titleInput.title')}
        placeholder={t('library.titleInput.untitled')}
        rows={1}
        maxLength={MAX_TITLE_CHARS}
        aria-invalid={invalid || undefined}
        aria-describedby={[showCounter ? 'title-counter' : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined}
        value={value}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault()
        }}
        onChange={(e) => onChange(clampToLimit(e.target.value.replace(/\s*[\r\n]+\s*/g, ' '), MAX_TITLE_CHARS))}
      />
      {showCounter && (
        <span className="title-counter" id="title-counter" data-testid="title-counter">
          {value.length} / {MAX_TITLE_CHARS}
        </span>
      )}
    </span>
  )
}
