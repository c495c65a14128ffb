// Renderer (jsdom): exporting a letter that core refuses because it still shows a placeholder ("[Organisation
// name]") asks first, and sends again with confirmPlaceholders only when the user chooses "Export anyway".
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { parseLetterTemplate } from '../../shared/letters/templateModel'
import { LetterEditor } from '../../renderer/src/features/letters/LetterEditor'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const REFUSAL =
  'The letterhead still says “[Organisation name]” and 4 other placeholders: fill in Settings → Organisation, or confirm to export anyway.'

const template = parseLetterTemplate({
  id: 'confirm-test',
  version: 1,
  name: 'Confirm test',
  description: '',
  language: 'en-GB',
  builtIn: false,
  pageSize: 'A4',
  letterhead: { organisation: '[Organisation name]' },
  fields: [{ name: 'subject', label: 'Subject', type: 'text', required: true }],
  blocks: [{ type: 'letterhead' }, { type: 'subject', field: 'subject' }],
})

function fakeBridge(): CustodiaBridge & { exports: unknown[] } {
  const exports: unknown[] = []
  return {
    exports,
    invoke: async (channel, request): Promise<IpcResult<unknown>> => {
      switch (channel as ChannelName) {
        case 'letters:preview':
          return {
            ok: true,
            value: { url: '/letter-preview/0', report: { missing: [], invalid: [] }, unknownPlaceholders: [], annex: null },
          }
        case 'letters:export': {
          exports.push(request)
          return (request as { confirmPlaceholders?: boolean }).confirmPlaceholders
            ? { ok: true, value: { path: '/home/ana/letter.txt' } }
            : { ok: false, error: { code: 'VALIDATION', message: REFUSAL } }
        }
        default:
          return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

async function openEditor(bridge: CustodiaBridge) {
  renderWithApi(
    <LetterEditor
      template={template}
      initialData={{ subject: 'Hello' }}
      initialDraft={null}
      onClose={() => undefined}
      onOpenDraft={() => undefined}
    />,
    bridge,
  )
  // Export is offered once the preview has answered with its report.
  await waitFor(() => expect(document.querySelector('iframe')).not.toBeNull())
}

describe('LetterEditor: export with placeholders', () => {
  it('asks, and exports confirmed on "Export anyway"', async () => {
    const bridge = fakeBridge()
    await openEditor(bridge)
    fireEvent.click(screen.getByRole('button', { name: 'TXT' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export with placeholders?' })
    expect(dialog.textContent).toContain(REFUSAL)
    expect(screen.queryByTestId('error')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Export anyway' }))
    await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain('Exported TXT to /home/ana/letter.txt'))
    expect(bridge.exports).toEqual([
      expect.objectContaining({ format: 'txt', confirmPlaceholders: false, confirmLongCc: false }),
      // One "Export anyway" confirms everything the refusal named (placeholders, a long CC list).
      expect.objectContaining({ format: 'txt', confirmPlaceholders: true, confirmLongCc: true }),
    ])
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('exports nothing when the user cancels', async () => {
    const bridge = fakeBridge()
    await openEditor(bridge)
    fireEvent.click(screen.getByRole('button', { name: 'PDF' }))
    await screen.findByRole('dialog', { name: 'Export with placeholders?' })
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(bridge.exports).toHaveLength(1)
  })
})
