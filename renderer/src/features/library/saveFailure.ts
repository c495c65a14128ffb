// Renderer: the one place where a failed save of a library document becomes a sentence for the user — error codes
// and validation issues in, plain words that say what happened, that the text is still here, and the way out. No
// schema wording ("Invalid request", "Too big", "expected") ever reaches the screen from here.
import { MAX_REQUEST_BYTES } from '../../../../shared/ipc/contract'
import { MAX_NAME_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS, type LibraryDocument } from '../../../../shared/library/document'
import { ApiError } from '../../api/client'
import { t } from '../../i18n/intl'

/** The way out the editor offers: focus the title box, or reload the saved document. */
export type SaveFix = 'title' | 'reload'

export interface SaveFailure {
  message: string
  fix?: SaveFix
}

const KEPT = t('library.saveFailure.yourTextIsStill')
const TRY_AGAIN = t('library.saveFailure.notSavedCustodiaWill', { KEPT })

/** Which part of the document a validation issue names ("document.recipients.0.name" → "recipients"). */
function issueField(path: string): string {
  return path.replace(/^document\./, '').split('.')[0] ?? ''
}

function describeValidation(error: ApiError, attempted: LibraryDocument | undefined): SaveFailure {
  const fields = new Set((error.issues ?? []).map((i) => issueField(i.path)))
  if (fields.has('title')) {
    if (attempted && attempted.title.trim() === '') return { message: t('library.saveFailure.notSavedTheTitle'), fix: 'title' }
    return { message: t('library.saveFailure.notSavedTheTitle2', { MAX_TITLE_CHARS }), fix: 'title' }
  }
  if (fields.has('recipients') || fields.has('cc') || fields.has('authorOrganisation'))
    return {
      message: t('library.saveFailure.notSavedAName', { MAX_NAME_CHARS }),
    }
  if (fields.has('tags'))
    return {
      message: t('library.saveFailure.notSavedATag', { MAX_TAG_CHARS, MAX_TAGS }),
    }
  if (fields.has('date')) return { message: t('library.saveFailure.notSavedTheDate') }
  if (attempted && JSON.stringify(attempted).length > MAX_REQUEST_BYTES)
    return { message: t('library.saveFailure.notSavedTheDocument', { KEPT }) }
  return { message: t('library.saveFailure.notSavedPartOf', { KEPT }) }
}

/** Turns a failed `library:update` into what the editor shows; `attempted` is the document the save tried to write. */
export function describeSaveFailure(error: unknown, attempted?: LibraryDocument): SaveFailure {
  if (!(error instanceof ApiError)) return { message: TRY_AGAIN }
  switch (error.code) {
    case 'VALIDATION':
      return describeValidation(error, attempted)
    case 'VAULT_LOCKED':
      return { message: t('library.saveFailure.notSavedTheVault') }
    case 'CONFLICT':
      return { message: t('library.saveFailure.notSavedThisDocument'), fix: 'reload' }
    case 'NOT_FOUND':
      return { message: t('library.saveFailure.notSavedThisDocument2', { KEPT }) }
    default:
      // Disk full, a damaged file, anything unexpected: the edit stays unsaved and the next change retries.
      return { message: TRY_AGAIN }
  }
}
