// Main process (Node): the part of the search service the session and the library handlers rely on, so they
// depend on this narrow shape rather than on the engine's internals.
import type { SearchService } from './searchService'

export type { SearchFacets, SearchFilter, SearchHit, SearchResult } from './searchService'

/** An open search index over one unlocked vault. It catches up with vault changes on every search. */
export type SearchEngine = Pick<SearchService, 'search' | 'facets' | 'close'>
