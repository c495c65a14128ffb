// Unit (Node): every word the renderer shows comes from the message catalog (shared/i18n/en.json). Parses each
// renderer source with the TypeScript compiler and fails on JSX text with letters and on string literals in the
// attributes people see or hear; checks that the code and the catalog agree key for key and that every message is
// valid ICU MessageFormat. A new literal or a dead key fails here with its file and line.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import en from '../../../shared/i18n/en.json'

const ROOT = resolve(import.meta.dirname, '../../..')
const RENDERER = join(ROOT, 'renderer/src')

/** Attributes whose value is read on screen or by a screen reader (ours and the DOM's). */
const VISIBLE_ATTRIBUTES = new Set([
  'placeholder',
  'title',
  'aria-label',
  'aria-valuetext',
  'alt',
  'label',
  'hint',
  'blank',
  'confirmLabel',
  'cancelLabel',
  'submitLabel',
])

/**
 * Text that is no word in any language and so needs no translation. Anything without a letter ("—", "·", "…", "×",
 * "2/3") passes on its own; this list is for the few with letters.
 */
const ALLOWED_TEXT = new Set<string>([
  // The app's name is a name in every language.
  'Custodia',
  // Heading levels on the formatting toolbar, as every word processor labels them.
  'H1',
  'H2',
  'H3',
])

function rendererSources(): string[] {
  return readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(RENDERER, f))
}

function parse(file: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind)
}

function where(source: ts.SourceFile, node: ts.Node): string {
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
  return `${relative(ROOT, source.fileName)}:${line + 1}`
}

const hasLetter = (text: string) => /\p{L}/u.test(text)
const isWord = (text: string) => hasLetter(text) && !ALLOWED_TEXT.has(text.trim())

/** String literals an attribute's expression can evaluate to: itself, or the branches of ?:, && and ||/??. */
function literalOutcomes(expression: ts.Expression): ts.StringLiteralLike[] {
  if (ts.isParenthesizedExpression(expression)) return literalOutcomes(expression.expression)
  if (ts.isConditionalExpression(expression)) return [...literalOutcomes(expression.whenTrue), ...literalOutcomes(expression.whenFalse)]
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalOutcomes(expression.right)
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken)
      return [...literalOutcomes(expression.left), ...literalOutcomes(expression.right)]
  }
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression]
  return []
}

function findLiterals(source: ts.SourceFile): string[] {
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && isWord(node.text)) found.push(`${where(source, node)} text "${node.text.trim()}"`)
    if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      for (const literal of literalOutcomes(node.expression))
        if (isWord(literal.text)) found.push(`${where(source, literal)} text "${literal.text}"`)
    }
    if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const init = node.initializer
      const literals = ts.isStringLiteral(init)
        ? [init]
        : ts.isJsxExpression(init) && init.expression
          ? literalOutcomes(init.expression)
          : []
      for (const literal of literals)
        if (isWord(literal.text)) found.push(`${where(source, literal)} ${node.name.getText(source)}="${literal.text}"`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/**
 * Catalog keys the code names: t('key' …) in the renderer, sentence('key' …) in shared code, and any string that is
 * exactly a key (ids held in tables, e.g. the size units or CODE_MESSAGES, or passed to react-intl as { id }).
 */
function usedKeys(source: ts.SourceFile): { key: string; at: string }[] {
  const keys: { key: string; at: string }[] = []
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['t', 'sentence'].includes(node.expression.text)) {
      const first = node.arguments[0]
      if (first && ts.isStringLiteral(first)) keys.push({ key: first.text, at: where(source, first) })
    }
    // A catalog key held in a table ({ id: 'format.size.kib' }, CODE_MESSAGES) and formatted elsewhere.
    else if (ts.isStringLiteral(node) && /^[a-z]+\.[A-Za-z0-9_.]+$/.test(node.text) && node.text in en)
      keys.push({ key: node.text, at: where(source, node) })
    ts.forEachChild(node, visit)
  }
  visit(source)
  return keys
}

const sources = rendererSources().map(parse)
/**
 * Code outside the renderer that names catalog keys: the failures of shared/messages, the tables of shared/ that name
 * codes (roles, dossier statuses) by their catalog ids, the CLI's counted sentences.
 */
const sharedSources = ['shared', 'electron']
  .flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(ROOT, dir, f)),
  )
  .map(parse)
const catalog: Record<string, string> = en

describe('renderer strings', () => {
  it('shows no words that are not from the catalog', () => {
    const literals = sources.flatMap((source) => findLiterals(source))
    expect(literals).toEqual([])
  })

  it('the scan finds literals where there are some', () => {
    const sample = ts.createSourceFile(
      'sample.tsx',
      `const a = <p title="Open it">Hello {name}<b>{busy ? 'Saving…' : t('x')}</b>—</p>`,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TSX,
    )
    expect(findLiterals(sample).map((f) => f.replace(/^.*?:\d+ /, ''))).toEqual(['title="Open it"', 'text "Hello"', 'text "Saving…"'])
  })

  it('names only keys that exist, and the catalog holds no key the code does not use', () => {
    const used = [...sources, ...sharedSources].flatMap((s) => usedKeys(s))
    expect(used.filter((u) => !(u.key in catalog)).map((u) => `${u.at} ${u.key}`)).toEqual([])
    const usedSet = new Set(used.map((u) => u.key))
    expect(Object.keys(catalog).filter((key) => !usedSet.has(key))).toEqual([])
  })
})

describe('English catalog', () => {
  it('holds only valid ICU messages', () => {
    const broken = Object.entries(catalog).flatMap(([key, message]) => {
      try {
        new IntlMessageFormat(message, 'en')
        return []
      } catch (error) {
        return [`${key}: ${String(error)}`]
      }
    })
    expect(broken).toEqual([])
  })

  it('words a count in the singular for one and the plural for more ("1 result", "2 results")', () => {
    const count = new IntlMessageFormat(catalog['library.resultCount']!, 'en')
    expect([0, 1, 2, 1234].map((n) => count.format({ count: n }))).toEqual(['0 results', '1 result', '2 results', '1,234 results'])
  })

  it('words counts with ICU plurals, never "(s)"', () => {
    expect(Object.entries(catalog).filter(([, message]) => message.includes('(s)'))).toEqual([])
  })
})
