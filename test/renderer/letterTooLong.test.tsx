// Renderer (jsdom): a field over its limit is listed under "Too long" with the limit core names, apart from empty
// required fields ("Before exporting, fill in"), and nothing is sent for export.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { parseLetterTemplate } from '../../shared/letters/templateModel'
import { LetterEditor } from '../../renderer/src/features/letters/LetterEditor'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const template = parseLetterTemplate({
  id: 'too-long-test',
  version: 1,
  name: 'Too long test',
  description: '',
  language: 'en-GB',
  builtIn: false,
  pageSize: 'A4',
  letterhead: { organisation: 'Org' },
  fields: [
    { name: 'subject', label: 'Subject', type: 'text', required: true },
    { name: 'place', label: 'Place', type: 'text', required: true },
  ],
  blocks: [{ type: 'letterhead' }, { type: 'subject', field: 'subject' }],
})

describe('LetterEditor: a field over its limit', () => {
  it('is shown under "Too long", apart from the empty fields, and nothing is exported', async () => {
    const calls: string[] = []
    const bridge: CustodiaBridge = {
      invoke: async (channel): Promise<IpcResult<unknown>> => {
        calls.push(channel)
        if ((channel as ChannelName) !== 'letters:preview') return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
        return {
          ok: true,
          value: {
            url: '/letter-preview/0',
            report: {
              missing: [{ field: 'place', label: 'Place' }],
              invalid: [{ field: 'subject', message: 'can hold at most 2,000 characters (this has 2,345)', tooLong: true }],
            },
            unknownPlaceholders: [],
            annex: null,
          },
        }
      },
      on: () => () => undefined,
      pathForFile: () => '',
    }
    renderWithApi(
      <LetterEditor
        template={template}
        initialData={{ subject: 'x' }}
        initialDraft={null}
        onClose={() => undefined}
        onOpenDraft={() => undefined}
      />,
      bridge,
    )
    await waitFor(() => expect(document.querySelector('iframe')).not.toBeNull())
    fireEvent.click(screen.getByRole('button', { name: 'TXT' }))
    const alert = await screen.findByTestId('missing')
    const groups = [...alert.querySelectorAll('p')].map((p) => [p.textContent, p.nextElementSibling?.textContent])
    expect(groups).toEqual([
      ['Too long:', 'Subject can hold at most 2,000 characters (this has 2,345)'],
      ['Before exporting, fill in:', 'Place is required'],
    ])
    expect(calls).not.toContain('letters:export')
  })
})
