// Main process (Node only): memoised folding for indexing and highlighting. Folding runs ~18 regular expressions per
// word; text repeats its words (Zipf), so folding each distinct whitespace-free chunk once makes indexing ~4x faster.
// The caches hold words of decrypted text: the search service clears them on close.
import { foldForSearch, tokenizeFolded } from '../../../shared/text/fold'

const CACHE_LIMIT = 100_000
const chunkCache = new Map<string, string>()
const tokenCache = new Map<string, string[]>()

/**
 * Same output as foldForSearch(text): every folding rule works inside a run of non-whitespace characters (letters,
 * apostrophes after a letter) and whitespace passes through, so folding each run on its own gives the same string.
 */
export function foldTextCached(text: string): string {
  return text.replace(/\S+/gu, (chunk) => {
    let folded = chunkCache.get(chunk)
    if (folded === undefined) {
      folded = foldForSearch(chunk)
      if (chunkCache.size >= CACHE_LIMIT) chunkCache.clear()
      chunkCache.set(chunk, folded)
    }
    return folded
  })
}

/** tokenizeFolded(word), memoised. */
export function foldWordTokens(word: string): string[] {
  let tokens = tokenCache.get(word)
  if (tokens === undefined) {
    tokens = tokenizeFolded(word)
    if (tokenCache.size >= CACHE_LIMIT) tokenCache.clear()
    tokenCache.set(word, tokens)
  }
  return tokens
}

export function clearFoldCaches(): void {
  chunkCache.clear()
  tokenCache.clear()
}
