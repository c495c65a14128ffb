// Main process (Node): the part of the search service (electron/core/search/searchService.ts) the session and the
// library handlers rely on. Declared here so both depend on this shape, not on the engine's internals.

export interface SearchFilter {
  kinds?: string[]
  tags?: string[]
  status?: string[]
  language?: string[]
  dateFrom?: string
  dateTo?: string
}

export interface SearchHit {
  id: string
  kind: string
  title: string
  /** [start, end) UTF-16 offsets into `title` to highlight. */
  titleMarks: [number, number][]
  date: string | null
  status: string | null
  language: string | null
  tags: string[]
  snippet: { text: string; marks: [number, number][] }
  score: number
}

export interface SearchResult {
  hits: SearchHit[]
  total: number
  tookMs: number
}

export interface SearchFacets {
  kinds: Record<string, number>
  tags: Record<string, number>
  languages: Record<string, number>
  statuses: Record<string, number>
}

/** An open search index over one unlocked vault. It catches up with vault changes on every search. */
export interface SearchEngine {
  search(query: string, filter?: SearchFilter, page?: { limit?: number; offset?: number }): SearchResult
  facets(): SearchFacets
  close(): void
}
