// Shared (renderer and main): RFC 6901 JSON pointers, which name the dossier field a whole-field or in-field
// annotation is attached to (e.g. /vulnerability/medicalNote, /detentions/1).
import { CustodiaError } from '../errors'

/** Splits a pointer into unescaped reference tokens; '' is the whole document. Throws VALIDATION if malformed. */
export function parseJsonPointer(pointer: string): string[] {
  if (typeof pointer !== 'string') throw new CustodiaError('VALIDATION', 'field pointer must be a string')
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new CustodiaError('VALIDATION', 'field pointer must start with "/"')
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new CustodiaError('VALIDATION', 'field pointer has an invalid "~" escape')
      // Order matters (RFC 6901 §4): ~1 first, so "~01" becomes "~1" and not "/".
      return token.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

/** Builds a pointer from tokens, escaping "~" and "/". */
export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

/**
 * The value a pointer names inside `root`, or undefined if any step is missing. Array indices must be canonical
 * decimal ("0", "12"; not "01" or "-"). Only own properties are followed, so "/__proto__" never reaches a prototype.
 */
export function resolveJsonPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root
  for (const token of parseJsonPointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined
      const index = Number(token)
      if (index >= node.length) return undefined
      node = node[index]
    } else if (node !== null && typeof node === 'object') {
      if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined
      node = (node as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return node
}
