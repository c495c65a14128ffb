// Renderer (jsdom): the fields & vocabularies editor, the legal-basis editor and the "Comments (n)" toggles of the
// dossier form, against typed fake bridges that keep state and apply the real shared schema rules — saves carry the
// revision they started from, a stale one says "changed elsewhere", evolution errors name the field in words.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDossier } from '../../shared/dossiers/dossier'
import {
  checkSchemaEvolution,
  createDefaultDossierSchema,
  parseDossierSchemaConfig,
  type DossierSchemaConfig,
} from '../../shared/dossiers/dossierSchema'
import { DEFAULT_LEGAL_BASES } from '../../shared/annotations/legalBasis'
import { describeSelection } from '../../shared/annotations/anchor'
import { CustodiaError } from '../../shared/errors'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { AnchoredAnnotationView, VocabularyEntryView } from '../../shared/ipc/channels/annotationChannels'
import { SchemaEditor, describeSchemaError, restoreCustomField } from '../../renderer/src/features/dossiers/SchemaEditor'
import { DossierForm } from '../../renderer/src/features/dossiers/DossierForm'
import { LegalBasisEditor, checkLegalBasisEntry, createLegalBasisId } from '../../renderer/src/features/annotations/LegalBasisEditor'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

type Calls = [string, Record<string, unknown>][]
type Answer = (channel: string, request: Record<string, unknown>) => unknown

/** A bridge whose answers come from `answer`; a thrown CustodiaError becomes a failure result, as in main. */
function makeBridge(answer: Answer): CustodiaBridge & { calls: Calls } {
  const calls: Calls = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      try {
        return { ok: true, value: answer(channel, request as Record<string, unknown>) } as IpcResult<unknown>
      } catch (err) {
        if (err instanceof CustodiaError) return { ok: false, error: { code: err.code, message: err.message } } as IpcResult<unknown>
        throw err
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

/** The schema store as main keeps it: revision check, then the real parse and evolution rules. */
function makeSchemaStore(initial: DossierSchemaConfig = createDefaultDossierSchema()) {
  const store = { revision: 1, schema: initial }
  const answer: Answer = (channel, request) => {
    if (channel === 'dossiers:getSchema') return { revision: store.revision, schema: store.schema }
    if (channel === 'dossiers:updateSchema') {
      if (request['expectedRevision'] !== store.revision)
        throw new CustodiaError('CONFLICT', 'The dossier schema was changed since it was read')
      const next = parseDossierSchemaConfig(request['schema'])
      checkSchemaEvolution(store.schema, next)
      store.schema = next
      store.revision += 1
      return { revision: store.revision }
    }
    throw new Error(`unexpected channel ${channel}`)
  }
  return { store, bridge: makeBridge(answer) }
}

describe('SchemaEditor', () => {
  it('adds a vocabulary, an entry and a choice field, renames and retires, and saves with the revision it read', async () => {
    const { store, bridge } = makeSchemaStore()
    renderWithApi(<SchemaEditor />, bridge)
    await screen.findByTestId('no-fields')
    expect(screen.getByTestId('schema-state').textContent).toBe('No changes')
    expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(screen.getByLabelText('New vocabulary'), { target: { value: 'Health status' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add vocabulary' }))
    // The new vocabulary is selected at once, so its first entry can be typed straight away.
    fireEvent.change(screen.getByLabelText('New entry in “Health status”'), { target: { value: 'Chronic illness' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }))
    expect(within(screen.getByTestId('entry-list')).getByText('Chronic illness')).toBeTruthy()

    fireEvent.change(screen.getByLabelText('New field label'), { target: { value: 'Health' } })
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'choice' } })
    // A choice field without a vocabulary is refused with the reason, and nothing is added.
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }))
    expect(screen.getByRole('alert').textContent).toContain('a choice field needs a vocabulary')
    expect(screen.queryByTestId('field-table')).toBeNull()
    const vocabSelect = screen.getByLabelText('Vocabulary') as HTMLSelectElement
    const healthId = [...vocabSelect.options].find((o) => o.text === 'Health status')!.value
    fireEvent.change(vocabSelect, { target: { value: healthId } })
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }))
    expect(screen.queryByRole('alert')).toBeNull()
    const table = screen.getByTestId('field-table')
    expect(within(table).getByText('Choice from a vocabulary')).toBeTruthy()
    expect(within(table).getAllByText('Health status')).toHaveLength(1)

    // Rename: label only, by keyboard (Enter applies).
    fireEvent.click(screen.getByRole('button', { name: 'Rename field Health' }))
    const rename = screen.getByLabelText('New label for the field “Health”')
    fireEvent.change(rename, { target: { value: 'Health condition' } })
    fireEvent.submit(rename.closest('form')!)
    expect(within(table).getByText('Health condition')).toBeTruthy()

    // A default vocabulary: rename one region and retire another.
    fireEvent.click(screen.getByRole('button', { name: /^Regions/ }))
    fireEvent.click(screen.getByRole('button', { name: 'Rename entry Kyiv' }))
    fireEvent.change(screen.getByLabelText('New label for the entry “Kyiv”'), { target: { value: 'Kyiv city' } })
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }))
    fireEvent.click(screen.getByRole('button', { name: 'Retire entry Minsk' }))
    expect(screen.getByRole('button', { name: 'Restore entry Minsk' })).toBeTruthy()

    expect(screen.getByTestId('schema-state').textContent).toBe('Unsaved changes')
    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(screen.getByTestId('schema-state').textContent).toBe('All changes saved'))
    const save = bridge.calls.find(([c]) => c === 'dossiers:updateSchema')![1]
    expect(save['expectedRevision']).toBe(1)
    expect(store.revision).toBe(2)
    const field = store.schema.fields[0]!
    expect(field).toEqual({ id: field.id, label: 'Health condition', type: 'choice', vocabulary: healthId })
    expect(store.schema.vocabularies.find((v) => v.id === healthId)!.entries.map((e) => e.label)).toEqual(['Chronic illness'])
    const regions = store.schema.vocabularies.find((v) => v.id === 'regions')!.entries
    expect(regions.find((e) => e.id === 'kyiv')).toEqual({ id: 'kyiv', label: 'Kyiv city' })
    expect(regions.find((e) => e.id === 'minsk')).toEqual({ id: 'minsk', label: 'Minsk', retired: true })

    // Retire the field, save again (the revision moved on), then restore it.
    fireEvent.click(screen.getByRole('button', { name: 'Retire field Health condition' }))
    expect(within(table).getByText('retired')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(store.revision).toBe(3))
    expect(bridge.calls.filter(([c]) => c === 'dossiers:updateSchema')[1]![1]['expectedRevision']).toBe(2)
    expect(store.schema.fields[0]!.retired).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Restore field Health condition' }))
    expect(within(table).queryByText('retired')).toBeNull()
  })

  it('says "changed elsewhere — reload" on a stale revision, and Reload brings the stored schema back', async () => {
    const { store, bridge } = makeSchemaStore()
    renderWithApi(<SchemaEditor />, bridge)
    await screen.findByTestId('no-fields')
    fireEvent.change(screen.getByLabelText('New field label'), { target: { value: 'Lawyer' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }))
    // Someone else saves in between.
    store.schema = { ...store.schema, fields: [{ id: 'fother', label: 'Case number', type: 'text' }] }
    store.revision = 2
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect((await screen.findByRole('alert')).textContent).toContain('changed elsewhere since you opened them — reload')
    expect(screen.getByTestId('schema-state').textContent).toBe('Unsaved changes')
    expect(store.schema.fields.map((f) => f.label)).toEqual(['Case number'])

    fireEvent.click(screen.getByRole('button', { name: 'Reload' }))
    await waitFor(() => expect(within(screen.getByTestId('field-table')).getByText('Case number')).toBeTruthy())
    expect(screen.queryByText('Lawyer')).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByTestId('schema-state').textContent).toBe('No changes')
  })

  it('shows a schema evolution error plainly, naming the field by its label', async () => {
    const stored: DossierSchemaConfig = {
      ...createDefaultDossierSchema(),
      fields: [{ id: 'fage', label: 'Age at arrest', type: 'number' }],
    }
    const asText: DossierSchemaConfig = { ...stored, fields: [{ id: 'fage', label: 'Age at arrest', type: 'text' }] }
    let evolution = ''
    try {
      checkSchemaEvolution(stored, asText)
    } catch (err) {
      evolution = (err as Error).message
    }
    expect(evolution).toContain('$.fields[0].type')
    // Main holds a schema in which the field has another type than the editor read (a damaged or foreign copy).
    const bridge = makeBridge((channel) => {
      if (channel === 'dossiers:getSchema') return { revision: 4, schema: asText }
      throw new CustodiaError('VALIDATION', evolution)
    })
    renderWithApi(<SchemaEditor />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Rename field Age at arrest' }))
    fireEvent.change(screen.getByLabelText('New label for the field “Age at arrest”'), { target: { value: 'Age' } })
    fireEvent.keyDown(screen.getByLabelText('New label for the field “Age at arrest”'), { key: 'Escape' })
    expect(screen.queryByLabelText('New label for the field “Age at arrest”')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Retire field Age at arrest' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not saved: Field “Age at arrest”: the type or vocabulary of a field cannot change',
    )
  })

  it('describes schema paths in words and restores retired fields', () => {
    const schema: DossierSchemaConfig = {
      ...createDefaultDossierSchema(),
      fields: [{ id: 'fx', label: 'Lawyer', type: 'text', retired: true }],
    }
    expect(
      describeSchemaError(
        'Invalid dossier schema change: $.vocabularies[1].entries[6]: an entry cannot be removed, retire it instead',
        schema,
        schema,
      ),
    ).toBe('Not saved: Vocabulary “Regions” › entry “Kyiv”: an entry cannot be removed, retire it instead')
    expect(
      describeSchemaError('Invalid dossier schema: $.fields[0].label: is empty', schema, {
        ...schema,
        fields: [{ id: 'fx', label: ' ', type: 'text' }],
      }),
    ).toBe('Not saved: Field 1 › label: is empty')
    expect(restoreCustomField(schema, 'fx').fields[0]).toEqual({ id: 'fx', label: 'Lawyer', type: 'text' })
    expect(() => restoreCustomField(schema, 'nope')).toThrow('No custom field with this id')
  })
})

describe('LegalBasisEditor', () => {
  function makeVocabulary() {
    let entries: VocabularyEntryView[] = DEFAULT_LEGAL_BASES.map((e) => ({ ...e, retired: false }))
    const bridge = makeBridge((channel, request) => {
      if (channel === 'annotations:listLegalBases') return { entries }
      if (channel === 'annotations:createLegalBasis') {
        const entry = request['entry'] as VocabularyEntryView
        if (entries.some((e) => e.id === entry.id)) throw new CustodiaError('CONFLICT', 'A legal basis with this id already exists')
        entries = [...entries, { ...entry, retired: false }]
        return { entries }
      }
      if (channel === 'annotations:updateLegalBasis') {
        const { id, ...patch } = request as { id: string } & Partial<VocabularyEntryView>
        entries = entries.map((e) => (e.id === id ? { ...e, ...patch } : e))
        return { entries }
      }
      throw new Error(`unexpected channel ${channel}`)
    })
    return { bridge, read: () => entries }
  }

  it('adds an entry with a slug id, refuses an incomplete one, edits and retires it', async () => {
    const { bridge, read } = makeVocabulary()
    renderWithApi(<LegalBasisEditor />, bridge)
    expect((await screen.findByTestId('basis-count')).textContent).toBe(`${DEFAULT_LEGAL_BASES.length} entries, 0 retired`)

    const add = screen.getByRole('form', { name: 'Add a legal basis' })
    fireEvent.change(within(add).getByLabelText('Short label'), { target: { value: 'UNCAT art. 1' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add legal basis' }))
    expect(screen.getByRole('alert').textContent).toBe('Give the article.')
    expect(bridge.calls.filter(([c]) => c === 'annotations:createLegalBasis')).toEqual([])

    fireEvent.change(within(add).getByLabelText('Article'), { target: { value: '1' } })
    fireEvent.change(within(add).getByLabelText('Subject'), { target: { value: 'Definition of torture' } })
    fireEvent.change(within(add).getByLabelText('Instrument'), { target: { value: 'Convention against Torture, 10 December 1984' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add legal basis' }))
    expect((await screen.findByTestId('basis-notice')).textContent).toBe('Added “UNCAT art. 1”.')
    expect(bridge.calls.find(([c]) => c === 'annotations:createLegalBasis')![1]).toEqual({
      entry: {
        id: 'uncat-art-1',
        label: 'UNCAT art. 1',
        article: '1',
        heading: 'Definition of torture',
        title: 'Convention against Torture, 10 December 1984',
      },
    })
    expect((within(add).getByLabelText('Short label') as HTMLInputElement).value).toBe('')

    // The same label again makes the same id: refused by main, explained here.
    fireEvent.change(within(add).getByLabelText('Short label'), { target: { value: 'UNCAT art. 1' } })
    fireEvent.change(within(add).getByLabelText('Article'), { target: { value: '1' } })
    fireEvent.change(within(add).getByLabelText('Subject'), { target: { value: 'Again' } })
    fireEvent.change(within(add).getByLabelText('Instrument'), { target: { value: 'Again' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add legal basis' }))
    expect((await screen.findByRole('alert')).textContent).toContain('an entry with this id already exists')

    fireEvent.change(screen.getByLabelText('Find'), { target: { value: 'torture' } })
    expect(within(screen.getByTestId('basis-list')).getAllByRole('listitem').length).toBeLessThan(DEFAULT_LEGAL_BASES.length)
    fireEvent.click(screen.getByRole('button', { name: 'Edit UNCAT art. 1' }))
    const edit = screen.getByRole('form', { name: 'Edit UNCAT art. 1' })
    fireEvent.change(within(edit).getByLabelText('Subject'), { target: { value: 'Definition of torture (art. 1)' } })
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(read().find((e) => e.id === 'uncat-art-1')!.heading).toBe('Definition of torture (art. 1)'))
    expect(bridge.calls.find(([c]) => c === 'annotations:updateLegalBasis')![1]).toEqual({
      id: 'uncat-art-1',
      label: 'UNCAT art. 1',
      article: '1',
      heading: 'Definition of torture (art. 1)',
      title: 'Convention against Torture, 10 December 1984',
    })

    fireEvent.click(await screen.findByRole('button', { name: 'Retire UNCAT art. 1' }))
    await screen.findByRole('button', { name: 'Restore UNCAT art. 1' })
    expect(read().find((e) => e.id === 'uncat-art-1')!.retired).toBe(true)
    expect(bridge.calls.at(-1)).toEqual(['annotations:updateLegalBasis', { id: 'uncat-art-1', retired: true }])
  })

  it('makes ids from labels and checks lengths before sending', () => {
    expect(createLegalBasisId('GC IV art. 49 ')).toBe('gc-iv-art-49')
    expect(createLegalBasisId('Конвенція')).toBe('')
    expect(checkLegalBasisEntry({ id: '', label: 'Конвенція', article: '1', heading: 'h', title: 't' })).toBe(
      'The short label needs Latin letters or digits: they make its id.',
    )
    expect(checkLegalBasisEntry({ id: 'x', label: 'x', article: '123456789012345678901', heading: 'h', title: 't' })).toBe(
      'The article is too long: keep it to 20 characters or fewer.',
    )
    expect(checkLegalBasisEntry({ id: 'x', label: 'x', article: '1', heading: 'h', title: 't' })).toBeNull()
  })
})

describe('DossierForm comments', () => {
  const ID = 'c'.repeat(32)
  const NOTE = 'Heart condition; needs daily metoprolol.'
  const dossier = parseDossier({
    names: { original: 'Petro Testovy' },
    category: 'political-prisoner',
    statusHistory: [{ id: 'ev1', date: '2023-06-02', status: 'detained', note: 'Seen in court' }],
    vulnerability: { medicalNote: NOTE },
    sources: [
      { id: 'src1', type: 'person', name: 'Wife' },
      { id: 'src2', type: 'organisation', name: 'Lawyer' },
    ],
    timeline: [{ id: 'tl1', date: '2023-06-02', description: 'Arrested at home' }],
  })
  const annotation = (field: string, text: string): AnchoredAnnotationView => {
    const sel = describeSelection(NOTE, 0, 15)
    return {
      annotation: {
        id: field === '/vulnerability/medicalNote' ? '6f1c2a4e-8d3b-4c1f-9a2e-123456789abc' : '7f1c2a4e-8d3b-4c1f-9a2e-123456789abc',
        recordId: ID,
        revision: 1,
        target: field === '/vulnerability/medicalNote' ? { field, quote: sel.quote, position: sel.position } : { field },
        body: { html: '', text },
        author: { id: 'a', name: 'Alice' },
        createdAt: '2025-01-01T00:00:00.000Z',
        modifiedAt: '2025-01-01T00:00:00.000Z',
        tags: [],
        legalBases: [],
        status: 'open',
        replies: [],
      },
      anchor: field === '/vulnerability/medicalNote' ? { status: 'exact', start: 0, end: 15, score: 1 } : { status: 'field' },
    }
  }
  const bridge = () =>
    makeBridge((channel) => {
      switch (channel) {
        case 'dossiers:get':
          return {
            id: ID,
            revision: 2,
            savedAt: '2025-01-01T00:00:00Z',
            author: '',
            dossier,
            familyCount: 0,
            familyRevealed: false,
            issues: [],
          }
        case 'dossiers:getSchema':
          return { revision: 1, schema: createDefaultDossierSchema() }
        case 'dossiers:listLists':
          return { lists: [] }
        case 'library:list':
          return { documents: [] }
        case 'dossiers:checkDuplicates':
          return { matches: [] }
        case 'annotations:list':
          return {
            revision: 2,
            annotations: [
              annotation('/vulnerability/medicalNote', 'Check the dosage'),
              annotation('/sources/1', 'Lawyer confirmed by phone'),
            ],
          }
        case 'annotations:listLegalBases':
          return { entries: [] }
        default:
          throw new Error(`unexpected channel ${channel}`)
      }
    })
  const noop = () => undefined

  it('offers "Comments (n)" on the long fields of a saved dossier and opens them beside the form', async () => {
    const b = bridge()
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, b)
    const medical = await screen.findByRole('button', { name: 'Comments (1) on medical note' })
    expect(screen.getByRole('button', { name: 'Comments (0) on status event 1 note' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Comments (0) on timeline event 1' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Comments (0) on source 1' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Comments (1) on source 2' })).toBeTruthy()
    expect(medical.getAttribute('aria-expanded')).toBe('false')

    fireEvent.click(medical)
    const aside = await screen.findByTestId('comments-aside')
    await within(aside).findByText('Check the dosage')
    expect(within(aside).getByRole('heading').textContent).toBe('Comments on Medical note')
    expect([...aside.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Heart condition'])
    // The notes' own form is not nested in the dossier form.
    expect(aside.closest('form')).toBeNull()
    expect(medical.getAttribute('aria-expanded')).toBe('true')
    fireEvent.click(screen.getByRole('button', { name: 'Hide comments' }))
    expect(screen.queryByTestId('comments-aside')).toBeNull()

    // After an unsaved removal, source 2 sits at index 0: its pointer would name another source, so no toggle.
    fireEvent.click(screen.getByRole('button', { name: 'Remove source 1' }))
    expect(screen.queryByRole('button', { name: /on source/ })).toBeNull()
    // A field emptied and saved is gone from the stored body: the toggle goes with it only after the save.
    expect(screen.getByRole('button', { name: 'Comments (1) on medical note' })).toBeTruthy()
  })

  it('offers no comments on a new dossier', async () => {
    const b = bridge()
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, b)
    await screen.findByLabelText('Medical note')
    fireEvent.change(screen.getByLabelText('Medical note'), { target: { value: 'x' } })
    expect(screen.queryByRole('button', { name: /^Comments/ })).toBeNull()
    expect(b.calls.filter(([c]) => c === 'annotations:list')).toEqual([])
  })
})
