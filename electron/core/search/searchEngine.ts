// Main process (Node): the part of the search service the session and the library handlers rely on, so they
// depend on this narrow shape rather than on the engine's internals.
import type { SearchService } from './searchService'

export type { SearchFacets, SearchFilter, SearchHit, SearchResult } from './searchService'

/**
 * An open search index over one unlocked vault. It catches up with vault changes on every search. `openReport` says
 * whether opening it found a usable snapshot and how much it had to index (the CLI and the app must not re-index each
 * other's work).
 */
export type SearchEngine = Pick<SearchService, 'search' | 'facets' | 'close' | 'openReport' | 'forget'>
