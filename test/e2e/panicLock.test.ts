// E2E (Chromium + real backend): the panic lock. Security shows the system-wide shortcut and records another from the
// keys pressed; text copied in Custodia's window is taken off the clipboard by a panic lock, which leaves the lock
// screen showing (and saying nothing about why). The global shortcut itself is Electron's: the harness stands in for
// the system that registers it, and calls the panic lock as the shortcut would.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('panic lock in Chromium', () => {
  const harness = useHarness()

  it('changes the shortcut in Security, then locks at once and empties the clipboard it filled', async () => {
    const h = harness()
    const { page, services } = h
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()
    const panel = page.getByTestId('panic-lock')
    await panel.getByText('Press Ctrl+Alt+Shift+L anywhere, even in another program', { exact: false }).waitFor()
    expect(h.registeredPanicShortcut).toBe('CommandOrControl+Alt+Shift+L')

    // Refused by the system (another program holds it): said in words, and the old shortcut stays.
    h.takenShortcuts.push('CommandOrControl+Alt+P')
    await page.getByLabel('New shortcut (click here, then press the keys)').press('Control+Alt+p')
    expect(await page.getByLabel('New shortcut (click here, then press the keys)').inputValue()).toBe('Ctrl+Alt+P')
    await page.getByRole('button', { name: 'Use this shortcut' }).click()
    await panel.getByText('Another program already uses this shortcut. Choose another one.').waitFor()
    expect(h.registeredPanicShortcut).toBe('CommandOrControl+Alt+Shift+L')

    await page.getByLabel('New shortcut (click here, then press the keys)').press('Control+Shift+F12')
    await page.getByRole('button', { name: 'Use this shortcut' }).click()
    await panel.getByText('Press Ctrl+Shift+F12 anywhere', { exact: false }).waitFor()
    expect(h.registeredPanicShortcut).toBe('CommandOrControl+Shift+F12')
    await h.screenshot('security-panic-lock')

    // Copy a passage from Custodia's window with the keyboard, as a user would.
    await page.getByLabel('Current passphrase').fill('copied from custodia 4471')
    await page.getByLabel('Current passphrase').evaluate((input: HTMLInputElement) => (input.type = 'text'))
    await page.getByLabel('Current passphrase').selectText()
    await page.keyboard.press('Control+c')
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copied from custodia 4471')

    const outcome = await services.panicLock!.run()
    expect(outcome).toEqual({ wasUnlocked: true, clipboardCleared: true })
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('')
    expect(h.otherWindowsClosed).toBe(1)
    await page.getByRole('heading', { name: 'Unlock vault' }).waitFor()
    // Nothing on the lock screen says why it locked.
    expect(await page.getByText('The vault was locked', { exact: false }).count()).toBe(0)
    expect(services.session.isUnlocked()).toBe(false)
    await h.screenshot('panic-locked')
    expect(h.pageErrors).toEqual([])
  })
})
