// Renderer (jsdom): an imported record says where it came from — "Imported from Viasna on … (bundle 3f9a1c2e)" —
// and the line opens the import details; a signer not among the partners is named as its bundle names it, with the
// start of its fingerprint (by the fingerprint alone for an import recorded before the name was kept); a record made
// here shows no line.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { RecordOriginView } from '../../shared/ipc/channels/exchangeChannels'
import { ImportOrigin } from '../../renderer/src/features/exchange/ImportOrigin'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const IMPORTED = 'a'.repeat(32)
const MADE_HERE = 'b'.repeat(32)
const FINGERPRINT = 'ABCD EFGH JKMN PQRS TVWX YZ23 4567 ABCD'

const LATEST: RecordOriginView = {
  bundleId: '3f9a1c2e7d4b5a6978c0d1e2f3a4b5c6',
  signer: FINGERPRINT,
  senderName: 'Viasna (Human Rights Centre Viasna)',
  importedAt: '2026-12-03T12:00:00.000Z',
  itemId: IMPORTED,
  revision: 2,
  itemsInImport: 3,
  partner: { name: 'Viasna', organisation: 'Human Rights Centre Viasna', verified: true },
}
const EARLIER: RecordOriginView = {
  ...LATEST,
  bundleId: '0011223344556677',
  importedAt: '2026-11-20T09:00:00.000Z',
  revision: 1,
  itemsInImport: 1,
}

function fakeBridge(origins: Record<string, RecordOriginView[]>): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  return {
    calls,
    invoke: async (channel, request): Promise<IpcResult<unknown>> => {
      calls.push([channel, request])
      if (channel !== 'bundles:listOrigins') return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
      return { ok: true, value: { origins: origins[(request as { recordId: string }).recordId] ?? [] } }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

describe('ImportOrigin', () => {
  it('names the partner, the day and the bundle, and opens the import details', async () => {
    renderWithApi(<ImportOrigin recordId={IMPORTED} />, fakeBridge({ [IMPORTED]: [LATEST, EARLIER] }))
    const line = await screen.findByTestId('import-origin')
    expect(line.textContent).toBe('Imported from Viasna on Dec 3, 2026 (bundle 3f9a1c2e) and 1 earlier import')

    fireEvent.click(within(line).getByRole('button', { name: 'Imported from Viasna on Dec 3, 2026 (bundle 3f9a1c2e)' }))
    const dialog = screen.getByRole('dialog', { name: 'Import details' })
    const [latest, earlier] = within(dialog).getAllByTestId('import-details')
    expect(latest!.textContent).toContain('Viasna · Human Rights Centre Viasna · verified contact')
    expect(latest!.textContent).toContain(FINGERPRINT)
    expect(latest!.textContent).toContain(LATEST.bundleId)
    expect(latest!.textContent).toContain('with 3 items in that import')
    expect(latest!.textContent).toContain('Revision 2')
    expect(earlier!.textContent).toContain('with 1 item in that import')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('names a sender that is not among the partners as the bundle names it, with the start of its fingerprint', async () => {
    const origin = { ...LATEST, senderName: 'Norwegian Helsinki Committee', partner: null }
    renderWithApi(<ImportOrigin recordId={IMPORTED} />, fakeBridge({ [IMPORTED]: [origin] }))
    const line = await screen.findByTestId('import-origin')
    expect(line.textContent).toBe(
      'Imported from Norwegian Helsinki Committee (not among your partners, fingerprint ABCD EFGH …) on Dec 3, 2026 (bundle 3f9a1c2e)',
    )
    fireEvent.click(within(line).getByRole('button'))
    const details = within(screen.getByRole('dialog', { name: 'Import details' })).getByTestId('import-details')
    expect(details.querySelector('dd')!.textContent).toBe('Norwegian Helsinki Committee (not among your partners, fingerprint ABCD EFGH …)')
  })

  it('names a signer by the start of its fingerprint only when the import was recorded without a name', async () => {
    renderWithApi(<ImportOrigin recordId={IMPORTED} />, fakeBridge({ [IMPORTED]: [{ ...LATEST, senderName: null, partner: null }] }))
    expect((await screen.findByTestId('import-origin')).textContent).toBe(
      'Imported from a sender not among your partners (ABCD EFGH …) on Dec 3, 2026 (bundle 3f9a1c2e)',
    )
  })

  it('shows nothing for a record made here', async () => {
    const bridge = fakeBridge({})
    renderWithApi(<ImportOrigin recordId={MADE_HERE} />, bridge)
    await waitFor(() => expect(bridge.calls).toEqual([['bundles:listOrigins', { recordId: MADE_HERE }]]))
    expect(screen.queryByTestId('import-origin')).toBeNull()
  })
})
