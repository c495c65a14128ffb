// CLI (Node): `custodia search` — full-text search over the vault's encrypted index, one tab-separated line per hit.
// The index is the session's, opened with the app's extractors: the CLI finds what the app finds (dossiers and
// annotations included), and the snapshot it leaves behind is one the app can load without re-indexing.
import { MAX_PAGE_LIMIT, type SearchHit } from '../core/search/searchService'
import { passphraseFileOption, withSession } from './cliSession'
import type { Command } from './command'
import { flattenField, UsageError, writeLine } from './io'

/** Wraps each marked range in «…» (the terminal has no other safe way to highlight). */
export function wrapMarks(text: string, marks: [number, number][]): string {
  let out = ''
  let at = 0
  for (const [start, end] of marks) {
    if (start < at || end > text.length || end <= start) continue
    out += `${text.slice(at, start)}«${text.slice(start, end)}»`
    at = end
  }
  return out + text.slice(at)
}

/** One output line: id, kind, date (or "-"), title, snippet — tab-separated (each field one line), marks as «…». */
export function formatHitLine(hit: SearchHit): string {
  return [
    hit.id,
    hit.kind,
    hit.date ?? '-',
    flattenField(wrapMarks(hit.title, hit.titleMarks)),
    flattenField(wrapMarks(hit.snippet.text, hit.snippet.marks)),
  ].join('\t')
}

function parseLimit(value: unknown): number {
  if (value === undefined) return 20
  const n = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1 || n > MAX_PAGE_LIMIT)
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
  return n
}

export const searchCommands: Command[] = [
  {
    words: ['search'],
    usage: 'search <dir> <query> [--kind K]… [--limit N]',
    summary: 'full-text search (any script or spelling); one line per hit: id, kind, date, title, snippet with «matches»',
    options: {
      ...passphraseFileOption,
      kind: {
        type: 'string',
        multiple: true,
        value: 'K',
        help: 'only hits of this kind, e.g. letter, dossier, annotation (repeat for several)',
      },
      limit: { type: 'string', value: 'N', help: `at most N hits, 1 to ${MAX_PAGE_LIMIT} (default 20)` },
    },
    arity: 2,
    run: async (ctx) => {
      const limit = parseLimit(ctx.options['limit'])
      const kinds = ctx.options['kind'] as string[] | undefined
      const query = ctx.args[1]!
      // Locking at the end closes the index, which saves it caught up: the next search (CLI or app) starts from it.
      await withSession(
        ctx,
        async (session) => {
          const search = await session.requireSearch()
          const result = search.search(query, kinds?.length ? { kinds } : undefined, { limit })
          for (const hit of result.hits) writeLine(ctx.io.stdout, formatHitLine(hit))
          if (result.total > result.hits.length)
            writeLine(ctx.io.stderr, `${result.hits.length} of ${result.total} hits shown (use --limit).`)
        },
        { search: true },
      )
    },
  },
]
