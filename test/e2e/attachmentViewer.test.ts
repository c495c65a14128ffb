// E2E (Chromium + real backend): attachments open inside the app. A dossier's PDF is drawn by pdf.js (its worker
// built with the app, loaded from 'self') from main's in-memory route, a picture shows in an <img>, a text file as
// text; Escape closes the viewer and focus goes back to the Open button. Nothing is blocked by the CSP, no request
// leaves our origin, and nothing was written outside the vault.
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildPng, buildTextPdf } from '../helpers/sampleFiles'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('attachment viewer in Chromium', () => {
  const harness = useHarness()

  it('shows a PDF, a picture and a text file of a dossier, in memory only', async () => {
    const h = harness()
    const { page, services } = h
    const files = {
      pdf: join(h.workDir, 'reply of the ministry.pdf'),
      png: join(h.workDir, 'portrait.png'),
      txt: join(h.workDir, 'visit notes.txt'),
    }
    writeFileSync(files.pdf, buildTextPdf('Reply of the ministry, case 4471'))
    writeFileSync(files.png, buildPng(40, 30, [30, 90, 160, 255]))
    writeFileSync(files.txt, 'Візит до колонії 12 березня: no medical care since January.\n')

    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByRole('button', { name: 'New dossier' }).click()
    await page.getByLabel('Name in original script').fill('Олена Вигадана')
    await page.keyboard.press('Control+s')
    const attach = page.getByRole('button', { name: 'Attach files…' })
    await attach.waitFor()
    h.nextChosenFiles = [files.pdf, files.png, files.txt]
    await attach.click()
    await expect.poll(() => page.getByTestId('dossier-file').count()).toBe(3)
    const before = readdirSync(h.workDir).sort()

    // The PDF: drawn on a canvas, and not blank.
    const openPdf = page.getByRole('button', { name: 'Open reply of the ministry.pdf' })
    await openPdf.click()
    const viewer = page.getByTestId('attachment-viewer')
    await viewer.getByRole('heading', { name: 'reply of the ministry.pdf' }).waitFor()
    const pageCanvas = viewer.getByRole('img', { name: 'reply of the ministry.pdf, page 1 of 1' })
    await pageCanvas.waitFor()
    await expect
      .poll(() =>
        pageCanvas.evaluate((canvas: HTMLCanvasElement) => {
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height / 4)
          let dark = 0
          for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 0) dark++
          return dark
        }),
      )
      .toBeGreaterThan(50)
    await h.screenshot('attachment-viewer-pdf')
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })
    expect(await openPdf.evaluate((button) => button === document.activeElement)).toBe(true)

    // The picture: decoded under the CSP (a blocked image has naturalWidth 0).
    await page.getByRole('button', { name: 'Open portrait.png' }).click()
    const image = page.getByTestId('viewer-image')
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40)
    await viewer.getByRole('button', { name: 'Close' }).click()
    await viewer.waitFor({ state: 'detached' })

    // The text file.
    await page.getByRole('button', { name: 'Open visit notes.txt' }).click()
    expect(await page.getByTestId('viewer-text').textContent()).toBe('Візит до колонії 12 березня: no medical care since January.\n')
    await h.screenshot('attachment-viewer-text')
    await page.keyboard.press('Escape')

    expect(h.pageErrors).toEqual([])
    expect(h.consoleMessages.filter((m) => m.type === 'error')).toEqual([])
    expect(h.foreignRequests).toEqual([])
    expect(readdirSync(h.workDir).sort()).toEqual(before)
  })
})
