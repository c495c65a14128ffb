// Renderer (jsdom): "Delete" on attachment rows and renaming a vocabulary, against typed fake bridges — the library
// list and the dossier files ask first in a dialog that names the file and says it cannot be undone (Cancel sends
// nothing and returns focus), then delete and show the list without the row; failures show inline and keep the row;
// the dossier form drops the deleted file's photo/timeline pointers, keeps unsaved edits and saves on the new revision.
// The vocabulary editor renames inline: Enter applies, Escape cancels, and the label is saved with the schema.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDossier } from '../../shared/dossiers/dossier'
import { createDefaultDossierSchema, parseDossierSchemaConfig, type DossierSchemaConfig } from '../../shared/dossiers/dossierSchema'
import type { CustodiaBridge, IpcFailure, IpcResult } from '../../shared/ipc/contract'
import type { AttachmentView } from '../../shared/ipc/channels/libraryChannels'
import { AttachmentList } from '../../renderer/src/features/library/AttachmentList'
import { DossierForm } from '../../renderer/src/features/dossiers/DossierForm'
import { SchemaEditor } from '../../renderer/src/features/dossiers/SchemaEditor'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

type Calls = [string, Record<string, unknown>][]
type Answer = (channel: string, request: Record<string, unknown>) => unknown

/** A bridge answering from `answer`; an answer of { failure } becomes a failed result, as main sends it. */
function makeBridge(answer: Answer): CustodiaBridge & { calls: Calls } {
  const calls: Calls = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      const value = answer(channel, request as Record<string, unknown>) as { failure?: IpcFailure }
      if (value && typeof value === 'object' && 'failure' in value) return { ok: false, error: value.failure! } as IpcResult<unknown>
      return { ok: true, value } as IpcResult<unknown>
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

const DOC = 'd'.repeat(32)
const ORIGINAL = '1'.repeat(32)
const LATER = '2'.repeat(32)
const docFiles: AttachmentView[] = [
  {
    id: ORIGINAL,
    recordId: DOC,
    filename: 'letter.docx',
    mediaType: 'application/octet-stream',
    size: 2048,
    addedAt: '2025-03-04T10:00:00Z',
  },
  { id: LATER, recordId: DOC, filename: 'reply scan.pdf', mediaType: 'application/pdf', size: 4096, addedAt: '2025-03-05T10:00:00Z' },
]

describe('AttachmentList delete', () => {
  it('asks first, naming the file; Cancel sends nothing; Delete file removes the row', async () => {
    let stored = [...docFiles]
    const bridge = makeBridge((channel, request) => {
      if (channel === 'library:listAttachments') return { attachments: stored }
      if (channel === 'library:deleteAttachment') {
        stored = stored.filter((a) => a.id !== request['attachmentId'])
        return { attachments: stored }
      }
      throw new Error(`unexpected channel ${channel}`)
    })
    renderWithApi(<AttachmentList documentId={DOC} />, bridge)
    const deleteButton = await screen.findByRole('button', { name: 'Delete letter.docx' })
    deleteButton.focus()
    fireEvent.click(deleteButton)
    const dialog = screen.getByRole('dialog', { name: 'Delete letter.docx?' })
    expect(dialog.textContent).toContain('“letter.docx”')
    expect(dialog.textContent).toContain('This cannot be undone.')
    // Focus starts on the safe choice; Cancel closes, sends nothing and returns to the row's Delete button.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete letter.docx' }))
    expect(bridge.calls.map(([c]) => c)).toEqual(['library:listAttachments'])

    // Escape cancels too.
    fireEvent.click(screen.getByRole('button', { name: 'Delete letter.docx' }))
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: 'Delete letter.docx' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete file' }))
    await waitFor(() => expect(screen.queryByText('letter.docx')).toBeNull())
    expect(screen.getByText('reply scan.pdf')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toBe('Deleted letter.docx.')
    expect(bridge.calls.find(([c]) => c === 'library:deleteAttachment')![1]).toEqual({ documentId: DOC, attachmentId: ORIGINAL })
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Attachments' }))
  })

  it('shows a failure inline and keeps the row', async () => {
    const bridge = makeBridge((channel) => {
      if (channel === 'library:listAttachments') return { attachments: docFiles }
      if (channel === 'library:deleteAttachment') return { failure: { code: 'VAULT_LOCKED', message: 'The vault is locked' } }
      throw new Error(`unexpected channel ${channel}`)
    })
    renderWithApi(<AttachmentList documentId={DOC} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Delete reply scan.pdf' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete file' }))
    expect((await screen.findByRole('alert')).textContent).toBe('The vault is locked')
    expect(screen.getByText('reply scan.pdf')).toBeTruthy()
    expect(screen.queryByRole('status')).toBeNull()
  })
})

const ID = 'a'.repeat(32)
const PNG_ID = '3'.repeat(32)
const LETTER_ID = '4'.repeat(32)
const DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const dossierFiles: AttachmentView[] = [
  { id: PNG_ID, recordId: ID, filename: 'portrait.png', mediaType: 'image/png', size: 2048, addedAt: '2025-03-04T10:00:00Z' },
  { id: LETTER_ID, recordId: ID, filename: 'letter.txt', mediaType: 'text/plain', size: 87, addedAt: '2025-03-04T10:00:01Z' },
]
const storedDossier = parseDossier({
  names: { original: 'Олена Вигадана' },
  category: 'civilian-detainee',
  photoAttachmentId: PNG_ID,
  timeline: [{ id: 't1', date: '2024-02-11', description: 'Letter sent to the ombudsman.', attachmentIds: [PNG_ID] }],
})

function makeDossierBridge(onDelete: Answer) {
  return makeBridge((channel, request) => {
    switch (channel) {
      case 'dossiers:get':
        return {
          id: ID,
          revision: 3,
          savedAt: '2025-01-01T00:00:00Z',
          author: '',
          dossier: storedDossier,
          familyCount: 0,
          familyRevealed: false,
          issues: [],
        }
      case 'dossiers:update':
        return { id: ID, revision: (request['expectedRevision'] as number) + 1, warnings: [] }
      case 'dossiers:getSchema':
        return { revision: 1, schema: createDefaultDossierSchema() }
      case 'dossiers:listLists':
        return { lists: [] }
      case 'library:list':
        return { documents: [] }
      case 'annotations:list':
        return { annotations: [] }
      case 'dossiers:checkDuplicates':
        return { matches: [] }
      case 'dossiers:listAttachments':
        return { attachments: dossierFiles }
      case 'dossiers:getPhoto':
        return { dataUrl: request['attachmentId'] === PNG_ID ? DATA_URL : null }
      case 'dossiers:deleteAttachment':
        return onDelete(channel, request)
      default:
        throw new Error(`unexpected channel ${channel}`)
    }
  })
}

const noop = () => undefined

describe('DossierForm file delete', () => {
  it('deletes the photo file after a confirmation, drops its pointers, keeps unsaved edits and saves on the new revision', async () => {
    const bridge = makeDossierBridge((_c, request) => ({
      revision: 4,
      attachments: dossierFiles.filter((a) => a.id !== request['attachmentId']),
    }))
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    await screen.findByTestId('dossier-photo')
    // An unsaved edit first: link the letter to the event as well.
    const links = screen.getByRole('group', { name: 'Files linked' })
    fireEvent.click(within(links).getByLabelText('letter.txt'))
    expect(screen.getByTestId('save-state').textContent).toBe('Unsaved changes')

    fireEvent.click(screen.getByRole('button', { name: 'Delete portrait.png' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete portrait.png?' })
    expect(dialog.textContent).toContain('from the photo and timeline events that use it. This cannot be undone.')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete file' }))
    await waitFor(() =>
      expect(screen.getAllByTestId('dossier-file').map((r) => r.querySelector('.filename')!.textContent)).toEqual(['letter.txt']),
    )
    expect(bridge.calls.find(([c]) => c === 'dossiers:deleteAttachment')![1]).toEqual({ id: ID, attachmentId: PNG_ID, expectedRevision: 3 })
    // The dialog's buttons did not submit the dossier form around them.
    expect(bridge.calls.filter(([c]) => c === 'dossiers:update')).toEqual([])
    // The file list and the form's photo slot re-render separately: wait for the slot too.
    await waitFor(() => expect(screen.queryByTestId('dossier-photo')).toBeNull())
    expect(screen.getByTestId('photo-slot').textContent).toContain('No photo')
    expect((within(screen.getByRole('group', { name: 'Files linked' })).getByLabelText('letter.txt') as HTMLInputElement).checked).toBe(
      true,
    )
    expect(screen.getByTestId('save-state').textContent).toBe('Unsaved changes')
    expect(screen.getByText('Deleted portrait.png.')).toBeTruthy()

    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(screen.getByTestId('save-state').textContent).toBe('All changes saved'))
    const update = bridge.calls.find(([c]) => c === 'dossiers:update')![1] as {
      expectedRevision: number
      dossier: { photoAttachmentId?: string; timeline: { attachmentIds: string[] }[] }
    }
    expect(update.expectedRevision).toBe(4)
    expect('photoAttachmentId' in update.dossier).toBe(false)
    expect(update.dossier.timeline[0]!.attachmentIds).toEqual([LETTER_ID])
  })

  it('says plainly when someone saved the dossier since, and keeps the file', async () => {
    const bridge = makeDossierBridge(() => ({ failure: { code: 'CONFLICT', message: 'The dossier was changed since it was read' } }))
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Delete letter.txt' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete file' }))
    const files = screen.getByTestId('dossier-files')
    expect((await within(files).findByRole('alert')).textContent).toContain('someone saved this dossier since you opened it')
    expect(screen.getAllByTestId('dossier-file')).toHaveLength(2)
    await screen.findByTestId('dossier-photo')
  })
})

describe('SchemaEditor vocabulary rename', () => {
  function makeSchemaBridge() {
    const store = { revision: 1, schema: createDefaultDossierSchema() as DossierSchemaConfig }
    const bridge = makeBridge((channel, request) => {
      if (channel === 'dossiers:getSchema') return { revision: store.revision, schema: store.schema }
      if (channel === 'dossiers:updateSchema') {
        store.schema = parseDossierSchemaConfig(request['schema'])
        store.revision += 1
        return { revision: store.revision }
      }
      throw new Error(`unexpected channel ${channel}`)
    })
    return { store, bridge }
  }

  it('renames inline: Escape cancels, an empty label is refused, Enter applies, and Save stores it under the same id', async () => {
    const { store, bridge } = makeSchemaBridge()
    renderWithApi(<SchemaEditor />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: /^Regions/ }))

    fireEvent.click(screen.getByRole('button', { name: 'Rename vocabulary Regions' }))
    let input = screen.getByLabelText('New label for the vocabulary “Regions”') as HTMLInputElement
    expect(document.activeElement).toBe(input)
    expect(input.value).toBe('Regions')
    fireEvent.change(input, { target: { value: 'Discarded' } })
    fireEvent.keyDown(input, { key: 'Escape' })
    expect(screen.queryByLabelText('New label for the vocabulary “Regions”')).toBeNull()
    expect(screen.getByRole('heading', { name: 'Regions' })).toBeTruthy()
    expect(screen.getByTestId('schema-state').textContent).toBe('No changes')

    fireEvent.click(screen.getByRole('button', { name: 'Rename vocabulary Regions' }))
    input = screen.getByLabelText('New label for the vocabulary “Regions”') as HTMLInputElement
    fireEvent.change(input, { target: { value: '   ' } })
    fireEvent.submit(input.closest('form')!)
    expect(screen.getByRole('alert').textContent).toBe('Not changed: a label cannot be empty.')
    expect(screen.getByTestId('schema-state').textContent).toBe('No changes')

    fireEvent.change(input, { target: { value: '  Oblasts and cities ' } })
    fireEvent.submit(input.closest('form')!)
    expect(screen.queryByLabelText('New label for the vocabulary “Regions”')).toBeNull()
    expect(screen.getByRole('heading', { name: 'Oblasts and cities' })).toBeTruthy()
    expect(within(screen.getByRole('list', { name: 'Vocabularies' })).getByRole('button', { name: /^Oblasts and cities/ })).toBeTruthy()
    expect(screen.getByTestId('schema-state').textContent).toBe('Unsaved changes')

    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(screen.getByTestId('schema-state').textContent).toBe('All changes saved'))
    const saved = bridge.calls.find(([c]) => c === 'dossiers:updateSchema')![1] as { schema: DossierSchemaConfig; expectedRevision: number }
    expect(saved.expectedRevision).toBe(1)
    const regions = store.schema.vocabularies.find((v) => v.id === 'regions')!
    expect(regions.label).toBe('Oblasts and cities')
    expect(regions.entries).toEqual(createDefaultDossierSchema().vocabularies.find((v) => v.id === 'regions')!.entries)
  })
})
