// Renderer (jsdom): FieldAnnotations against a typed fake bridge — anchored passages marked in the field text,
// markup in notes shown as text (never HTML), and a whole-field note sent with the field pointer and no selection.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { AnchoredAnnotationView } from '../../shared/ipc/channels/annotationChannels'
import { describeSelection } from '../../shared/annotations/anchor'
import { FieldAnnotations, splitFieldText } from '../../renderer/src/features/annotations/FieldAnnotations'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const RECORD = 'a'.repeat(32)
const FIELD = '/vulnerability/medicalNote'
const TEXT = 'Heart condition; needs daily metoprolol. Seen by a doctor twice.'

function makeAnnotation(): AnchoredAnnotationView {
  const start = TEXT.indexOf('needs daily metoprolol')
  const sel = describeSelection(TEXT, start, start + 'needs daily metoprolol'.length)
  return {
    annotation: {
      id: '6f1c2a4e-8d3b-4c1f-9a2e-123456789abc',
      recordId: RECORD,
      revision: 1,
      target: { field: FIELD, quote: sel.quote, position: sel.position },
      body: { html: '', text: '<img src=x onerror=alert(1)> check dosage' },
      author: { id: 'a', name: 'Alice' },
      createdAt: '2025-01-01T00:00:00.000Z',
      modifiedAt: '2025-01-01T00:00:00.000Z',
      tags: [],
      status: 'open',
      replies: [],
    },
    anchor: { status: 'exact', start, end: start + 22, score: 1 },
  }
}

describe('splitFieldText', () => {
  it('merges overlapping ranges into marked runs by code point', () => {
    expect(
      splitFieldText('a📎bcd', [
        { start: 1, end: 3 },
        { start: 2, end: 4 },
      ]),
    ).toEqual([
      { text: 'a', marked: false },
      { text: '📎bc', marked: true },
      { text: 'd', marked: false },
    ])
  })
})

describe('FieldAnnotations', () => {
  it('marks anchored passages, renders notes as text, and creates a whole-field note', async () => {
    const calls: { channel: string; request: unknown }[] = []
    const bridge: CustodiaBridge = {
      invoke: async (channel, request): Promise<IpcResult<unknown>> => {
        calls.push({ channel, request })
        if (channel === 'annotations:list') return { ok: true, value: { revision: 1, annotations: [makeAnnotation()] } }
        if (channel === 'annotations:listLegalBases') return { ok: true, value: { entries: [] } }
        if (channel === 'annotations:create') return { ok: true, value: { annotation: makeAnnotation().annotation } }
        return { ok: false, error: { code: 'VALIDATION', message: 'unexpected' } }
      },
      on: () => () => undefined,
      pathForFile: () => '',
    }
    const { container } = renderWithApi(<FieldAnnotations recordId={RECORD} field={FIELD} text={TEXT} label="Medical note" />, bridge)
    await screen.findByText('<img src=x onerror=alert(1)> check dosage')
    expect(container.querySelector('img')).toBeNull()
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['needs daily metoprolol'])

    fireEvent.click(screen.getByRole('button', { name: 'Note on this field' }))
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Ask the family' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }))
    await waitFor(() => expect(calls.some((c) => c.channel === 'annotations:create')).toBe(true))
    expect(calls.find((c) => c.channel === 'annotations:create')!.request).toEqual({
      recordId: RECORD,
      field: FIELD,
      body: 'Ask the family',
    })
  })
})
