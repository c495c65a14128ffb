// Renderer: the one place where a failed save of a library document becomes a sentence for the user — error codes
// and validation issues in, plain words that say what happened, that the text is still here, and the way out. No
// schema wording ("Invalid request", "Too big", "expected") ever reaches the screen from here.
import { MAX_REQUEST_BYTES } from '../../../../shared/ipc/contract'
import { MAX_NAME_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS, type LibraryDocument } from '../../../../shared/library/document'
import { ApiError } from '../../api/client'

/** The way out the editor offers: focus the title box, or reload the saved document. */
export type SaveFix = 'title' | 'reload'

export interface SaveFailure {
  message: string
  fix?: SaveFix
}

const KEPT = 'Your text is still here'
const TRY_AGAIN = `Not saved. ${KEPT}; Custodia will try again with your next change.`

/** Which part of the document a validation issue names ("document.recipients.0.name" → "recipients"). */
function issueField(path: string): string {
  return path.replace(/^document\./, '').split('.')[0] ?? ''
}

function describeValidation(error: ApiError, attempted: LibraryDocument | undefined): SaveFailure {
  const fields = new Set((error.issues ?? []).map((i) => issueField(i.path)))
  if (fields.has('title')) {
    if (attempted && attempted.title.trim() === '')
      return { message: 'Not saved: the title is empty. Give the document a title to save.', fix: 'title' }
    return { message: `Not saved: the title is longer than ${MAX_TITLE_CHARS} characters. Shorten it to save.`, fix: 'title' }
  }
  if (fields.has('recipients') || fields.has('cc') || fields.has('authorOrganisation'))
    return {
      message: `Not saved: a name or organisation is longer than ${MAX_NAME_CHARS} characters, or an entry is incomplete. Correct it under Details to save.`,
    }
  if (fields.has('tags'))
    return {
      message: `Not saved: a tag is longer than ${MAX_TAG_CHARS} characters, or there are more than ${MAX_TAGS} tags. Shorten the tags to save.`,
    }
  if (fields.has('date')) return { message: 'Not saved: the date is not a complete date. Correct it under Details to save.' }
  if (attempted && JSON.stringify(attempted).length > MAX_REQUEST_BYTES)
    return { message: `Not saved: the document is too long to save in one piece. ${KEPT}; move part of it into a new note to save.` }
  return { message: `Not saved: part of this document cannot be saved as it is. ${KEPT}.` }
}

/** Turns a failed `library:update` into what the editor shows; `attempted` is the document the save tried to write. */
export function describeSaveFailure(error: unknown, attempted?: LibraryDocument): SaveFailure {
  if (!(error instanceof ApiError)) return { message: TRY_AGAIN }
  switch (error.code) {
    case 'VALIDATION':
      return describeValidation(error, attempted)
    case 'VAULT_LOCKED':
      return { message: 'Not saved: the vault is locked. Unlock it, then change something to save.' }
    case 'CONFLICT':
      return { message: 'Not saved: this document was changed elsewhere. Copy your edits, then reload it.', fix: 'reload' }
    case 'NOT_FOUND':
      return { message: `Not saved: this document is no longer in the vault. ${KEPT}: copy it into a new note to keep it.` }
    default:
      // Disk full, a damaged file, anything unexpected: the edit stays unsaved and the next change retries.
      return { message: TRY_AGAIN }
  }
}
