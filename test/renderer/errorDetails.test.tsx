// Renderer (jsdom): a failure from main reaches the screen as a sentence for people (shared/messages), with the
// technical wording only behind the "Details" toggle — through the real typed client, useAsync and ErrorMessage.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcFailure } from '../../shared/ipc/contract'
import { BUNDLE_FILE_MESSAGES, type MessageContext } from '../../shared/messages/messages'
import { useApi } from '../../renderer/src/api/ApiProvider'
import { ErrorMessage } from '../../renderer/src/components/ErrorMessage'
import { useAsync } from '../../renderer/src/hooks/useAsync'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const BUNDLE: MessageContext = { codes: BUNDLE_FILE_MESSAGES }

function failingBridge(error: IpcFailure): CustodiaBridge {
  return { invoke: async () => ({ ok: false, error }), on: () => () => undefined, pathForFile: () => '' }
}

function OpenBundle({ context }: { context?: MessageContext }) {
  const api = useApi()
  const { error, details, run } = useAsync(context)
  return (
    <div>
      <button onClick={() => void run(async () => void (await api['bundles:open']({ keys: { kind: 'own' } })))}>Open</button>
      <ErrorMessage message={error} details={details} />
    </div>
  )
}

describe('error details', () => {
  it('says a damaged bundle is not a Custodia bundle, and keeps the reader’s words behind Details', async () => {
    renderWithApi(
      <OpenBundle context={BUNDLE} />,
      failingBridge({ code: 'VALIDATION', message: 'malformed age header: non-printable byte' }),
    )
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    const alert = await screen.findByRole('alert')
    expect(alert.querySelector('p')!.textContent).toBe(BUNDLE_FILE_MESSAGES.VALIDATION)
    expect(alert.querySelector('p')!.textContent).not.toMatch(/header:|stanza|expected/)
    const details = alert.querySelector('details')!
    expect(details.open).toBe(false)
    expect(details.querySelector('summary')!.textContent).toBe('Details')
    expect(details.querySelector('pre')!.textContent).toBe('VALIDATION: malformed age header: non-printable byte')
  })

  it('shows a plain message from main as it is, with no Details', async () => {
    renderWithApi(<OpenBundle />, failingBridge({ code: 'NOT_FOUND', message: 'No bundle is open: choose the file again.' }))
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('No bundle is open: choose the file again.'))
    expect(screen.getByRole('alert').querySelector('details')).toBeNull()
  })
})
