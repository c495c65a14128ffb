// Main process / CLI (Node only): who is working — the vault member who unlocked (issue #17), or, where a vault has no
// member to name (only one found changed outside Custodia), the operating-system account name; recorded inside the
// vault as the author of revisions, imports and annotations. The app's handlers and the CLI both ask here.
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

/**
 * An annotation author, which needs an id and a name: the member (their member id and name), else the account name,
 * else 'local' / 'Local user'.
 */
export function readAuthorPerson(member: { id: string; name: string } | null = null): Person {
  if (member) return { id: member.id, name: member.name }
  const name = readAuthorName()
  return { id: name || 'local', name: name || 'Local user' }
}

/** The author name for what is saved in `vault`: its member's name, else the account name. */
export function authorName(vault: { readonly member: { name: string } | null }): string {
  return vault.member?.name ?? readAuthorName()
}
