// Renderer (jsdom): the import view against a typed fake bridge — a bundle imported here before says so in a sentence
// with the day and cannot be imported again; one imported in part offers only the items not imported yet; items left
// out by the import (the revision already held from the same sender) are listed with their reason, and an older
// version kept in a record's history is told in a sentence.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { BundlePreviewView } from '../../shared/ipc/channels/exchangeChannels'
import { formatPlainDate } from '../../shared/text/plainDate'
import { ImportFlow } from '../../renderer/src/features/exchange/ImportFlow'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

type Calls = [string, Record<string, unknown>][]

function makeBridge(answer: (channel: string, request: Record<string, unknown>) => unknown): CustodiaBridge & { calls: Calls } {
  const calls: Calls = []
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

const TOKEN = 'f'.repeat(32)
const LETTER = '1'.repeat(32)
const NOTE = '2'.repeat(32)
const IMPORTED_AT = '2026-12-03T10:15:00.000Z'

function makePreview(imported: readonly string[]): BundlePreviewView {
  return {
    bundleId: 'b'.repeat(64),
    createdAt: '2026-12-01T09:00:00.000Z',
    signer: { name: 'Viasna', fingerprint: 'ABCD '.repeat(8).trim(), status: 'verified', contactId: 'c'.repeat(32), contactName: 'Viasna' },
    items: [
      {
        id: LETTER,
        kind: 'letter',
        title: 'Appeal',
        revision: 2,
        consent: 'partners',
        attachments: 0,
        held: imported.includes(LETTER),
        importable: true,
        alreadyImported: imported.includes(LETTER),
      },
      {
        id: NOTE,
        kind: 'note',
        title: 'Visit notes',
        revision: 1,
        consent: 'partners',
        attachments: 0,
        held: imported.includes(NOTE),
        importable: true,
        alreadyImported: imported.includes(NOTE),
      },
    ],
    alreadyImportedAt: imported.length > 0 ? IMPORTED_AT : null,
  }
}

async function openBundle(preview: BundlePreviewView, onImport: (request: Record<string, unknown>) => unknown = () => ({})) {
  const bridge = makeBridge((channel, request) => {
    if (channel === 'bundles:open') return { opened: true, token: TOKEN, fileName: 'from-viasna.custodia', preview }
    if (channel === 'bundles:import') return onImport(request)
    if (channel === 'bundles:close') return {}
    throw new Error(`unexpected channel ${channel}`)
  })
  renderWithApi(<ImportFlow onClose={() => undefined} />, bridge)
  fireEvent.click(screen.getByRole('button', { name: 'Choose bundle…' }))
  await screen.findByTestId('signer-status')
  return bridge
}

describe('ImportFlow and bundles imported before', () => {
  it('a bundle imported before: a plain sentence with the day, every item unticked and disabled, Import disabled', async () => {
    const bridge = await openBundle(makePreview([LETTER, NOTE]))
    expect(screen.getByTestId('already-imported').textContent).toBe(
      `This bundle was already imported on ${formatPlainDate(IMPORTED_AT)}. It cannot be imported again.`,
    )
    for (const name of ['Import Appeal', 'Import Visit notes']) {
      const box = screen.getByRole('checkbox', { name }) as HTMLInputElement
      expect(box.checked).toBe(false)
      expect(box.disabled).toBe(true)
    }
    expect((screen.getByRole('button', { name: /^Import \d+ item/ }) as HTMLButtonElement).disabled).toBe(true)
    expect(bridge.calls.map(([c]) => c)).toEqual(['bundles:open'])
  })

  it('imported in part: says so, and imports only the items not imported yet', async () => {
    const bridge = await openBundle(makePreview([LETTER]), () => ({
      created: [{ bundleId: NOTE, id: NOTE }],
      revised: [],
      keptInHistory: [],
      attachments: 0,
      skipped: [],
    }))
    expect(screen.getByTestId('already-imported').textContent).toBe(
      `Some items of this bundle were already imported on ${formatPlainDate(IMPORTED_AT)}; they cannot be imported again.`,
    )
    expect((screen.getByRole('checkbox', { name: 'Import Appeal' }) as HTMLInputElement).disabled).toBe(true)
    expect((screen.getByRole('checkbox', { name: 'Import Visit notes' }) as HTMLInputElement).checked).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Import 1 item' }))
    await screen.findByTestId('import-result')
    expect(bridge.calls.find(([c]) => c === 'bundles:import')?.[1]).toMatchObject({ ids: [NOTE] })
  })

  it('lists each item left out with its reason, in a sentence', async () => {
    await openBundle(makePreview([]), () => ({
      created: [{ bundleId: NOTE, id: NOTE }],
      revised: [],
      keptInHistory: [],
      attachments: 0,
      skipped: [{ id: LETTER, reason: 'the same revision as the one you hold (revision 3 from the same sender)' }],
    }))
    expect(screen.queryByTestId('already-imported')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Import 2 items' }))
    await waitFor(() => expect(screen.getByTestId('import-result').textContent).toMatch(/1 not imported:$/))
    expect(screen.getByTestId('import-left-out').textContent).toBe(
      'Appeal: the same revision as the one you hold (revision 3 from the same sender).',
    )
  })

  it("says in a sentence when an older version was kept in a record's history", async () => {
    const notice = 'An older version of “Appeal” from Viasna was kept in its history; the newer version stays current.'
    await openBundle(makePreview([]), () => ({
      created: [{ bundleId: NOTE, id: NOTE }],
      revised: [],
      keptInHistory: [{ id: LETTER, revision: 4, notice }],
      attachments: 0,
      skipped: [],
    }))
    fireEvent.click(screen.getByRole('button', { name: 'Import 2 items' }))
    await waitFor(() => expect(screen.getByTestId('import-left-out').textContent).toBe(notice))
  })
})
