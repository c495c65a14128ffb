// Main process / CLI (core, Node only): finds the app's resources (letter templates and fonts) and loads them once.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { LetterTemplate } from '../../../shared/letters/templateModel'
import { loadBuiltinTemplates, loadLetterFonts, type LetterFonts } from './render/render'

/**
 * The folder holding `templates/` and `fonts/`. Packaged: electron-builder copies both into
 * `process.resourcesPath` (extraResources). Dev, tests, CLI and the built out/main: the repository's `resources/`,
 * found by walking up from this module (its depth differs between the source tree and the bundle).
 * Throws CustodiaError('NOT_FOUND') when neither exists.
 */
export function resolveResourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged && fs.existsSync(path.join(packaged, 'templates', 'head-of-government-letter.json'))) return packaged
  let dir = import.meta.dirname
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources')
    if (fs.existsSync(path.join(candidate, 'templates', 'head-of-government-letter.json'))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new CustodiaError('NOT_FOUND', 'The letter templates and fonts that ship with Custodia are missing.')
}

export interface LetterAssets {
  readonly builtins: readonly LetterTemplate[]
  readonly fonts: LetterFonts
}

let cached: LetterAssets | null = null

/** Loads (once) the five built-in templates and the Liberation fonts from resolveResourcesDir(). */
export function loadLetterAssets(): LetterAssets {
  if (!cached) {
    const dir = resolveResourcesDir()
    cached = { builtins: loadBuiltinTemplates(path.join(dir, 'templates')), fonts: loadLetterFonts(path.join(dir, 'fonts')) }
  }
  return cached
}
