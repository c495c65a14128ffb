// Renderer (jsdom): the Letters page lists the library's letters — title, recipient, status, date, in the order core
// gives (newest first) — against a typed fake bridge; a drafted letter opens in the letter editor, any other letter in
// the library; with no letters it says so and how to start one.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { LetterListingView, TemplateListingView } from '../../shared/ipc/channels/letterChannels'
import { LettersPanel } from '../../renderer/src/features/letters/LettersPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const DRAFTED = 'a'.repeat(32)
const SENT = 'b'.repeat(32)
const RECEIVED = 'c'.repeat(32)

const LETTERS: LetterListingView[] = [
  {
    id: DRAFTED,
    revision: 3,
    title: 'Not dated yet',
    date: null,
    status: 'draft',
    firstRecipient: null,
    recipientCount: 0,
    templateId: 'head-of-government-letter',
    savedAt: '2026-12-04T10:15:00.000Z',
  },
  {
    id: SENT,
    revision: 2,
    title: 'Detained civilians: a proposal',
    date: '2025-05-26',
    status: 'sent',
    firstRecipient: 'Ingrid Examplesen',
    recipientCount: 1,
    templateId: 'head-of-government-letter',
    savedAt: '2026-12-03T09:00:00.000Z',
  },
  {
    id: RECEIVED,
    revision: 1,
    title: 'Reply from the ministry',
    date: '2024-01-10',
    status: 'received',
    firstRecipient: 'Kari Nordmann',
    recipientCount: 3,
    templateId: null,
    savedAt: '2026-12-01T08:00:00.000Z',
  },
]

function fakeBridge(letters: LetterListingView[], templates: TemplateListingView[] = []): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  const ok = (value: unknown): IpcResult<unknown> => ({ ok: true, value })
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request])
      switch (channel) {
        case 'letters:listTemplates':
          return ok({ templates })
        case 'letters:list':
          return ok({ letters })
        default:
          return { ok: false, error: { code: 'NOT_FOUND', message: 'No letter drafted from a template has that id.' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

describe('LettersPanel: the letters in the library', () => {
  it('lists each letter with title, recipient, status and date, newest first', async () => {
    renderWithApi(<LettersPanel />, fakeBridge(LETTERS))
    const table = await screen.findByRole('table', { name: 'Letters in the library' })
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Title', 'Recipient', 'Status', 'Date'])
    const rows = within(table)
      .getAllByTestId('letter-row')
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      )
    expect(rows).toEqual([
      ['Not dated yet', '—', 'Draft', expect.stringMatching(/^Not dated · saved .*2026/)],
      ['Detained civilians: a proposal', 'Ingrid Examplesen', 'Sent', 'May 26, 2025'],
      ['Reply from the ministry', 'Kari Nordmann and 2 others', 'Received', 'Jan 10, 2024'],
    ])
  })

  it('opens a drafted letter in the letter editor and any other letter in the library', async () => {
    const bridge = fakeBridge(LETTERS)
    const onOpenDocument = vi.fn()
    renderWithApi(<LettersPanel onOpenDocument={onOpenDocument} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Reply from the ministry' }))
    expect(onOpenDocument).toHaveBeenCalledWith(RECEIVED)
    expect(bridge.calls.map(([channel]) => channel)).not.toContain('letters:getDraft')

    fireEvent.click(screen.getByRole('button', { name: 'Detained civilians: a proposal' }))
    await waitFor(() => expect(bridge.calls).toContainEqual(['letters:getDraft', { id: SENT }]))
    expect(onOpenDocument).toHaveBeenCalledTimes(1)
  })

  it("names each template's language in words, never by its tag", async () => {
    const template = (id: string, language: TemplateListingView['language']): TemplateListingView => ({
      id,
      name: `Template ${id}`,
      description: '',
      language,
      pageSize: 'A4',
      builtIn: true,
      version: 1,
    })
    const templates = [template('a', 'en-GB'), template('b', 'nb-NO'), template('c', 'uk-UA'), template('d', 'ru-RU')]
    renderWithApi(<LettersPanel />, fakeBridge([], templates))
    await screen.findByText('Template a')
    const hints = [...document.querySelectorAll('.template-card .hint')].map((h) => h.textContent)
    expect(hints).toEqual([
      'Built-in · English · A4',
      'Built-in · Norwegian Bokmål · A4',
      'Built-in · Ukrainian · A4',
      'Built-in · Russian · A4',
    ])
  })

  it('says there are no letters yet, and how to start one', async () => {
    renderWithApi(<LettersPanel />, fakeBridge([]))
    expect(await screen.findByText('No letters yet.')).toBeTruthy()
    expect(screen.getByText('Start one from a template above.')).toBeTruthy()
    expect(screen.queryByRole('table')).toBeNull()
  })
})
