// Renderer (jsdom): useAsync over the real typed client and a fake bridge — busy while a call is pending, the result
// once it answers, the IPC failure's own message in the ErrorMessage line (cleared by the next run), a generic
// sentence for anything that is not an IPC failure, and a caller's wording for a failure it expects.
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { ApiError, describeError } from '../../renderer/src/api/client'
import { useApi } from '../../renderer/src/api/ApiProvider'
import { ErrorMessage } from '../../renderer/src/components/ErrorMessage'
import { useAsync } from '../../renderer/src/hooks/useAsync'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

/** A bridge whose answers the test releases one by one. */
function deferredBridge() {
  const waiting: ((result: IpcResult<unknown>) => void)[] = []
  const bridge: CustodiaBridge = {
    invoke: (() => new Promise<IpcResult<unknown>>((resolve) => waiting.push(resolve))) as CustodiaBridge['invoke'],
    on: () => () => undefined,
    pathForFile: () => '',
  }
  const answer = async (result: IpcResult<unknown>) => {
    await act(async () => waiting.shift()!(result))
  }
  return { bridge, answer, pending: () => waiting.length }
}

function RecentVaults() {
  const api = useApi()
  const { busy, error, result, run } = useAsync<string[]>()
  const load = () =>
    run(
      async () => (await api['vault:listRecent']({})).dirs,
      (err) => (err instanceof ApiError && err.code === 'VAULT_LOCKED' ? 'Unlock the vault first.' : describeError(err)),
    )
  return (
    <div>
      <button disabled={busy} onClick={() => void load()}>
        Load
      </button>
      <ErrorMessage message={error} />
      {result && <p data-testid="result">{result.join(', ')}</p>}
    </div>
  )
}

function Plain() {
  const api = useApi()
  const { busy, error, run } = useAsync()
  return (
    <div>
      <button disabled={busy} onClick={() => void run(async () => void (await api['vault:listRecent']({})))}>
        Load
      </button>
      <button onClick={() => void run(async () => Promise.reject(new Error('/home/someone/vault: ENOENT')))}>Break</button>
      <ErrorMessage message={error} />
    </div>
  )
}

describe('useAsync', () => {
  it('is busy while the call is pending and keeps what it returned', async () => {
    const fake = deferredBridge()
    renderWithApi(<RecentVaults />, fake.bridge)
    const button = screen.getByRole('button', { name: 'Load' }) as HTMLButtonElement
    fireEvent.click(button)
    expect(button.disabled).toBe(true)
    expect(fake.pending()).toBe(1)
    await fake.answer({ ok: true, value: { dirs: ['/v1', '/v2'] } })
    expect(button.disabled).toBe(false)
    expect(screen.getByTestId('result').textContent).toBe('/v1, /v2')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it("shows the IPC failure's message, and clears it when the next call starts", async () => {
    const fake = deferredBridge()
    renderWithApi(<Plain />, fake.bridge)
    const button = screen.getByRole('button', { name: 'Load' }) as HTMLButtonElement
    fireEvent.click(button)
    await fake.answer({ ok: false, error: { code: 'NOT_A_VAULT', message: 'The folder holds no Custodia vault.' } })
    expect(screen.getByRole('alert').textContent).toBe('The folder holds no Custodia vault.')
    expect(button.disabled).toBe(false)

    fireEvent.click(button)
    expect(screen.queryByRole('alert')).toBeNull()
    await fake.answer({ ok: true, value: { dirs: [] } })
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('words anything that is not an IPC failure generically (no path or internal text reaches the screen)', async () => {
    renderWithApi(<Plain />, deferredBridge().bridge)
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Break' })))
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong. Please try again.')
  })

  it("uses the caller's wording for a failure it expects", async () => {
    const fake = deferredBridge()
    renderWithApi(<RecentVaults />, fake.bridge)
    fireEvent.click(screen.getByRole('button', { name: 'Load' }))
    await fake.answer({ ok: false, error: { code: 'VAULT_LOCKED', message: 'The vault is locked' } })
    expect(screen.getByRole('alert').textContent).toBe('Unlock the vault first.')
    expect(screen.queryByTestId('result')).toBeNull()
  })
})
