// Renderer (jsdom): the dossier form's files against a typed fake bridge — a new dossier asks for a save first and
// requests no files; a saved one lists its files, offers only images as the photo, previews the chosen photo from
// its data URL, sends photoAttachmentId and a timeline event's attachmentIds with the next save (and drops the
// photo on "Remove photo"), and warns before saving an unencrypted copy.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDossier } from '../../shared/dossiers/dossier'
import { createDefaultDossierSchema } from '../../shared/dossiers/dossierSchema'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { DossierForm } from '../../renderer/src/features/dossiers/DossierForm'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const ID = 'a'.repeat(32)
const PNG_ID = '1'.repeat(32)
const LETTER_ID = '2'.repeat(32)
const DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const stored = parseDossier({
  names: { original: 'Олена Вигадана' },
  category: 'civilian-detainee',
  timeline: [{ id: 't1', date: '2024-02-11', description: 'Letter sent to the ombudsman.' }],
})
const files = [
  { id: PNG_ID, recordId: ID, filename: 'portrait.png', mediaType: 'image/png', size: 2048, addedAt: '2025-03-04T10:00:00Z' },
  { id: LETTER_ID, recordId: ID, filename: 'letter.txt', mediaType: 'text/plain', size: 87, addedAt: '2025-03-04T10:00:01Z' },
]

function fakeBridge(): CustodiaBridge & { calls: [string, Record<string, unknown>][] } {
  const calls: [string, Record<string, unknown>][] = []
  const answer = (channel: string, request: Record<string, unknown>): unknown => {
    switch (channel) {
      case 'dossiers:get':
        return {
          id: ID,
          revision: 3,
          savedAt: '2025-01-01T00:00:00Z',
          author: '',
          dossier: stored,
          familyCount: 0,
          familyRevealed: false,
          issues: [],
        }
      case 'dossiers:update':
        return { id: ID, revision: 4, warnings: [] }
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
        return { attachments: files }
      case 'dossiers:getPhoto':
        return { dataUrl: request['attachmentId'] === PNG_ID ? DATA_URL : null }
      case 'dossiers:exportAttachment':
        return { saved: true }
      default:
        throw new Error(`unexpected channel ${channel}`)
    }
  }
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      return { ok: true, value: answer(channel, request as Record<string, unknown>) } as IpcResult<unknown>
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

const noop = () => undefined

describe('DossierForm files', () => {
  it('asks to save a new dossier before files can be added, and requests none', async () => {
    const bridge = fakeBridge()
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    expect(screen.getByTestId('files-unsaved').textContent).toBe('Save the dossier to add files.')
    expect(screen.queryByRole('button', { name: 'Attach files…' })).toBeNull()
    expect(screen.queryByLabelText('Photo')).toBeNull()
    await waitFor(() => expect(bridge.calls.some(([c]) => c === 'dossiers:getSchema')).toBe(true))
    expect(bridge.calls.filter(([c]) => c.startsWith('dossiers:addAttachments') || c === 'dossiers:getPhoto')).toEqual([])
  })

  it('sets the photo and links a file to a timeline event, saved with the form', async () => {
    const bridge = fakeBridge()
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    const rows = await screen.findAllByTestId('dossier-file')
    expect(rows.map((r) => r.querySelector('.filename')!.textContent)).toEqual(['portrait.png', 'letter.txt'])
    expect(rows[0]!.textContent).toContain('2.0 KiB')

    // Only images can be the photo.
    const choice = screen.getByLabelText('Photo') as HTMLSelectElement
    expect([...choice.options].map((o) => o.textContent)).toEqual(['No photo', 'portrait.png'])
    fireEvent.change(choice, { target: { value: PNG_ID } })
    const img = (await screen.findByTestId('dossier-photo')) as HTMLImageElement
    expect(img.getAttribute('src')).toBe(DATA_URL)
    expect(bridge.calls.find(([c]) => c === 'dossiers:getPhoto')![1]).toEqual({ id: ID, attachmentId: PNG_ID })

    const links = screen.getByRole('group', { name: 'Files linked' })
    fireEvent.click(within(links).getByLabelText('letter.txt'))
    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(screen.getByTestId('save-state').textContent).toBe('All changes saved'))
    const update = bridge.calls.find(([c]) => c === 'dossiers:update')![1] as {
      dossier: { photoAttachmentId?: string; timeline: { attachmentIds: string[] }[] }
    }
    expect(update.dossier.photoAttachmentId).toBe(PNG_ID)
    expect(update.dossier.timeline[0]!.attachmentIds).toEqual([LETTER_ID])

    // "Remove photo" empties the slot and the next save leaves the field out.
    fireEvent.click(screen.getByRole('button', { name: 'Remove photo' }))
    expect(screen.queryByTestId('dossier-photo')).toBeNull()
    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(bridge.calls.filter(([c]) => c === 'dossiers:update')).toHaveLength(2))
    const second = bridge.calls.filter(([c]) => c === 'dossiers:update')[1]![1] as { dossier: Record<string, unknown> }
    expect('photoAttachmentId' in second.dossier).toBe(false)
  })

  it('warns that a saved copy is unencrypted before asking main to write it', async () => {
    const bridge = fakeBridge()
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Save a copy of letter.txt…' }))
    const warning = screen.getByRole('alertdialog')
    expect(warning.textContent).toContain('The copy will not be encrypted.')
    expect(bridge.calls.filter(([c]) => c === 'dossiers:exportAttachment')).toEqual([])
    fireEvent.click(within(warning).getByRole('button', { name: 'Save unencrypted copy…' }))
    expect(await screen.findByText('Saved an unencrypted copy of letter.txt.')).toBeTruthy()
    expect(bridge.calls.find(([c]) => c === 'dossiers:exportAttachment')![1]).toEqual({ id: ID, attachmentId: LETTER_ID })
  })
})
