// Unit (Node): the layering rules of docs/ARCHITECTURE.md, checked on every import of every source file. A wrong
// import fails CI:
//   shared → nothing but shared (pure, runs in the sandboxed renderer too)
//   electron/core, electron/cli → never `electron` (they run and are tested under plain Node)
//   inside electron/core: platform → vault → search → session → the areas → api → app, each importing only its own
//     layer or lower ones; inside platform, db never sees crypto and crypto never sees tables
//   renderer → never Node built-ins, electron, or electron/ sources (it has no Node: contextIsolation + sandbox)
//   preload → only electron and shared/ipc
//   no import circle anywhere in product code, between files or between folders
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
    const forbidden = (t: string) =>
      isElectron(t) || t.startsWith('electron/main') || t.startsWith('electron/preload') || t.startsWith('renderer/')
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

/** Core's layers, lowest first (docs/ARCHITECTURE.md). A file may import its own layer or a lower one. */
const CORE_LAYERS: readonly { layer: string; folders: readonly string[] }[] = [
  { layer: 'platform', folders: ['platform'] },
  { layer: 'vault', folders: ['vault'] },
  { layer: 'search', folders: ['search'] },
  { layer: 'session', folders: ['session'] },
  { layer: 'areas', folders: ['annotations', 'library', 'dossiers', 'letters', 'exchange', 'organisation', 'backup', 'activity', 'sync'] },
  { layer: 'api', folders: ['api'] },
  { layer: 'app', folders: ['app'] },
]
const CORE = 'electron/core/'

/** Rank of a core file's layer, or -1 when the path is not in a known layer (itself a failure). */
function coreRank(repoPath: string): number {
  const top = repoPath.slice(CORE.length).split('/')[0] ?? ''
  return CORE_LAYERS.findIndex((l) => l.folders.includes(top))
}

/** Resolves a relative specifier to the repo-relative source file it names (with or without extension). */
function resolveSource(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = resolve(dirname(file), spec)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate)
    } catch {
      // try the next spelling
    }
  }
  return null
}

const PRODUCT_DIRS = ['electron', 'shared', 'renderer/src']

/** The import graph of product code: repo-relative file → the product files it imports. */
function productGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const dir of PRODUCT_DIRS) {
    for (const file of listSources(dir)) {
      const targets = importsOf(file)
        .map((spec) => resolveSource(file, spec))
        .filter((t): t is string => t !== null)
      graph.set(relative(ROOT, file), targets)
    }
  }
  return graph
}

/** Strongly connected components with more than one node (Tarjan): each is an import circle. */
function findCircles(graph: Map<string, string[]>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1) circles.push(component.sort())
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return circles
}

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const folders = new Map<string, Set<string>>()
  for (const [file, targets] of files) {
    const from = dirname(file)
    const edges = folders.get(from) ?? new Set<string>()
    for (const target of targets) if (dirname(target) !== from) edges.add(dirname(target))
    folders.set(from, edges)
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]))
}

describe('core layers', () => {
  const graph = productGraph()
  const coreFiles = [...graph.keys()].filter((f) => f.startsWith(CORE))

  it('puts every core file in a known layer', () => {
    expect(coreFiles.length).toBeGreaterThan(50)
    expect(coreFiles.filter((f) => coreRank(f) < 0)).toEqual([])
  })

  it('imports only from the same layer or a lower one', () => {
    const upward = coreFiles.flatMap((file) =>
      (graph.get(file) ?? [])
        .filter((target) => target.startsWith(CORE) && coreRank(target) > coreRank(file))
        .map((target) => `${file} (${CORE_LAYERS[coreRank(file)]!.layer}) imports ${target} (${CORE_LAYERS[coreRank(target)]!.layer})`),
    )
    expect(upward).toEqual([])
  })

  it('keeps keys and tables apart: platform/db never imports platform/crypto, nor the other way round', () => {
    const crossing = coreFiles.flatMap((file) =>
      (graph.get(file) ?? [])
        .filter(
          (target) =>
            (file.startsWith(`${CORE}platform/db/`) && target.startsWith(`${CORE}platform/crypto/`)) ||
            (file.startsWith(`${CORE}platform/crypto/`) && target.startsWith(`${CORE}platform/db/`)),
        )
        .map((target) => `${file} imports ${target}`),
    )
    expect(crossing).toEqual([])
  })

  it('detects an upward import (the check itself can fail)', () => {
    expect(coreRank(`${CORE}platform/crypto/sodium.ts`)).toBeLessThan(coreRank(`${CORE}vault/vault.ts`))
    expect(coreRank(`${CORE}api/dispatch.ts`)).toBeGreaterThan(coreRank(`${CORE}library/libraryService.ts`))
    expect(coreRank(`${CORE}somewhere/new.ts`)).toBe(-1)
  })
})

describe('import circles', () => {
  const graph = productGraph()

  it('finds none between files of product code', () => {
    expect(findCircles(graph)).toEqual([])
  })

  it('finds none between folders of product code', () => {
    expect(findCircles(folderGraph(graph))).toEqual([])
  })

  it('would report a circle (the check itself can fail)', () => {
    const sample = new Map([
      ['a/x.ts', ['b/y.ts']],
      ['b/y.ts', ['c/z.ts']],
      ['c/z.ts', ['a/x.ts']],
      ['d/w.ts', ['a/x.ts']],
    ])
    expect(findCircles(sample)).toEqual([['a/x.ts', 'b/y.ts', 'c/z.ts']])
    expect(
      findCircles(
        folderGraph(
          new Map([
            ['a/x.ts', ['b/y.ts']],
            ['b/y.ts', ['a/q.ts']],
            ['a/q.ts', []],
          ]),
        ),
      ),
    ).toEqual([['a', 'b']])
  })
})
