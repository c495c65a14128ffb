// Renderer (jsdom): the export wizard against a typed fake bridge — the record picker's columns in words, its
// choose-all box (indeterminate when some are chosen; with a filter it acts on the rows shown only), sorting, and the
// progress line that stops promising time left once the export is done or cancelled.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { BundleProgress, ContactView, ExportPlanView, ExportSourcesView } from '../../shared/ipc/channels/exchangeChannels'
import { ExportWizard } from '../../renderer/src/features/exchange/ExportWizard'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const LETTER = '1'.repeat(32)
const NOTE = '2'.repeat(32)
const STATEMENT = '3'.repeat(32)
const DOSSIER = '4'.repeat(32)

const SOURCES: ExportSourcesView = {
  documents: [
    { id: LETTER, kind: 'letter', title: 'Appeal for Ales Bialiatski to the Prosecutor General', date: '2026-05-12', status: 'sent' },
    { id: NOTE, kind: 'note', title: 'Visit notes', date: null, status: 'draft' },
    { id: STATEMENT, kind: 'statement', title: 'Statement on the verdict', date: '2026-03-01', status: 'published' },
  ],
  dossiers: [{ id: DOSSIER, name: 'Ales Bialiatski', consent: 'public', status: 'detained', savedAt: '2026-11-30T10:00:00.000Z' }],
  lists: [],
}

const PARTNER: ContactView = {
  id: 'c'.repeat(32),
  name: 'Viasna',
  organisation: '',
  recipient: 'age1zzzz',
  fingerprint: 'KQ3T 7XPA 2M4B RRWE HN5C 6YJD QL2F VUZA',
  recipientFingerprint: 'ZZZZ YYYY XXXX WWWW VVVV UUUU TTTT SSSS',
  verified: true,
  addedAt: '2026-12-01T09:00:00.000Z',
}

const PLAN: ExportPlanView = {
  items: [{ id: NOTE, kind: 'note', title: 'Visit notes', revision: 1, consent: 'partners', attachments: 0, attachmentBytes: 0 }],
  excluded: [],
  audience: { kind: 'partners', names: ['Viasna'] },
  profile: 'standard',
  attachmentBytes: 0,
}

type Pending = { resolve: (result: IpcResult<unknown>) => void }

function makeBridge(plan: ExportPlanView = PLAN) {
  const calls: [string, Record<string, unknown>][] = []
  const listeners: ((payload: unknown) => void)[] = []
  const exports: Pending[] = []
  const bridge: CustodiaBridge = {
    invoke: (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      if (channel === 'bundles:export') return new Promise((resolve) => exports.push({ resolve }))
      const value =
        channel === 'bundles:listSources'
          ? SOURCES
          : channel === 'bundles:planExport'
            ? plan
            : channel === 'bundles:cancel'
              ? {}
              : undefined
      if (value === undefined) throw new Error(`unexpected channel ${channel}`)
      return Promise.resolve({ ok: true, value })
    },
    on: (_event, listener) => {
      listeners.push(listener)
      return () => listeners.splice(listeners.indexOf(listener), 1)
    },
    pathForFile: () => '',
  }
  const emit = (progress: Omit<BundleProgress, 'jobId'>) => {
    const jobId = calls.find(([channel]) => channel === 'bundles:export')![1].jobId as string
    for (const listener of [...listeners]) listener({ jobId, ...progress })
  }
  return { bridge, calls, exports, emit }
}

async function renderPicker(plan: ExportPlanView = PLAN) {
  const fake = makeBridge(plan)
  renderWithApi(<ExportWizard contacts={[PARTNER]} onClose={() => undefined} />, fake.bridge)
  await screen.findAllByTestId('picker-row')
  return fake
}

const rowTitles = () => screen.getAllByTestId('picker-row').map((row) => row.querySelectorAll('td')[1]!.textContent)
const chooseAll = () => screen.getByRole('checkbox', { name: /^Choose all/ }) as HTMLInputElement
const isChosen = (title: string) => (screen.getByRole('checkbox', { name: title }) as HTMLInputElement).checked

describe('export record picker', () => {
  it('lists documents and dossiers with title, kind, date and status in words, sortable by column', async () => {
    await renderPicker()
    const headers = screen.getAllByRole('columnheader').map((th) => th.textContent)
    expect(headers.slice(1)).toEqual(['Title ▲', 'Kind', 'Date', 'Status'])
    const letterRow = screen.getAllByTestId('picker-row').find((row) => row.textContent?.includes('Appeal'))!
    expect([...letterRow.querySelectorAll('td')].slice(1).map((td) => td.textContent)).toEqual([
      'Appeal for Ales Bialiatski to the Prosecutor General',
      'Letter',
      '2026-05-12',
      'Sent',
    ])
    const dossierRow = screen.getAllByTestId('picker-row').find((row) => row.textContent?.includes('Detained'))!
    expect(dossierRow.textContent).toContain('Dossier2026-11-30Detained Public')
    expect(rowTitles()).toEqual([
      'Ales Bialiatski',
      'Appeal for Ales Bialiatski to the Prosecutor General',
      'Statement on the verdict',
      'Visit notes',
    ])
    // By date, newest first on the second click; a record without a date goes last either way.
    fireEvent.click(screen.getByRole('button', { name: 'Date' }))
    expect(rowTitles()).toEqual([
      'Statement on the verdict',
      'Appeal for Ales Bialiatski to the Prosecutor General',
      'Ales Bialiatski',
      'Visit notes',
    ])
    fireEvent.click(screen.getByRole('button', { name: /^Date/ }))
    expect(screen.getByRole('columnheader', { name: /^Date/ }).getAttribute('aria-sort')).toBe('descending')
    expect(rowTitles()).toEqual([
      'Ales Bialiatski',
      'Appeal for Ales Bialiatski to the Prosecutor General',
      'Statement on the verdict',
      'Visit notes',
    ])
  })

  it('choose-all is indeterminate with some chosen, and chooses or clears every record', async () => {
    await renderPicker()
    expect(chooseAll().checked).toBe(false)
    expect(chooseAll().indeterminate).toBe(false)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Visit notes' }))
    expect(chooseAll().indeterminate).toBe(true)
    expect(chooseAll().checked).toBe(false)
    fireEvent.click(chooseAll())
    expect(chooseAll().checked).toBe(true)
    expect(chooseAll().indeterminate).toBe(false)
    expect(screen.getByRole('button', { name: 'Next: recipients (4 chosen)' })).toBeTruthy()
    fireEvent.click(chooseAll())
    expect(screen.getByRole('button', { name: 'Next: recipients (0 chosen)' }).hasAttribute('disabled')).toBe(true)
  })

  it('with a filter, choose-all acts on the rows shown only', async () => {
    await renderPicker()
    fireEvent.click(screen.getByRole('checkbox', { name: 'Visit notes' }))
    fireEvent.change(screen.getByLabelText('Show only records with'), { target: { value: 'bialiatski' } })
    expect(rowTitles()).toEqual(['Ales Bialiatski', 'Appeal for Ales Bialiatski to the Prosecutor General'])
    expect(screen.getByTestId('picker-count').textContent).toBe('2 records shown of 4; 1 chosen')
    // "Visit notes" is hidden and chosen: the box speaks for the two rows shown, none of them chosen yet.
    expect(chooseAll().indeterminate).toBe(false)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Choose all 2 records shown' }))
    fireEvent.change(screen.getByLabelText('Show only records with'), { target: { value: '' } })
    expect(isChosen('Ales Bialiatski')).toBe(true)
    expect(isChosen('Appeal for Ales Bialiatski to the Prosecutor General')).toBe(true)
    expect(isChosen('Visit notes')).toBe(true)
    expect(isChosen('Statement on the verdict')).toBe(false)
    expect(chooseAll().indeterminate).toBe(true)
    // Clearing under the filter leaves the hidden choice alone.
    fireEvent.change(screen.getByLabelText('Show only records with'), { target: { value: 'detained' } })
    expect(rowTitles()).toEqual(['Ales Bialiatski'])
    fireEvent.click(chooseAll())
    fireEvent.change(screen.getByLabelText('Show only records with'), { target: { value: '' } })
    expect(isChosen('Ales Bialiatski')).toBe(false)
    expect(isChosen('Appeal for Ales Bialiatski to the Prosecutor General')).toBe(true)
    expect(isChosen('Visit notes')).toBe(true)
  })
})

async function openReview() {
  fireEvent.click(screen.getByRole('checkbox', { name: 'Visit notes' }))
  fireEvent.click(screen.getByRole('button', { name: /^Next: recipients/ }))
  fireEvent.click(screen.getByRole('checkbox', { name: /Viasna/ }))
  fireEvent.click(screen.getByRole('button', { name: 'Next: review consent' }))
  return screen.findByTestId('plan-items')
}

describe('export review', () => {
  const item = (id: string, kind: string, title: string) => ({
    id,
    kind,
    title,
    revision: 1,
    consent: 'public' as const,
    attachments: 0,
    attachmentBytes: 0,
  })
  const planFor = (audience: ExportPlanView['audience']): ExportPlanView => ({
    ...PLAN,
    items: [item(NOTE, 'note', 'Visit notes'), item(DOSSIER, 'dossier', 'Ales Bialiatski'), item('5'.repeat(32), 'dossier-list', 'Annex')],
    audience,
  })

  it("names each record's kind in words, and what the consent of each dossier was checked against", async () => {
    await renderPicker(planFor({ kind: 'partners', names: ['Viasna'] }))
    const items = await openReview()
    expect([...items.querySelectorAll('li .hint')].map((kind) => kind.textContent)).toEqual(['Note', 'Dossier', 'Dossier list'])
    expect(screen.getByTestId('plan-audience').textContent).toBe('Each dossier’s consent is checked against what Viasna may receive.')
  })

  it('says that every partner must be allowed when the bundle goes to more than one', async () => {
    await renderPicker(planFor({ kind: 'partners', names: ['Partner Org', 'Viasna'] }))
    await openReview()
    expect(screen.getByTestId('plan-audience').textContent).toBe(
      'Each dossier’s consent is checked against what Partner Org and Viasna may receive: a dossier goes only if all of them may have it.',
    )
  })

  it('says that only public consent goes when no partner is named', async () => {
    await renderPicker(planFor({ kind: 'public' }))
    await openReview()
    expect(screen.getByTestId('plan-audience').textContent).toBe(
      'No partner is named, so each dossier’s consent is checked against what anyone may receive: only dossiers with public consent go.',
    )
  })
})

async function startExport(fake: ReturnType<typeof makeBridge>) {
  await openReview()
  fireEvent.click(await screen.findByRole('button', { name: 'Export 1 item…' }))
  await act(async () => fake.emit({ bytesDone: 900_000, bytesTotal: 1_048_576, bytesPerSecond: 2_000_000, secondsLeft: 0.2 }))
  expect(screen.getByTestId('export-progress').textContent).toContain('less than a second left')
}

describe('export progress', () => {
  it('stops promising time left once the export is done', async () => {
    const fake = await renderPicker()
    await startExport(fake)
    const done = {
      saved: true,
      fileName: 'to-viasna.custodia',
      items: 1,
      attachments: 0,
      excluded: 0,
      bytes: 1_048_576,
      recipientFingerprints: [],
    }
    await act(async () => fake.exports[0]!.resolve({ ok: true, value: done }))
    await screen.findByTestId('export-result')
    expect(screen.getByTestId('export-progress').textContent).toBe('1.0 MiB written')
    // A late progress event cannot bring the estimate back.
    await act(async () => fake.emit({ bytesDone: 1_000_000, bytesTotal: 1_048_576, bytesPerSecond: 2_000_000, secondsLeft: 0.1 }))
    expect(screen.getByTestId('export-progress').textContent).toBe('1.0 MiB written')
    expect((screen.getByRole('progressbar', { name: 'Export progress' }) as HTMLProgressElement).value).toBe(100)
  })

  it('clears the time left when the export is cancelled', async () => {
    const fake = await renderPicker()
    await startExport(fake)
    fireEvent.click(within(screen.getByRole('region', { name: 'Export a bundle' })).getByRole('button', { name: 'Cancel' }))
    await act(async () => fake.exports[0]!.resolve({ ok: false, error: { code: 'CANCELLED', message: 'The export was cancelled' } }))
    await screen.findByText('Export cancelled: no file was written.')
    expect(screen.getByTestId('export-progress').textContent).toBe('')
  })
})
