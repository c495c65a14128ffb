// Tests (core, Node): user templates in a real vault — duplicate a built-in, edit and save (version bump), import
// (malformed → VALIDATION listing paths, vault unchanged; id clash → CONFLICT), export and re-import elsewhere.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import {
  deleteUserTemplate,
  duplicateLetterTemplate,
  exportTemplateJson,
  findLetterTemplate,
  importUserTemplate,
  listLetterTemplates,
  saveUserTemplate,
} from '../../../electron/core/letters/userTemplates'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, hashTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

/** Hashes of the vault's files; SQLite's -shm index changes on mere reads, so it is left out. */
function hashVault(vaultDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(hashTree(vaultDir)).filter(([name]) => !name.endsWith('-shm')))
}

const { builtins } = loadLetterAssets()
/** A 1×1 PNG. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

let dir: string
let vault: Vault

async function openFreshVault(name: string): Promise<Vault> {
  return (await createVault(path.join(dir, name), TEST_PASSPHRASE, { sodium: await loadSodium('native'), kdf: MIN_KDF })).vault
}

beforeEach(async () => {
  dir = createTempDir()
  vault = await openFreshVault('v')
})
afterEach(() => {
  vault.lock()
  fs.rmSync(dir, { recursive: true, force: true })
})

function catchError(fn: () => unknown): CustodiaError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(CustodiaError)
    return error as CustodiaError
  }
  throw new Error('expected an error')
}

describe('user templates', () => {
  it('lists the five built-ins first, then user templates', () => {
    expect(listLetterTemplates(vault, builtins).map((t) => t.id)).toEqual([
      'head-of-government-letter',
      'coalition-letter',
      'joint-statement',
      'press-release',
      'standpoint',
    ])
    const copy = duplicateLetterTemplate(vault, builtins, 'coalition-letter')
    const listed = listLetterTemplates(vault, builtins)
    expect(listed).toHaveLength(6)
    expect(listed[5]).toMatchObject({ id: copy.id, builtIn: false, name: copy.name })
    expect(copy.name.endsWith('(copy)')).toBe(true)
  })

  it('duplicates a built-in into an editable, encrypted user template; the built-in stays as it was', () => {
    const copy = duplicateLetterTemplate(vault, builtins, 'head-of-government-letter')
    expect(copy.builtIn).toBe(false)
    expect(copy.id).not.toBe('head-of-government-letter')
    expect(vault.listRecords({ kind: 'template' })).toHaveLength(1)
    const edited = saveUserTemplate(vault, builtins, {
      ...copy,
      name: 'Our letter to the PM',
      letterhead: { organisation: 'Our Org', address: 'Street 1', logo: PNG },
      fields: copy.fields.map((f) => (f.name === 'place' ? { ...f, required: false } : f)),
    })
    expect(edited.version).toBe(2)
    const found = findLetterTemplate(vault, builtins, copy.id)
    expect(found.name).toBe('Our letter to the PM')
    expect(found.letterhead.logo).toBe(PNG)
    expect(vault.listRevisions(vault.listRecords({ kind: 'template' })[0]!.id)).toHaveLength(2)
    expect(findLetterTemplate(vault, builtins, 'head-of-government-letter').letterhead.organisation).toBe('[Organisation name]')
    // The name is encrypted at rest.
    const bytes = fs.readFileSync(path.join(dir, 'v', 'vault.sqlite'))
    expect(bytes.includes(Buffer.from('Our letter to the PM'))).toBe(false)
  })

  it('refuses to save over a built-in, a template marked built-in, an SVG logo or a broken template, changing nothing', () => {
    const copy = duplicateLetterTemplate(vault, builtins, 'standpoint')
    const before = hashVault(path.join(dir, 'v'))
    expect(catchError(() => saveUserTemplate(vault, builtins, { ...copy, id: 'standpoint' })).code).toBe('CONFLICT')
    expect(catchError(() => saveUserTemplate(vault, builtins, { ...copy, builtIn: true })).code).toBe('VALIDATION')
    const svg = catchError(() =>
      saveUserTemplate(vault, builtins, { ...copy, letterhead: { organisation: 'X', logo: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' } }),
    )
    expect(svg.code).toBe('VALIDATION')
    expect(svg.message).toContain('letterhead.logo')
    expect(catchError(() => deleteUserTemplate(vault, builtins, 'standpoint')).code).toBe('VALIDATION')
    expect(hashVault(path.join(dir, 'v'))).toEqual(before)
  })

  it('import of a malformed file is a VALIDATION error listing every failing path, and the vault is unchanged', () => {
    const good = JSON.parse(exportTemplateJson(builtins[0]!)) as Record<string, unknown>
    const before = hashVault(path.join(dir, 'v'))
    const shape = catchError(() => importUserTemplate(vault, builtins, JSON.stringify({ ...good, id: 'Not An Id', language: 'fr-FR' })))
    expect(shape.code).toBe('VALIDATION')
    expect(shape.message).toContain('id: must be lower-case letters')
    expect(shape.message).toContain('language: ')
    const fields = good['fields'] as { name: string }[]
    const refs = catchError(() =>
      importUserTemplate(
        vault,
        builtins,
        JSON.stringify({
          ...good,
          id: 'our-letter',
          fields: [...fields, { ...fields[0], label: 'Again' }],
          blocks: [...(good['blocks'] as unknown[]), { type: 'subject', field: 'subjct' }],
        }),
      ),
    )
    expect(refs.code).toBe('VALIDATION')
    expect(refs.message).toContain(`fields.${fields.length}.name: duplicate field name "recipients"`)
    expect(refs.message).toMatch(/blocks\.11\.field: no field named "subjct"/)
    expect(catchError(() => importUserTemplate(vault, builtins, '{ not json')).message).toBe('The template file is not valid JSON.')
    expect(catchError(() => importUserTemplate(vault, builtins, '[1,2]')).code).toBe('VALIDATION')
    expect(hashVault(path.join(dir, 'v'))).toEqual(before)
    expect(vault.listRecords({ kind: 'template' })).toHaveLength(0)
  })

  it('exports a template as JSON that imports into another vault; a second import of the same id is a CONFLICT', async () => {
    const copy = duplicateLetterTemplate(vault, builtins, 'press-release')
    saveUserTemplate(vault, builtins, { ...copy, name: 'Press release, short' })
    const json = exportTemplateJson(findLetterTemplate(vault, builtins, copy.id))
    expect(JSON.parse(json)).toMatchObject({ id: copy.id, name: 'Press release, short', builtIn: false })

    const other = await openFreshVault('other')
    try {
      const imported = importUserTemplate(other, builtins, json)
      expect(imported).toMatchObject({ id: copy.id, name: 'Press release, short', version: 1, builtIn: false })
      expect(findLetterTemplate(other, builtins, copy.id).name).toBe('Press release, short')
      const again = catchError(() => importUserTemplate(other, builtins, json))
      expect(again.code).toBe('CONFLICT')
      expect(other.listRecords({ kind: 'template' })).toHaveLength(1)
      // A built-in's id can't be imported either (it would shadow the read-only original).
      expect(catchError(() => importUserTemplate(other, builtins, exportTemplateJson(builtins[1]!))).code).toBe('CONFLICT')
    } finally {
      other.lock()
    }
  })

  it('deletes a user template; an unknown id is NOT_FOUND', () => {
    const copy = duplicateLetterTemplate(vault, builtins, 'joint-statement')
    deleteUserTemplate(vault, builtins, copy.id)
    expect(catchError(() => findLetterTemplate(vault, builtins, copy.id)).code).toBe('NOT_FOUND')
    expect(catchError(() => deleteUserTemplate(vault, builtins, copy.id)).code).toBe('NOT_FOUND')
  })

  it('refuses to import or save a template with a placeholder that is not one of its fields, naming it; nothing changes', () => {
    const copy = duplicateLetterTemplate(vault, builtins, 'head-of-government-letter')
    const withTypos = {
      ...copy,
      blocks: [
        ...copy.blocks,
        { type: 'text' as const, template: 'Our reference: {{referenceNumber}}' },
        { type: 'closing' as const, template: '{{#recipient}}{{nmae}}{{/recipient}} {{referenceNumber}}' },
      ],
    }
    const before = hashVault(vault.dir)
    const saved = catchError(() => saveUserTemplate(vault, builtins, withTypos))
    expect(saved.code).toBe('VALIDATION')
    expect(saved.message).toBe(
      'The template uses placeholders that are not among its fields: {{referenceNumber}} (block 12, text), {{nmae}} (block 13, closing). ' +
        'Add a field of that name, or correct the placeholder.',
    )
    const json = exportTemplateJson({ ...withTypos, id: 'imported-with-typo', blocks: withTypos.blocks.slice(0, 12) })
    const imported = catchError(() => importUserTemplate(vault, builtins, json))
    expect(imported.message).toBe(
      'The template uses a placeholder that is not one of its fields: {{referenceNumber}} (block 12, text). Add a field of that name, or correct the placeholder.',
    )
    expect(hashVault(vault.dir)).toEqual(before)
    expect(listLetterTemplates(vault, builtins).some((t) => t.id === 'imported-with-typo')).toBe(false)
    // Known names pass: fields, computed names, person keys inside sections and the fixed words.
    const fine = {
      ...copy,
      blocks: [...copy.blocks, { type: 'text', template: '{{subject}} {{recipient.name}} {{letterhead.organisation}} {{words.annex}}' }],
    }
    expect(saveUserTemplate(vault, builtins, fine).blocks).toHaveLength(copy.blocks.length + 1)
  })
})
