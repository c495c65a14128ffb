// Test helper (Node): the letter sets the import tests run over. Our own fixtures (test/fixtures/letters) are in the
// repository, so a fresh clone always checks them; the real seed letters (../shared/fixtures/seed-letters, beside the
// repository, as on CI) are checked in addition wherever they exist. Their absence is logged, never skipped silently.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

export interface LetterSet {
  readonly label: 'own fixture letters' | 'seed letters'
  readonly dir: string
  /** The .txt letters, sorted by file name (the order the import tests expect). */
  readonly files: readonly string[]
  readonly paths: readonly string[]
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../..')
export const OWN_LETTERS_DIR = path.join(REPO_ROOT, 'test/fixtures/letters')
export const SEED_LETTERS_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/seed-letters')

function letterSet(label: LetterSet['label'], dir: string): LetterSet {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
  return { label, dir, files, paths: files.map((f) => path.join(dir, f)) }
}

export const OWN_LETTERS: LetterSet = letterSet('own fixture letters', OWN_LETTERS_DIR)
export const SEED_LETTERS: LetterSet | null = fs.existsSync(SEED_LETTERS_DIR) ? letterSet('seed letters', SEED_LETTERS_DIR) : null

/**
 * The tests over the real seed letters: defined when the folder is there, followed by a test that logs how many
 * letters were checked; when it is absent, a single test that logs so (and that the own fixtures carry the checks).
 */
export function describeSeedLetters(title: string, body: (seeds: LetterSet) => void): void {
  describe(`${title} (real seed letters)`, () => {
    const seeds = SEED_LETTERS
    if (!seeds) {
      it('reports that the seed letters are absent', () => {
        console.info(
          `seed letters: folder ../shared/fixtures/seed-letters absent; ${title}: checked on the ${OWN_LETTERS.files.length} own fixture letters only`,
        )
        expect(fs.existsSync(SEED_LETTERS_DIR)).toBe(false)
        expect(OWN_LETTERS.files.length).toBeGreaterThanOrEqual(8)
      })
      return
    }
    body(seeds)
    it('reports that the seed letters were checked', () => {
      console.info(`seed letters: ${seeds.files.length} files checked (${title})`)
      expect(seeds.files.length).toBeGreaterThan(0)
    })
  })
}
