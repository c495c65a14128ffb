// Renderer (jsdom): "Destroy for good…" on an attachment row, against a typed fake bridge — the dialog names the item,
// says plainly what is destroyed, that it cannot be undone and what it does not reach; "Keep it" sends nothing and
// returns focus; "Destroy for good" sends vault:shredItem and the row goes; a refusal (another role) is shown and the
// row stays.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcFailure, IpcResult } from '../../shared/ipc/contract'
import type { AttachmentView } from '../../shared/ipc/channels/libraryChannels'
import { AttachmentList } from '../../renderer/src/features/library/AttachmentList'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

type Calls = [string, Record<string, unknown>][]

function makeBridge(answer: (channel: string, request: Record<string, unknown>) => unknown): CustodiaBridge & { calls: Calls } {
  const calls: Calls = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      const value = answer(channel, request as Record<string, unknown>) as { failure?: IpcFailure }
      if (value && typeof value === 'object' && 'failure' in value) return { ok: false, error: value.failure! } as IpcResult<unknown>
      return { ok: true, value } as IpcResult<unknown>
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

const DOC = 'd'.repeat(32)
const FILE = '1'.repeat(32)
const files: AttachmentView[] = [
  { id: FILE, recordId: DOC, filename: 'witness.pdf', mediaType: 'application/pdf', size: 2048, addedAt: '2025-03-04T10:00:00Z' },
]

describe('Destroy for good on an attachment', () => {
  it('asks plainly first; Keep it sends nothing; Destroy for good shreds and the row goes', async () => {
    const bridge = makeBridge((channel) => {
      if (channel === 'library:listAttachments') return { attachments: files }
      if (channel === 'vault:shredItem') return { kind: 'attachment', records: 0, attachments: 1, logCleared: true }
      throw new Error(`unexpected channel ${channel}`)
    })
    renderWithApi(<AttachmentList documentId={DOC} />, bridge)
    const button = await screen.findByRole('button', { name: 'Destroy for good… attachment “witness.pdf”' })
    button.focus()
    fireEvent.click(button)
    const dialog = screen.getByRole('dialog', { name: 'Destroy “witness.pdf” for good?' })
    expect(dialog.textContent).toContain('Nobody can open it again')
    expect(dialog.textContent).toContain('This cannot be undone.')
    expect(dialog.textContent).toContain('backups, bundles already sent to partners')
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep it' }))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
    expect(bridge.calls.map(([c]) => c)).toEqual(['library:listAttachments'])

    fireEvent.click(button)
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Destroy for good' }))
    await waitFor(() => expect(screen.queryByText('witness.pdf')).toBeNull())
    expect(bridge.calls.at(-1)).toEqual(['vault:shredItem', { id: FILE }])
    expect(screen.getByRole('status').textContent).toBe('Destroyed witness.pdf for good.')
  })

  it('shows a refusal and keeps the row', async () => {
    const bridge = makeBridge((channel) => {
      if (channel === 'library:listAttachments') return { attachments: files }
      if (channel === 'vault:shredItem')
        return { failure: { code: 'FORBIDDEN', message: 'Your role (Secretariat) cannot destroy items for good. Ask an admin.' } }
      throw new Error(`unexpected channel ${channel}`)
    })
    renderWithApi(<AttachmentList documentId={DOC} />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Destroy for good… attachment “witness.pdf”' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Destroy for good' }))
    expect(await screen.findByText(/cannot destroy items for good/)).toBeTruthy()
    expect(screen.getByText('witness.pdf')).toBeTruthy()
  })
})
