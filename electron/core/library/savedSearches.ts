// Main process (Node): saved searches, kept as encrypted vault records of kind 'saved-search' (a query can name
// a person, so it never goes into the plaintext settings table).
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { searchFilterSchema, type SavedSearch, type SearchFilterInput } from '../../../shared/ipc/channels/libraryChannels'
import type { SearchExtractorRegistration } from '../search/extractors'
import type { Vault } from '../vault/vault'

export const SAVED_SEARCH_KIND = 'saved-search'

/**
 * A saved search is a tool, not a document: it contributes nothing, so it stays out of search results and facets
 * (the fallback would index its name). Part of the app's extractor set (electron/core/app/services.ts).
 */
export const savedSearchExtractor: SearchExtractorRegistration = { kind: SAVED_SEARCH_KIND, extract: () => null }
const MAX_SAVED = 200

const bodySchema = z.strictObject({ name: z.string().min(1).max(120), query: z.string().max(1000), filter: searchFilterSchema })

/** Saved searches, by name. Records that do not parse are skipped rather than breaking the sidebar. */
export function listSavedSearches(vault: Vault): SavedSearch[] {
  const out: SavedSearch[] = []
  for (const r of vault.listRecords({ kind: SAVED_SEARCH_KIND })) {
    const parsed = bodySchema.safeParse(r.summary)
    if (parsed.success) out.push({ id: r.id, ...parsed.data })
  }
  return out.sort((a, b) => a.name.localeCompare(b.name))
}

/** Saves a search under a name; a search with the same name is replaced (new revision). */
export function saveSearch(vault: Vault, name: string, query: string, filter: SearchFilterInput): SavedSearch {
  const parsed = bodySchema.safeParse({ name: name.trim(), query, filter })
  if (!parsed.success) throw new CustodiaError('VALIDATION', `Invalid saved search: ${parsed.error.issues[0]?.path.join('.') || 'search'}`)
  const existing = listSavedSearches(vault)
  const same = existing.find((s) => s.name === parsed.data.name)
  // The summary is what listRecords decrypts: the whole (small) search lives there.
  const content = { summary: { ...parsed.data }, body: null }
  if (same) {
    vault.updateRecord(same.id, content)
    return { id: same.id, ...parsed.data }
  }
  if (existing.length >= MAX_SAVED) throw new CustodiaError('VALIDATION', `At most ${MAX_SAVED} searches can be saved`)
  const ref = vault.createRecord(SAVED_SEARCH_KIND, content)
  return { id: ref.id, ...parsed.data }
}

/** Deletes a saved search. NOT_FOUND for other ids. */
export function deleteSavedSearch(vault: Vault, id: string): void {
  if (!listSavedSearches(vault).some((s) => s.id === id)) throw new CustodiaError('NOT_FOUND', 'No saved search with this id')
  vault.deleteRecord(id)
}
