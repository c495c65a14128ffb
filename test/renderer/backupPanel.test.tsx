// Renderer (jsdom): Security → Backup against a typed fake bridge — the overdue reminder, backing up into the folder
// the dialog gave (with progress), checking and restoring with the passphrase, the reminder setting, and a refused
// backup's message shown as it came from main.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { BackupStatus } from '../../shared/ipc/channels/backupChannels'
import { BackupPanel } from '../../renderer/src/features/home/BackupPanel'
import { SecurityPanel } from '../../renderer/src/features/home/SecurityPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const DAY = 86_400_000
const OLD = new Date(Date.now() - 10 * DAY).toISOString()

type Answer = (request: unknown) => IpcResult<unknown>

/** A bridge answering the given channels, recording every call, and letting the test push progress events. */
function fakeBridge(answers: Partial<Record<ChannelName, Answer>>) {
  const calls: [string, unknown][] = []
  const listeners = new Map<string, (payload: unknown) => void>()
  const bridge: CustodiaBridge = {
    invoke: async (channel, request) => {
      calls.push([channel, request])
      const answer = answers[channel as ChannelName]
      return answer ? answer(request) : { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    },
    on: (event, listener) => {
      listeners.set(event, listener)
      return () => listeners.delete(event)
    },
    pathForFile: () => '',
  }
  return { bridge, calls, emit: (event: string, payload: unknown) => listeners.get(event)?.(payload) }
}

const ok = (value: unknown): IpcResult<unknown> => ({ ok: true, value })
const status = (s: Partial<BackupStatus>): BackupStatus => ({ lastBackupAt: null, reminderDays: 0, overdue: false, ...s })

describe('BackupPanel', () => {
  it('shows the reminder on the Security page when the last backup is older than the chosen days', async () => {
    const { bridge } = fakeBridge({
      'backups:getStatus': () => ok(status({ lastBackupAt: OLD, reminderDays: 7, overdue: true })),
      'app:getInfo': () => ok({ name: 'Custodia', version: 't', platform: 'linux', sodiumBackend: 'native', screenLock: 'all' }),
    })
    renderWithApi(
      <SecurityPanel status={{ state: 'unlocked', dir: '/v', vaultId: 'abc', autoLockMinutes: 10 }} onStatus={() => undefined} />,
      bridge,
    )
    await waitFor(() => expect(screen.getByTestId('backup-reminder').textContent).toContain('The last backup is 10 days old'))
    expect((screen.getByLabelText('Remind me when the last backup is older than') as HTMLSelectElement).value).toBe('7')
  })

  it('shows no reminder when none is due, and says when no backup was made yet', async () => {
    const { bridge } = fakeBridge({ 'backups:getStatus': () => ok(status({ reminderDays: 0 })) })
    renderWithApi(<BackupPanel />, bridge)
    await waitFor(() => expect(screen.getByTestId('backup-last').textContent).toBe('No backup made yet.'))
    expect(screen.queryByTestId('backup-reminder')).toBeNull()
  })

  it('backs up into the chosen folder, shows progress while it runs, and clears the reminder', async () => {
    let finish: (r: IpcResult<unknown>) => void = () => undefined
    const { bridge, calls, emit } = fakeBridge({
      'backups:getStatus': () => ok(status({ reminderDays: 7, overdue: true })),
      'backups:chooseFolder': () => ok({ dir: '/media/usb/custodia-backups' }),
    })
    const invoke = bridge.invoke
    bridge.invoke = (channel, request) =>
      channel === 'backups:create'
        ? (calls.push([channel, request]), new Promise((resolve) => (finish = resolve)))
        : invoke(channel, request)
    renderWithApi(<BackupPanel />, bridge)
    await waitFor(() => screen.getByTestId('backup-reminder'))
    fireEvent.click(screen.getByRole('button', { name: 'Back up now…' }))
    await waitFor(() => expect(calls.some(([c]) => c === 'backups:create')).toBe(true))
    act(() => emit('backups:progress', { action: 'backup', doneBytes: 50, totalBytes: 200 }))
    expect(screen.getByTestId('backup-progress').textContent).toBe('Backing up… 25 %')
    const now = new Date().toISOString()
    await act(async () =>
      finish(
        ok({
          createdAt: now,
          attachments: 3,
          copied: 1,
          copiedBytes: 5 * 1024 ** 2,
          status: status({ lastBackupAt: now, reminderDays: 7 }),
        }),
      ),
    )
    await waitFor(() =>
      expect(screen.getByTestId('backup-message').textContent).toContain('Backup complete in /media/usb/custodia-backups'),
    )
    expect(screen.getByTestId('backup-message').textContent).toContain('3 attachments (1 new)')
    // Making a backup does not read back its copies: the message sends the user to the check.
    expect(screen.getByTestId('backup-message').textContent).toContain('Check it once (Check a backup…) before you rely on it.')
    expect(screen.queryByTestId('backup-reminder')).toBeNull()
    expect(screen.queryByTestId('backup-progress')).toBeNull()
    expect(calls.find(([c]) => c === 'backups:create')).toEqual(['backups:create', { dir: '/media/usb/custodia-backups' }])
  })

  it('asks for the passphrase before checking or restoring, and restores into the second folder chosen', async () => {
    const folders = ['/media/usb/custodia-backups', '/home/ana/restored']
    const { bridge, calls } = fakeBridge({
      'backups:getStatus': () => ok(status({})),
      'backups:chooseFolder': () => ok({ dir: folders.shift() ?? null }),
      'backups:restore': (r) =>
        ok({ dir: (r as { destination: string }).destination, vaultId: 'a'.repeat(32), createdAt: OLD, attachments: 2 }),
    })
    renderWithApi(<BackupPanel />, bridge)
    const restore = screen.getByRole('button', { name: 'Restore a backup into a new folder…' })
    expect((restore as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Check a backup…' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(screen.getByLabelText('Passphrase of the vault when the backup was made'), { target: { value: 'old passphrase' } })
    fireEvent.click(restore)
    await waitFor(() => expect(screen.getByTestId('backup-message').textContent).toContain('into /home/ana/restored'))
    expect(calls.find(([c]) => c === 'backups:restore')).toEqual([
      'backups:restore',
      { dir: '/media/usb/custodia-backups', destination: '/home/ana/restored', passphrase: 'old passphrase' },
    ])
  })

  it('shows main’s message when a backup is refused, and sets the reminder through main', async () => {
    const { bridge, calls } = fakeBridge({
      'backups:getStatus': () => ok(status({})),
      'backups:chooseFolder': () => ok({ dir: '/media/usb/backups' }),
      'backups:verify': () => ({
        ok: false,
        error: { code: 'TAMPERED', message: 'This backup cannot be used: one file is not as the backup wrote it.' },
      }),
      'backups:setReminder': (r) => ok(status({ reminderDays: (r as { days: number }).days })),
    })
    renderWithApi(<BackupPanel />, bridge)
    await waitFor(() =>
      expect((screen.getByLabelText('Remind me when the last backup is older than') as HTMLSelectElement).disabled).toBe(false),
    )
    fireEvent.change(screen.getByLabelText('Remind me when the last backup is older than'), { target: { value: '14' } })
    await waitFor(() => expect(calls.find(([c]) => c === 'backups:setReminder')).toEqual(['backups:setReminder', { days: 14 }]))
    fireEvent.change(screen.getByLabelText('Passphrase of the vault when the backup was made'), { target: { value: 'pass' } })
    fireEvent.click(screen.getByRole('button', { name: 'Check a backup…' }))
    await waitFor(() => expect(screen.getByTestId('error').textContent).toContain('This backup cannot be used'))
  })
})
