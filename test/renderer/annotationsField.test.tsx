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

const VOCABULARY = [
  {
    id: 'cat-art1',
    label: 'CAT art. 1',
    title: 'Convention against Torture',
    article: '1',
    heading: 'Definition of torture',
    retired: false,
  },
  { id: 'iccpr-art7', label: 'ICCPR art. 7', title: 'ICCPR', article: '7', heading: 'Torture or cruel treatment', retired: false },
  { id: 'gc4-art49', label: 'GC IV art. 49', title: 'Fourth Geneva Convention', article: '49', heading: 'Deportations', retired: false },
]

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
      legalBases: [],
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
        if (channel === 'annotations:listLegalBases') return { ok: true, value: { entries: VOCABULARY } }
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
    // Several legal bases: each choice becomes a chip and leaves the list; one is removed again.
    const picker = await screen.findByLabelText('Legal basis')
    await waitFor(() => expect(picker.querySelectorAll('option')).toHaveLength(4))
    for (const id of ['cat-art1', 'iccpr-art7', 'gc4-art49']) fireEvent.change(picker, { target: { value: id } })
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(
      expect.arrayContaining(['CAT art. 1×', 'ICCPR art. 7×', 'GC IV art. 49×']),
    )
    expect(Array.from(picker.querySelectorAll('option'), (o) => o.textContent)).toEqual(['Add another…'])
    fireEvent.click(screen.getByRole('button', { name: 'Remove ICCPR art. 7' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }))
    await waitFor(() => expect(calls.some((c) => c.channel === 'annotations:create')).toBe(true))
    expect(calls.find((c) => c.channel === 'annotations:create')!.request).toEqual({
      recordId: RECORD,
      field: FIELD,
      body: 'Ask the family',
      legalBasisIds: ['cat-art1', 'gc4-art49'],
    })
  })
})
