// Renderer (jsdom): "Export annotations…" in the search view against a typed fake bridge — disabled with its reason
// for an empty query, a search without annotations or a Kind filter that leaves them out; the unencrypted-copy warning
// before anything is sent; the same query and filters as the view; busy while the export runs; the saved count, a
// cancelled dialog (no message) and an inline error afterwards.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { SEARCHABLE_KINDS } from '../../shared/library/searchable'
import { SearchView } from '../../renderer/src/features/library/SearchView'
import { explainExportBlocked, formatAnnotationCount } from '../../renderer/src/features/annotations/SearchAnnotationExport'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

type ExportAnswer = { ok: true; value: { saved: boolean; count: number } } | { ok: false; error: { code: 'VALIDATION'; message: string } }

/** A bridge whose search finds `annotations[query]` annotations; each export waits until the test answers it. */
function fakeBridge(annotations: Record<string, number>) {
  const calls: [string, Record<string, unknown>][] = []
  const pendingExports: ((answer: ExportAnswer) => void)[] = []
  const bridge: CustodiaBridge = {
    invoke: async (channel, request) => {
      const r = request as Record<string, unknown>
      calls.push([channel, r])
      switch (channel) {
        case 'search:getFacets':
          return {
            ok: true,
            value: { kinds: { letter: 1, annotation: 3 }, tags: { evidence: 2, transfer: 1 }, languages: {}, statuses: {} },
          } as IpcResult<unknown>
        case 'search:query': {
          const kinds = (r['filter'] as { kinds?: string[] } | undefined)?.kinds
          const total = kinds?.length === 1 && kinds[0] === 'annotation' ? (annotations[r['query'] as string] ?? 0) : 0
          return { ok: true, value: { hits: [], total, tookMs: 1 } } as IpcResult<unknown>
        }
        case 'annotations:exportSearchW3C':
          return (await new Promise<ExportAnswer>((resolve) => pendingExports.push(resolve))) as IpcResult<unknown>
        default:
          throw new Error(`unexpected channel ${channel}`)
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
  return { bridge, calls, pendingExports }
}

function renderSearch(annotations: Record<string, number>) {
  const fake = fakeBridge(annotations)
  renderWithApi(<SearchView initial={null} onOpen={() => undefined} />, fake.bridge)
  const button = () => screen.getByRole('button', { name: /^Export(ing)? annotations…$/ }) as HTMLButtonElement
  const reason = () => screen.getByTestId('annotation-export-reason').textContent
  const exports = () => fake.calls.filter(([c]) => c === 'annotations:exportSearchW3C').map(([, r]) => r)
  return { ...fake, button, reason, exports }
}

function typeQuery(text: string) {
  fireEvent.change(screen.getByLabelText('Search query'), { target: { value: text } })
}

/** Clicks export and confirms the warning; returns the answer function of the export that was sent. */
async function confirmExport(s: ReturnType<typeof renderSearch>) {
  const before = s.pendingExports.length
  fireEvent.click(s.button())
  const warning = screen.getByRole('alertdialog')
  fireEvent.click(within(warning).getByRole('button', { name: 'Save unencrypted copy…' }))
  await waitFor(() => expect(s.pendingExports).toHaveLength(before + 1))
  return s.pendingExports.at(-1)!
}

describe('formatAnnotationCount and explainExportBlocked', () => {
  it('counts in words and names the reason an export is blocked', () => {
    expect(formatAnnotationCount(1)).toBe('1 annotation')
    expect(formatAnnotationCount(12)).toBe('12 annotations')
    expect(explainExportBlocked('  ', {}, 5)).toMatch(/^Type a search first/)
    expect(explainExportBlocked('camp', { kinds: ['letter'] }, null)).toBe('The Kind filter leaves annotations out of this search.')
    expect(explainExportBlocked('camp', { kinds: ['annotation'] }, 0)).toBe('This search finds no annotations.')
    expect(explainExportBlocked('camp', {}, null)).toBeNull()
    expect(explainExportBlocked('camp', { kinds: [...SEARCHABLE_KINDS] }, 2)).toBeNull()
  })
})

describe('SearchView: export annotations found by the search', () => {
  it('is disabled with a reason for an empty query, a search without annotations, and a Kind filter without them', async () => {
    const s = renderSearch({ camp: 2 })
    expect(s.button().disabled).toBe(true)
    expect(s.reason()).toBe('Type a search first: the export takes only the annotations a search finds.')
    // The reason is what assistive technology reads for the button.
    expect(s.button().getAttribute('aria-describedby')).toBe(screen.getByTestId('annotation-export-reason').id)

    typeQuery('nowhere')
    await waitFor(() => expect(s.reason()).toBe('This search finds no annotations.'))
    expect(s.button().disabled).toBe(true)

    typeQuery('camp')
    await waitFor(() => expect(s.reason()).toBe('This search finds 2 annotations.'))
    expect(s.button().disabled).toBe(false)
    // The count is asked for annotations only, with the limit of one hit.
    const counted = s.calls.filter(([c, r]) => c === 'search:query' && r['query'] === 'camp' && r['limit'] === 1)
    expect(counted.at(-1)![1]['filter']).toEqual({ kinds: ['annotation'] })

    await waitFor(() => expect(screen.getByRole('combobox', { name: /Kind/ }).querySelectorAll('option')).toHaveLength(3))
    fireEvent.change(screen.getByRole('combobox', { name: /Kind/ }), { target: { value: 'letter' } })
    await waitFor(() => expect(s.reason()).toBe('The Kind filter leaves annotations out of this search.'))
    expect(s.button().disabled).toBe(true)
    fireEvent.click(s.button())
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(s.exports()).toEqual([])
  })

  it('warns before sending, sends the view’s query and filters, is busy while running, then reports the saved count', async () => {
    const s = renderSearch({ camp: 2 })
    typeQuery('camp')
    await waitFor(() => expect(screen.getByRole('combobox', { name: /Tag/ }).querySelectorAll('option')).toHaveLength(3))
    fireEvent.change(screen.getByRole('combobox', { name: /Tag/ }), { target: { value: 'evidence' } })
    await waitFor(() => expect(s.button().disabled).toBe(false))

    // The warning first; Cancel sends nothing and gives the focus back to the button.
    s.button().focus()
    fireEvent.click(s.button())
    const warning = screen.getByRole('alertdialog')
    expect(warning.textContent).toContain('The copy will not be encrypted.')
    expect(warning.textContent).toContain('“annotations.jsonld”')
    expect(document.activeElement).toBe(within(warning).getByRole('button', { name: 'Save unencrypted copy…' }))
    fireEvent.click(within(warning).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(s.button()))
    // Escape closes it too.
    fireEvent.click(s.button())
    fireEvent.keyDown(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }), { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(s.exports()).toEqual([])

    const answer = await confirmExport(s)
    expect(s.exports()).toEqual([{ query: 'camp', filter: { kinds: [...SEARCHABLE_KINDS], tags: ['evidence'] } }])
    expect(s.button().textContent).toBe('Exporting annotations…')
    expect(s.button().disabled).toBe(true)
    expect(s.button().getAttribute('aria-busy')).toBe('true')
    expect(screen.queryByRole('alertdialog')).toBeNull()

    answer({ ok: true, value: { saved: true, count: 2 } })
    expect((await screen.findByRole('status')).textContent).toBe('Saved 2 annotations as W3C JSON-LD. The file is not encrypted.')
    expect(s.button().textContent).toBe('Export annotations…')
    expect(s.button().disabled).toBe(false)
    expect(s.button().getAttribute('aria-busy')).toBe('false')
    // Focus comes back in the effect after the render that shows the status: wait for it rather than race it.
    await waitFor(() => expect(document.activeElement).toBe(s.button()))

    // A new search clears the result of the last export.
    typeQuery('camp transfer')
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull())
  })

  it('says nothing when the save dialog is cancelled and shows an error inline, the button usable again', async () => {
    const s = renderSearch({ camp: 1 })
    typeQuery('camp')
    await waitFor(() => expect(s.reason()).toBe('This search finds 1 annotation.'))

    const cancelled = await confirmExport(s)
    cancelled({ ok: true, value: { saved: false, count: 1 } })
    await waitFor(() => expect(s.button().disabled).toBe(false))
    expect(screen.queryByRole('status')).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()

    const failed = await confirmExport(s)
    failed({ ok: false, error: { code: 'VALIDATION', message: 'The search finds more than 10000 annotations: narrow it' } })
    expect((await screen.findByRole('alert')).textContent).toBe('The search finds more than 10000 annotations: narrow it')
    expect(s.button().disabled).toBe(false)
    expect(screen.queryByRole('status')).toBeNull()

    // A successful retry replaces the error with the result.
    const retried = await confirmExport(s)
    expect(screen.queryByRole('alert')).toBeNull()
    retried({ ok: true, value: { saved: true, count: 1 } })
    expect((await screen.findByRole('status')).textContent).toBe('Saved 1 annotation as W3C JSON-LD. The file is not encrypted.')
    expect(s.exports()).toHaveLength(3)
  })
})
