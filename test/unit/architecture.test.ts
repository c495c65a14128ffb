// Unit (Node): the layering rules, checked on every import of every source file. A wrong import fails CI:
//   shared → nothing but shared (pure, runs in the sandboxed renderer too)
//   electron/core, electron/cli → never `electron` (they run and are tested under plain Node)
//   renderer → never Node built-ins, electron, or electron/ sources (it has no Node: contextIsolation + sandbox)
//   preload → only electron and shared/ipc
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

function listSources(dir: string): string[] {
  const abs = join(ROOT, dir)
  try {
    statSync(abs)
  } catch {
    return []
  }
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(abs, f))
}

/** Every module specifier in import/export-from statements and dynamic import() calls. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found = new Set<string>()
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) found.add(m[1]!)
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.add(m[1]!)
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]!)
  for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]!)
  return [...found]
}

function layerOf(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec
  return relative(ROOT, resolve(dirname(file), spec))
}

/** A target is either a package specifier (bare) or a repo-relative path (for relative imports). */
function violations(dir: string, isForbidden: (target: string) => boolean): string[] {
  const out: string[] = []
  for (const file of listSources(dir)) {
    for (const spec of importsOf(file)) {
      if (isForbidden(layerOf(file, spec))) out.push(`${relative(ROOT, file)} imports ${spec}`)
    }
  }
  return out
}

/** Our own folder is also called electron/, so relative targets under it are paths, bare ones the package. */
const OWN_FOLDERS = ['electron/core', 'electron/main', 'electron/cli', 'electron/preload']
const isElectron = (t: string) => t === 'electron' || (t.startsWith('electron/') && !OWN_FOLDERS.some((f) => t.startsWith(f)))

describe('import layering', () => {
  it('finds the sources it checks', () => {
    expect(listSources('shared').length).toBeGreaterThan(0)
    expect(listSources('electron/core').length).toBeGreaterThan(0)
    expect(listSources('renderer/src').length).toBeGreaterThan(0)
  })

  it('keeps shared/ pure: no Node built-ins, no electron, no app layers', () => {
    expect(
      violations('shared', (t) => NODE_BUILTINS.has(t) || t === 'electron' || t.startsWith('electron/') || t.startsWith('renderer/')),
    ).toEqual([])
  })

  it('keeps electron/core and electron/cli free of electron and of the main/renderer layers', () => {
    const forbidden = (t: string) => isElectron(t) || t.startsWith('electron/main') || t.startsWith('electron/preload') || t.startsWith('renderer/')
    expect(violations('electron/core', forbidden)).toEqual([])
    expect(violations('electron/cli', forbidden)).toEqual([])
  })

  it('keeps the renderer away from Node, electron and the main-process sources', () => {
    expect(violations('renderer/src', (t) => NODE_BUILTINS.has(t) || t === 'electron' || t.startsWith('electron/'))).toEqual([])
  })

  it('keeps preload down to electron and the IPC contract', () => {
    expect(violations('electron/preload', (t) => t !== 'electron' && !t.startsWith('shared/ipc/'))).toEqual([])
  })
})
