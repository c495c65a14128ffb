// Renderer (jsdom): typed text in the library editor is never lost — the title stops at the contract's limit with a
// counter near it; a failed save keeps the text, says why in plain words and saves on the next edit; leaving a
// document whose save failed asks first ("Keep editing" keeps the text, "Discard changes" switches); and every error
// code of a failed save becomes a sentence without schema words (describeSaveFailure). The details name the kind,
// status and language in words.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ERROR_CODES, type ErrorCode } from '../../shared/errors'
import type { CustodiaBridge, IpcFailure, IpcResult } from '../../shared/ipc/contract'
import { MAX_TITLE_CHARS, documentBodySchema, type LibraryDocument } from '../../shared/library/document'
import { ApiError } from '../../renderer/src/api/client'
import { LibraryView } from '../../renderer/src/features/library/LibraryView'
import { describeSaveFailure } from '../../renderer/src/features/library/saveFailure'
import { AUTOSAVE_DELAY_MS } from '../../renderer/src/features/library/autosave'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const FIRST = 'a'.repeat(32)
const SECOND = 'b'.repeat(32)
const SCHEMA_WORDS = /invalid request|too big|too small|expected|document\.|VALIDATION|undefined/i

function makeDoc(title: string): LibraryDocument {
  return documentBodySchema.parse({ kind: 'note', title, date: '2025-03-04', text: `Text of ${title}` })
}

type Update = { id: string; expectedRevision: number; document: LibraryDocument }

/**
 * A library of two notes whose `library:update` answers from `failNext` (a failure as main sends it) or saves. The
 * real contract checks the request first, as the dispatcher does, so a title over the limit fails as in the app.
 */
function makeLibrary() {
  const docs = new Map([
    [FIRST, { revision: 1, document: makeDoc('Report on Dravonia') }],
    [SECOND, { revision: 1, document: makeDoc('Reply from the ministry') }],
  ])
  const state = { failNext: [] as IpcFailure[], updates: [] as Update[] }
  const bridge: CustodiaBridge = {
    invoke: async (channel, request) => {
      const ok = (value: unknown) => ({ ok: true, value }) as IpcResult<unknown>
      const req = request as Record<string, unknown>
      switch (channel) {
        case 'library:list':
          return ok({
            documents: [...docs].map(([id, d]) => ({
              id,
              kind: 'note',
              revision: d.revision,
              title: d.document.title,
              date: d.document.date,
              status: 'draft',
              language: 'en',
              tags: [],
              savedAt: '2025-03-04T10:00:00Z',
            })),
          })
        case 'search:listSaved':
          return ok({ searches: [] })
        case 'library:get': {
          const d = docs.get(req['id'] as string)!
          return ok({
            id: req['id'],
            kind: 'note',
            revision: d.revision,
            savedAt: '2025-03-04T10:00:00Z',
            author: 'me',
            document: d.document,
          })
        }
        case 'library:update': {
          const failure = state.failNext.shift()
          if (failure) return { ok: false, error: failure }
          const parsed = documentBodySchema.safeParse((req as Update).document)
          if (!parsed.success)
            return {
              ok: false,
              error: {
                code: 'VALIDATION',
                message: 'Invalid request: document.title: Too big',
                issues: parsed.error.issues.map((i) => ({ path: ['document', ...i.path].join('.'), message: i.message })),
              },
            }
          const d = docs.get(req['id'] as string)!
          d.revision += 1
          d.document = parsed.data
          state.updates.push(req as Update)
          return ok({ id: req['id'], revision: d.revision })
        }
        case 'library:listAttachments':
          return ok({ attachments: [] })
        case 'annotations:list':
          return ok({ revision: 1, annotations: [] })
        case 'annotations:listLegalBases':
          return ok({ entries: [] })
        default:
          throw new Error(`unexpected channel ${channel}`)
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
  return { bridge, state }
}

/** The library with FIRST open; `selected` follows onSelect as the workspace does. */
async function openLibrary() {
  const lib = makeLibrary()
  let selected: string | null = FIRST
  function Host() {
    const [id, setId] = useState<string | null>(FIRST)
    selected = id
    return <LibraryView selectedId={id} onSelect={setId} onOpenSavedSearch={() => undefined} />
  }
  renderWithApi(<Host />, lib.bridge)
  const title = (await screen.findByRole('textbox', { name: 'Title' })) as HTMLTextAreaElement
  expect(title.value).toBe('Report on Dravonia')
  return { ...lib, title, selected: () => selected }
}

const saveState = () => screen.getByTestId('save-state').textContent
const waitForSave = () => act(() => new Promise((r) => setTimeout(r, AUTOSAVE_DELAY_MS + 50)))

describe('the title box', () => {
  it('stops at the contract limit, with a counter only near it', async () => {
    const { title, state } = await openLibrary()
    expect(title.maxLength).toBe(MAX_TITLE_CHARS)
    fireEvent.change(title, { target: { value: 'x'.repeat(440) } })
    expect(screen.queryByTestId('title-counter')).toBeNull()
    fireEvent.change(title, { target: { value: 'x'.repeat(480) } })
    expect(screen.getByTestId('title-counter').textContent).toBe('480 / 500')
    fireEvent.change(title, { target: { value: 'y'.repeat(600) } })
    expect(title.value).toBe('y'.repeat(MAX_TITLE_CHARS))
    expect(screen.getByTestId('title-counter').textContent).toBe('500 / 500')
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 3000 })
    expect(state.updates.at(-1)!.document.title).toBe('y'.repeat(MAX_TITLE_CHARS))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('saves an emptied title as "Untitled", and the box stays empty', async () => {
    const { title, state } = await openLibrary()
    fireEvent.change(title, { target: { value: '' } })
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 3000 })
    expect(state.updates.at(-1)!.document.title).toBe('Untitled')
    expect(title.value).toBe('')
    expect(title.placeholder).toBe('Untitled')
  })
})

describe('the details', () => {
  it('names the kind, the statuses and the languages in words, never by their codes', async () => {
    await openLibrary()
    const options = (label: string) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.textContent)
    expect(options('Kind')).toEqual(['Note'])
    expect(options('Status')).toEqual(['Draft', 'Sent', 'Received', 'Published', 'Archived'])
    expect(options('Language').slice(0, 5)).toEqual(['English', 'Ukrainian', 'Russian', 'Belarusian', 'Norwegian Bokmål'])
    expect((screen.getByLabelText('Language') as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('English')
  })
})

describe('a failed save', () => {
  it('keeps the typed text, says why in words, offers the fix and saves on the next edit (a too-long title)', async () => {
    const { title, state } = await openLibrary()
    // A title the input cannot produce (an older document, another client): the contract refuses it.
    state.failNext.push({
      code: 'VALIDATION',
      message: 'Invalid request: document.title: Too big: expected string to have <=500 characters',
      issues: [{ path: 'document.title', message: 'Too big: expected string to have <=500 characters' }],
    })
    fireEvent.change(title, { target: { value: 'Report on Dravonia, corrected' } })
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 })
    expect(alert.textContent).toContain('Not saved: the title is longer than 500 characters. Shorten it to save.')
    expect(alert.textContent).not.toMatch(SCHEMA_WORDS)
    expect(saveState()).toBe('Not saved')
    expect(title.value).toBe('Report on Dravonia, corrected')
    expect(title.getAttribute('aria-invalid')).toBe('true')
    fireEvent.click(within(alert).getByRole('button', { name: 'Edit the title' }))
    expect(document.activeElement).toBe(title)

    fireEvent.change(title, { target: { value: 'Report on Dravonia, corrected again' } })
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 3000 })
    expect(screen.queryByRole('alert')).toBeNull()
    expect(state.updates.map((u) => u.document.title)).toEqual(['Report on Dravonia, corrected again'])
  })

  it('keeps the text on a disk error and tries again with the next change', async () => {
    const { title, state } = await openLibrary()
    state.failNext.push({ code: 'INTERNAL', message: 'Something went wrong inside Custodia.' })
    const organisation = screen.getByRole('textbox', { name: 'Author organisation' }) as HTMLInputElement
    fireEvent.change(organisation, { target: { value: 'Helsinki Committee' } })
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 })
    expect(alert.textContent).toBe('Not saved. Your text is still here; Custodia will try again with your next change.')
    expect(organisation.value).toBe('Helsinki Committee')
    fireEvent.change(title, { target: { value: 'Report on Dravonia (draft)' } })
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 3000 })
    expect(state.updates).toHaveLength(1)
    expect(state.updates[0]!.document).toMatchObject({ authorOrganisation: 'Helsinki Committee', title: 'Report on Dravonia (draft)' })
  })
})

describe('leaving a document with unsaved changes', () => {
  it('asks when the save failed: "Keep editing" keeps the text, "Discard changes" switches', async () => {
    const { title, state, selected } = await openLibrary()
    state.failNext.push({ code: 'VAULT_LOCKED', message: 'The vault is locked.' })
    fireEvent.change(title, { target: { value: 'Report on Dravonia — not yet saved' } })
    await screen.findByRole('alert', {}, { timeout: 3000 })

    // The save fails again at the switch (still locked): the user is asked, the safe choice focused.
    state.failNext.push({ code: 'VAULT_LOCKED', message: 'The vault is locked.' })
    fireEvent.click(screen.getByText('Reply from the ministry'))
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' })
    expect(dialog.textContent).toContain('Not saved: the vault is locked.')
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep editing' })))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep editing' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(selected()).toBe(FIRST)
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLTextAreaElement).value).toBe('Report on Dravonia — not yet saved')

    state.failNext.push({ code: 'VAULT_LOCKED', message: 'The vault is locked.' })
    fireEvent.click(screen.getByText('Reply from the ministry'))
    const again = await screen.findByRole('dialog', { name: 'Leave without saving?' })
    fireEvent.click(within(again).getByRole('button', { name: 'Discard changes' }))
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLTextAreaElement).value).toBe('Reply from the ministry'),
    )
    expect(selected()).toBe(SECOND)
    await waitForSave()
    expect(state.updates).toEqual([])
  })

  it('waits for a pending save and switches without asking when it succeeds', async () => {
    const { title, state, selected } = await openLibrary()
    fireEvent.change(title, { target: { value: 'Report on Dravonia, final' } })
    expect(saveState()).toBe('Unsaved changes')
    fireEvent.click(screen.getByText('Reply from the ministry'))
    await waitFor(() => expect(selected()).toBe(SECOND))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(state.updates.map((u) => [u.id, u.document.title])).toEqual([[FIRST, 'Report on Dravonia, final']])
  })
})

describe('describeSaveFailure', () => {
  const failure = (code: ErrorCode, issues?: IpcFailure['issues']) =>
    new ApiError({ code, message: `Invalid request: document.x: Too big: expected ${code}`, ...(issues ? { issues } : {}) })
  const doc = makeDoc('A title')

  it('gives every error code a sentence in plain words that says the text is kept or the way out', () => {
    for (const code of ERROR_CODES) {
      const { message } = describeSaveFailure(failure(code), doc)
      expect(message, code).toMatch(/^Not saved/)
      expect(message, code).not.toMatch(SCHEMA_WORDS)
    }
    expect(describeSaveFailure(failure('VAULT_LOCKED'), doc).message).toBe(
      'Not saved: the vault is locked. Unlock it, then change something to save.',
    )
    expect(describeSaveFailure(failure('CONFLICT'), doc)).toEqual({
      message: 'Not saved: this document was changed elsewhere. Copy your edits, then reload it.',
      fix: 'reload',
    })
    expect(describeSaveFailure(failure('NOT_FOUND'), doc).message).toContain('no longer in the vault')
    for (const code of ['INTERNAL', 'CORRUPT', 'TAMPERED', 'UNSUPPORTED', 'CANCELLED', 'NOT_A_VAULT', 'WRONG_PASSPHRASE'] as const)
      expect(describeSaveFailure(failure(code), doc).message, code).toBe(
        'Not saved. Your text is still here; Custodia will try again with your next change.',
      )
    expect(describeSaveFailure(new Error('EIO: disk full'), doc).message).toBe(
      'Not saved. Your text is still here; Custodia will try again with your next change.',
    )
  })

  it('names the field of a validation issue', () => {
    const issue = (path: string) => failure('VALIDATION', [{ path, message: 'Too big: expected string to have <=500 characters' }])
    expect(describeSaveFailure(issue('document.title'), { ...doc, title: 'x'.repeat(600) })).toEqual({
      message: 'Not saved: the title is longer than 500 characters. Shorten it to save.',
      fix: 'title',
    })
    expect(describeSaveFailure(issue('document.title'), { ...doc, title: '' })).toEqual({
      message: 'Not saved: the title is empty. Give the document a title to save.',
      fix: 'title',
    })
    expect(describeSaveFailure(issue('document.recipients.0.name'), doc).message).toContain('longer than 300 characters')
    expect(describeSaveFailure(issue('document.tags.3'), doc).message).toContain('a tag is longer than 80 characters')
    expect(describeSaveFailure(issue('document.date'), doc).message).toContain('the date is not a complete date')
    expect(describeSaveFailure(failure('VALIDATION'), { ...doc, text: 'x'.repeat(1024 * 1024) }).message).toContain('too long to save')
    expect(describeSaveFailure(failure('VALIDATION'), doc).message).toBe(
      'Not saved: part of this document cannot be saved as it is. Your text is still here.',
    )
  })
})
