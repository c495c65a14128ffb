// E2E (Chromium + real backend): the app shell at the window sizes people use. The library with a document open at
// 1280×800, 1024×640, 1920×1080 and 2560×1440: nothing runs off the window, no text box is narrower than 120 px, list titles
// break between words, the editor keeps at least 600 px at 1280×800; the panes resize by keyboard and remember it;
// the top bar names the vault, not its path; the dossier form shows a refused save at the field. Screenshots go to
// test-results/ to be looked at.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { GOOD_PASSPHRASE, REPO_ROOT, useHarness } from './harness'

const LETTERS = path.join(REPO_ROOT, 'test/fixtures/letters')
const LETTER_PATHS = fs
  .readdirSync(LETTERS)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => path.join(LETTERS, f))

/** Visible elements whose right edge is past the window and that no scrolling or clipping ancestor contains. */
function findOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const out: string[] = []
    const clipped = (el: Element): boolean => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a)
        if (style.overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true
      }
      return false
    }
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0) continue
      if (rect.right > width + 1 && !clipped(el)) out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(rect.right)}`)
    }
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`)
    return out
  })
}

/** Visible text inputs, selects and text areas narrower than `min` px, with their labels. */
function findNarrowInputs(page: Page, min: number): Promise<string[]> {
  return page.evaluate((least) => {
    const out: string[] = []
    const skip = new Set(['checkbox', 'radio', 'file', 'range', 'color', 'hidden', 'button', 'submit'])
    for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea')) {
      if (el instanceof HTMLInputElement && skip.has(el.type)) continue
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0 || el.closest('[hidden]')) continue
      if (rect.width < least) out.push(`${el.getAttribute('aria-label') ?? el.id ?? el.tagName}: ${Math.round(rect.width)} px`)
    }
    return out
  }, min)
}

/** Titles in the list where a word is wider than its line (so the browser had to break it inside the word). */
function findBrokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    const probe = document.createElement('span')
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap'
    document.body.append(probe)
    for (const title of document.querySelectorAll<HTMLElement>('[data-testid="document-row"] .clamp')) {
      const style = getComputedStyle(title)
      probe.style.font = style.font
      for (const word of (title.textContent ?? '').split(/\s+/)) {
        probe.textContent = word
        if (probe.getBoundingClientRect().width > title.getBoundingClientRect().width) out.push(word)
      }
    }
    probe.remove()
    return out
  })
}

describe('app shell and layout in Chromium', () => {
  const harness = useHarness()

  it('lays out the library with a document open at 1280×800, 1024×640, 1920×1080 and 2560×1440', async () => {
    const h = harness()
    const dir = path.join(h.workDir, 'Helsinki office')
    expect((await h.services.dispatch('vault:create', { dir, passphrase: GOOD_PASSPHRASE })).ok).toBe(true)
    expect((await h.services.dispatch('library:import', { paths: LETTER_PATHS })).ok).toBe(true)

    for (const [width, height] of [
      [1280, 800],
      [1024, 640],
      [1920, 1080],
      [2560, 1440],
    ] as const) {
      await h.page.setViewportSize({ width, height })
      await h.page.reload()
      const rows = h.page.getByTestId('document-row')
      await expect.poll(() => rows.count()).toBe(8)
      await rows.filter({ hasText: 'Standpoint on the humanitarian needs' }).click()
      await expect.poll(() => h.page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Standpoint/)
      await h.page.getByRole('textbox', { name: 'Document text' }).waitFor()
      if (width === 1280) {
        // A recipient as the secretary types one: every box shows its whole value (once it showed "Jonas G").
        await h.page.getByRole('button', { name: 'Add recipient' }).click()
        await h.page.getByLabel('Recipients 1 name').fill('Jonas Gahr Støre')
        await h.page.getByLabel('Recipients 1 title').fill('Prime Minister')
        await h.page.getByLabel('Recipients 1 organisation').fill('Office of the Prime Minister')
        await expect.poll(() => h.page.getByTestId('save-state').textContent()).toBe('Saved')
      }
      const cut = await h.page
        .locator('.person input')
        .evaluateAll((inputs) => (inputs as HTMLInputElement[]).filter((i) => i.scrollWidth > i.clientWidth).map((i) => i.value))
      expect(cut, `${width}×${height}`).toEqual([])
      expect(await h.page.locator('.person input').count()).toBe(4)
      // The top bar names the vault by its folder's name, never its path; the window title says where one is.
      expect(await h.page.getByTestId('vault-name').textContent()).toBe('Helsinki office')
      expect(await h.page.locator('.topbar').textContent()).not.toContain(h.workDir)
      expect(await h.page.title()).toBe('Library — Helsinki office — Custodia')
      await h.page.getByRole('heading', { level: 1, name: 'Library' }).waitFor()

      expect(await findOverflow(h.page), `${width}×${height}`).toEqual([])
      expect(await findNarrowInputs(h.page, 120), `${width}×${height}`).toEqual([])
      expect(await findBrokenWords(h.page), `${width}×${height}`).toEqual([])
      // The workspace fills the window at every size: nothing below it, nothing cut.
      const workspace = await h.page.locator('.workspace').boundingBox()
      expect(workspace?.height).toBe(height)
      const editorWidth = (await h.page.locator('.richtext').boundingBox())!.width
      if (width === 1280) expect(editorWidth).toBeGreaterThanOrEqual(600)
      await h.screenshot(`layout-library-${width}x${height}`)
    }
    // The dark theme follows the OS: the same screen with prefers-color-scheme: dark.
    await h.page.setViewportSize({ width: 1280, height: 800 })
    await h.page.emulateMedia({ colorScheme: 'dark' })
    await h.page.reload()
    await h.page.getByTestId('document-row').filter({ hasText: 'Standpoint on the humanitarian needs' }).click()
    await h.page.getByRole('textbox', { name: 'Document text' }).waitFor()
    const background = await h.page.locator('.readpane').evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(background).not.toBe('rgb(255, 255, 255)')
    expect(await findOverflow(h.page)).toEqual([])
    await h.screenshot('layout-library-1280x800-dark')
    await h.page.emulateMedia({ colorScheme: 'light' })
  })

  it('resizes and hides the list by keyboard and remembers it after a reload', async () => {
    const { page } = harness()
    await page.setViewportSize({ width: 1280, height: 800 })
    const separator = page.getByRole('separator', { name: 'Document list width' })
    const before = Number(await separator.getAttribute('aria-valuenow'))
    expect(before).toBeGreaterThan(0)
    await separator.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 32)
    expect((await page.locator('#library-list').boundingBox())!.width).toBe(before + 32)
    await page.reload()
    await page.getByTestId('document-row').first().waitFor()
    expect(Number(await page.getByRole('separator', { name: 'Document list width' }).getAttribute('aria-valuenow'))).toBe(before + 32)

    // Enter hides the pane and gives its room to the document; Enter again brings it back at the same width.
    await page.getByRole('separator', { name: 'Document list width' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#library-list').count()).toBe(0)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await page.locator('#library-list').boundingBox())?.width).toBe(before + 32)
    // What is remembered is widths and flags only: no title, name or text of the vault.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(stored).not.toMatch(/Standpoint|Dravonia|Helsinki/)
  })

  it('gives every section a title and keeps it inside the window at 1024×640 and 1920×1080', async () => {
    const { page } = harness()
    const sections = ['Library', 'Search', 'Letters', 'Dossiers', 'Exchange', 'Vocabularies', 'Organisation', 'Security']
    for (const [width, height] of [
      [1024, 640],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height })
      for (const name of sections) {
        await page.getByRole('link', { name, exact: true }).click()
        await expect.poll(() => page.title()).toBe(`${name} — Helsinki office — Custodia`)
        await page.getByRole('heading', { level: 1 }).first().waitFor()
        expect(await findOverflow(page), `${name} at ${width}×${height}`).toEqual([])
        expect(await findNarrowInputs(page, 120), `${name} at ${width}×${height}`).toEqual([])
        if (width === 1024) await harness().screenshot(`section-${name.toLowerCase()}-${width}x${height}`)
      }
    }
    await page.getByRole('link', { name: 'Library', exact: true }).click()
  })

  it('shows a refused dossier save at the field, scrolled into view and focused', async () => {
    const { page } = harness()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByRole('button', { name: 'New dossier' }).click()
    await page.getByRole('combobox', { name: 'Consent', exact: true }).selectOption('partners')
    // Scrolled to the bottom of the long form, as after filling it in: Save is in the sticky head.
    await page.locator('#dossiers').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    const name = page.getByLabel('Name in original script')
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await name.isVisible()).toBe(true)
    const inView = await name.evaluate((el) => {
      const r = el.getBoundingClientRect()
      return r.top >= 0 && r.bottom <= window.innerHeight
    })
    expect(inView).toBe(true)
    const errors = await page.getByTestId('field-error').allTextContents()
    expect(errors).toEqual([
      'Give the name in original script.',
      'Name at least one partner who may receive this dossier, or choose another consent level.',
    ])
    const alert = await page.getByTestId('error').textContent()
    for (const text of [alert, ...errors]) expect(text).not.toMatch(/expected|Invalid request|stanza|header:/)
    expect(await findOverflow(page)).toEqual([])
    await harness().screenshot('dossier-field-error')
  })
})
