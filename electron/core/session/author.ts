// Main process / CLI (Node only): who is working — the operating-system account name, recorded inside the vault as the
// author of revisions, imports and annotations. The app's handlers and the CLI both ask here, so both write the same.
import { userInfo } from 'node:os'
import type { Person } from '../../../shared/annotations/annotationModel'

/** Longest account name kept (longer ones are cut, never refused). */
const MAX_AUTHOR_CHARS = 200

/** The account name, or '' when the account has none (some sandboxed or containerised accounts lack a passwd entry). */
export function readAuthorName(): string {
  try {
    return userInfo().username.slice(0, MAX_AUTHOR_CHARS)
  } catch {
    return ''
  }
}

/** The same person as an annotation author, which needs an id and a name: 'local' / 'Local user' without an account. */
export function readAuthorPerson(): Person {
  const name = readAuthorName()
  return { id: name || 'local', name: name || 'Local user' }
}
