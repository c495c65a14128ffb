// Renderer (jsdom): library pieces in isolation — search marks rendered as <mark> elements (never HTML), the
// sanitiser for imported HTML, the autosave state machine, and the attachment export warning.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { Highlighted, splitMarks } from '../../renderer/src/components/Highlighted'
import { Autosaver, type AutosaveState } from '../../renderer/src/features/library/autosave'
import { AttachmentList } from '../../renderer/src/features/library/AttachmentList'
import { describeSaveState } from '../../renderer/src/features/library/DocumentEditor'
import { sanitizeImportedHtml } from '../../renderer/src/features/library/sanitizeImportedHtml'
import { DocumentList, sortDocuments } from '../../renderer/src/features/library/DocumentList'
import { renderWithApi } from './renderWithApi'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('Highlighted', () => {
  it('splits text at sorted, clipped, overlapping ranges', () => {
    expect(
      splitMarks('Krymska group', [
        [0, 3],
        [8, 13],
        [3, 7],
        [5, 6],
        [40, 50],
      ]),
    ).toEqual([
      { text: 'Krymska', marked: true },
      { text: ' ', marked: false },
      { text: 'group', marked: true },
    ])
    expect(splitMarks('abc', [])).toEqual([{ text: 'abc', marked: false }])
  })

  it('renders marks as <mark> elements and markup in the text as text', () => {
    const { container } = render(<Highlighted text={'<img src=x onerror=alert(1)> КРИМСЬКА'} marks={[[29, 37]]} />)
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['КРИМСЬКА'])
    expect(container.querySelector('img')).toBeNull()
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>')
  })
})

describe('sanitizeImportedHtml', () => {
  it('drops scripts, frames, forms, styles, on* attributes, unsafe links and remote images; keeps text and safe links', () => {
    const out = sanitizeImportedHtml(
      '<p onclick="x()">Keep <b>this</b><script>alert(1)</script></p><iframe src="https://e.example"></iframe><style>p{}</style>' +
        '<form action="https://e.example"><input value="v"></form><a href="javascript:alert(1)">js</a><a href="data:text/html,x">data</a>' +
        '<a href="https://example.org/ok">ok</a><img src="https://tracker.example/p.png"><img src="data:image/png;base64,iVBORw0KGgo=">' +
        '<svg onload="alert(1)"><text>svg</text></svg><p style="background:url(https://t.example)">styled</p>',
    )
    const doc = new DOMParser().parseFromString(out, 'text/html')
    expect(doc.querySelectorAll('script, iframe, style, form, input, svg').length).toBe(0)
    expect([...doc.querySelectorAll('*')].some((el) => [...el.attributes].some((a) => a.name.startsWith('on') || a.name === 'style'))).toBe(
      false,
    )
    expect([...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).toEqual(['https://example.org/ok'])
    expect([...doc.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual(['data:image/png;base64,iVBORw0KGgo='])
    expect(doc.body.textContent).toContain('Keep this')
    expect(doc.body.textContent).toContain('styled')
  })
})

describe('Autosaver', () => {
  it('debounces changes, saves the latest value once, and never overlaps saves', async () => {
    vi.useFakeTimers()
    const states: AutosaveState['status'][] = []
    const saved: string[] = []
    let release: () => void = () => undefined
    const saver = new Autosaver<string>(
      (v) => {
        saved.push(v)
        return new Promise<void>((r) => (release = r))
      },
      (s) => states.push(s.status),
      () => 'failed',
      500,
    )
    saver.change('a')
    saver.change('ab')
    await vi.advanceTimersByTimeAsync(499)
    expect(saved).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(saved).toEqual(['ab'])
    saver.change('abc') // during the save: queued, not sent in parallel
    await vi.advanceTimersByTimeAsync(600)
    expect(saved).toEqual(['ab'])
    release()
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(saved).toEqual(['ab', 'abc'])
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(states).toEqual(['dirty', 'saving', 'dirty', 'saving', 'saved'])
    expect(saver.hasUnsavedChanges()).toBe(false)
  })

  it('keeps a failed edit unsaved, shows the reason, and saves it on the next flush', async () => {
    const seen: AutosaveState[] = []
    let fail = true
    const saver = new Autosaver<number>(
      async () => {
        if (fail) throw new Error('conflict')
      },
      (s) => seen.push(s),
      () => 'this document was changed elsewhere',
      10_000,
    )
    saver.change(1)
    await saver.flush()
    expect(seen.at(-1)).toEqual({ status: 'error', message: 'this document was changed elsewhere' })
    expect(describeSaveState(seen.at(-1)!)).toBe('Not saved')
    expect(saver.hasUnsavedChanges()).toBe(true)
    fail = false
    await saver.flush()
    expect(seen.at(-1)).toEqual({ status: 'saved' })
    saver.dispose()
  })
})

describe('sortDocuments', () => {
  const item = (title: string, date: string | null) => ({
    id: title,
    kind: 'note' as const,
    revision: 1,
    title,
    date,
    status: 'draft' as const,
    language: 'en',
    tags: [],
    savedAt: '',
  })
  it('sorts by date either way with undated documents last, and by title without case', () => {
    const items = [item('b', '2024-01-01'), item('A', null), item('c', '2025-01-01')]
    expect(sortDocuments(items, { key: 'date', descending: true }).map((d) => d.title)).toEqual(['c', 'b', 'A'])
    expect(sortDocuments(items, { key: 'date', descending: false }).map((d) => d.title)).toEqual(['b', 'c', 'A'])
    expect(sortDocuments(items, { key: 'title', descending: false }).map((d) => d.title)).toEqual(['A', 'b', 'c'])
  })
})

describe('DocumentList', () => {
  const row = (id: string, language: string) => ({
    id: id.repeat(32),
    kind: 'letter' as const,
    revision: 1,
    title: `In ${language}`,
    date: '2026-12-01',
    status: 'sent' as const,
    language,
    tags: [],
    savedAt: '',
  })

  it("names each row's language in words and its date as a day (not 2026-12-01), and says nothing for a language not known", () => {
    const items = [row('a', 'uk'), row('b', 'nb'), row('c', 'en'), row('d', 'und'), row('e', 'qaa')]
    render(
      <DocumentList
        items={items}
        order={{ key: 'date', descending: true }}
        onOrder={() => undefined}
        activeId={null}
        onOpen={() => undefined}
      />,
    )
    const languages = screen.getAllByTestId('document-row').map((r) => r.querySelector('.lang')?.textContent ?? null)
    expect(languages).toEqual(['Ukrainian', 'Norwegian Bokmål', 'English', null, 'qaa'])
    expect(screen.getAllByTestId('document-row')[0]!.textContent).toBe('In ukDec 1, 2026LetterSentUkrainian')
  })
})

describe('AttachmentList', () => {
  it('warns that the copy is unencrypted before asking main to export, and exports nothing on Cancel', async () => {
    const calls: string[] = []
    const bridge: CustodiaBridge = {
      invoke: async (channel): Promise<IpcResult<unknown>> => {
        calls.push(channel)
        if (channel === 'library:listAttachments') {
          return {
            ok: true,
            value: {
              attachments: [
                { id: 'a'.repeat(32), recordId: 'b'.repeat(32), filename: 'letter.docx', mediaType: 'x', size: 2048, addedAt: '' },
              ],
            },
          }
        }
        return { ok: true, value: { saved: true } }
      },
      on: () => () => undefined,
      pathForFile: () => '',
    }
    renderWithApi(<AttachmentList documentId={'b'.repeat(32)} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Save a copy…' }))
    expect(screen.getByRole('alertdialog').textContent).toContain('The copy will not be encrypted.')
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(calls).toEqual(['library:listAttachments'])
    fireEvent.click(screen.getByRole('button', { name: 'Save a copy…' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save unencrypted copy…' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Saved an unencrypted copy of letter.docx.'))
    expect(calls).toEqual(['library:listAttachments', 'library:exportAttachment'])
  })
})
