// Core (Node): app:getInfo passes on what the desktop shell knows about screen lock (Platform.screenLockCoverage: main
// answers from powerMonitor on macOS and Windows and from the D-Bus watch on Linux), and never promises it otherwise.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Platform } from '../../../electron/core/api/context'
import type { ScreenLockCoverage } from '../../../shared/ipc/channels/appChannels'
import { callChannel, startTestServices } from '../../helpers/appServices'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'custodia-screenlock-info-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

let runs = 0
async function infoWith(platform: Partial<Platform>): Promise<Record<string, unknown>> {
  const services = await startTestServices(join(root, `run-${runs++}`), platform)
  try {
    return await callChannel(services, 'app:getInfo', {})
  } finally {
    services.session.lock('user')
  }
}

describe('app:getInfo screenLock', () => {
  it('says what the platform sees', async () => {
    expect(await infoWith({ screenLockCoverage: async () => 'all' })).toMatchObject({ screenLock: 'all' })
    expect(await infoWith({ screenLockCoverage: async () => 'session' })).toMatchObject({ screenLock: 'session' })
  })

  it('is none when the platform sees none, cannot say, or fails to answer', async () => {
    expect(await infoWith({ screenLockCoverage: async () => 'none' })).toMatchObject({ screenLock: 'none' })
    expect(await infoWith({})).toMatchObject({ screenLock: 'none' })
    expect(await infoWith({ screenLockCoverage: () => Promise.reject(new Error('no bus')) })).toMatchObject({ screenLock: 'none' })
  })

  it('waits for a watch that is still starting instead of answering too early', async () => {
    let started: (value: ScreenLockCoverage) => void = () => undefined
    const watchStarted = new Promise<ScreenLockCoverage>((resolve) => (started = resolve))
    const services = await startTestServices(root, { screenLockCoverage: () => watchStarted })
    const info = callChannel(services, 'app:getInfo', {})
    started('all')
    expect(await info).toMatchObject({ screenLock: 'all' })
    services.session.lock('user')
  })
})
