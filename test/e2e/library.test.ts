// E2E (Chromium + real backend): the library through the UI — importing the five seed letters with the (fake)
// native dialog, full-text search with Ctrl+K across scripts, hostile imports that must not run or load anything,
// and the revision history (edit → autosave → diff → restore).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT, useHarness } from './harness'

const SEEDS = path.resolve(REPO_ROOT, '../shared/fixtures/seed-letters')
const SEED_PATHS = fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(SEEDS, f))
const XSS = ['xss.md', 'xss.html', 'xss.docx'].map((f) => path.join(REPO_ROOT, 'test/fixtures/import', f))

describe('library in Chromium', () => {
  const harness = useHarness()

  it('imports the five seed letters through the file dialog and lists title, date, kind and language', async () => {
    const h = harness()
    const created = await h.services.dispatch('vault:create', { dir: path.join(h.workDir, 'vault'), passphrase: GOOD_PASSPHRASE })
    expect(created.ok).toBe(true)
    await h.page.reload()
    await h.page.getByText('The library is empty.').waitFor()

    h.nextChosenFiles = SEED_PATHS
    await h.page.getByRole('button', { name: 'Import…' }).click()
    await h.page.getByText('Imported 5 of 5 files.').waitFor()
    const rows = h.page.getByTestId('document-row')
    await expect.poll(() => rows.count()).toBe(5)
    // Cells: title (+ language under it), date, kind, status.
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const [title, ...rest] = [...tr.querySelectorAll('td')]
        return [title!.querySelector('.clamp')!.textContent, ...rest.map((td) => td.textContent), title!.querySelector('.lang')!.textContent]
      }),
    )
    expect(cells).toEqual([
      [expect.stringMatching(/^Standpoint on the consideration of humanitarian issues/), '2025-08-13', 'Statement', 'published', 'en'],
      ['Statement on the necessity of considering humanitarian issues of the residents of the TOT of Ukraine during the negotiation process', '2025-08-12', 'Statement', 'published', 'en'],
      ['Strengthening efforts to protect children and prisoners', '2025-06-12', 'Correspondence', 'received', 'en'],
      ['Ukraine: Proposal for Norwegian political and diplomatic support to the People First campaign', '2025-05-26', 'Letter', 'sent', 'en'],
      ['Letter from Belarus Democratic Forum to Jonas Gahr Støre and Anniken Huitfeldt', '2023-03-23', 'Letter', 'sent', 'en'],
    ])
    // Sorting by title, then keyboard: ↓ and Enter open the second row.
    await h.page.getByRole('button', { name: 'Title' }).click()
    await expect.poll(() => rows.first().locator('.clamp').textContent()).toMatch(/^Letter from Belarus/)
    await rows.first().focus()
    await h.page.keyboard.press('ArrowDown')
    await h.page.keyboard.press('Enter')
    await expect.poll(() => h.page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Standpoint on the consideration/)
  })

  it('finds the Cyrillic letterhead by its Latin spelling with Ctrl+K and opens it with Enter', async () => {
    const { page } = harness()
    await page.keyboard.press('Control+k')
    const input = page.getByRole('combobox', { name: 'Search documents' })
    await input.waitFor()
    await input.fill('Krymska pravozakhysna')
    const hits = page.getByTestId('search-hit')
    await expect.poll(() => hits.count()).toBe(1)
    expect(await hits.first().locator('.hit-title').textContent()).toMatch(/^Statement on the necessity/)
    const marked = await hits.first().locator('mark').allTextContents()
    expect(marked.map((m) => m.toUpperCase())).toEqual(expect.arrayContaining(['КРИМСЬКА', 'ПРАВОЗАХИСНА']))
    await input.press('Enter')
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Statement on the necessity/)
    await expect.poll(() => page.getByRole('dialog', { name: 'Search documents' }).count()).toBe(0)
    await page.locator('.ProseMirror').getByText('КРИМСЬКА', { exact: false }).first().waitFor()
    await harness().screenshot('library-document-open')
  })

  it('imports hostile md, html and docx files and shows them without running or loading anything', async () => {
    const h = harness()
    const { page } = h
    const errorsBefore = h.consoleMessages.filter((m) => m.type === 'error').length
    h.nextChosenFiles = XSS
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByText('Imported 3 of 3 files.').waitFor()
    const rows = page.getByTestId('document-row')
    await expect.poll(() => rows.count()).toBe(8)
    for (const title of ['Hostile Markdown sample', 'Hostile HTML sample', 'Hostile']) {
      const row = rows.filter({ hasText: title }).first()
      await row.click()
      await page.locator('.ProseMirror').waitFor()
      await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toContain('Hostile')
      const found = await page.locator('.readpane').evaluate((pane) => {
        const all = [...pane.querySelectorAll('*')]
        return {
          scripts: pane.querySelectorAll('script, iframe, object, embed, form, style, link, meta, svg').length,
          onAttributes: all.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName}.${a.name}`)),
          badLinks: [...pane.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '').filter((href) => !/^(https?:|mailto:)/i.test(href)),
          remoteImages: [...pane.querySelectorAll('img')].map((img) => img.getAttribute('src') ?? '').filter((src) => !src.startsWith('data:')),
          text: pane.querySelector('.ProseMirror')?.textContent ?? '',
        }
      })
      expect(found).toMatchObject({ scripts: 0, onAttributes: [], badLinks: [], remoteImages: [] })
      expect(found.text.length).toBeGreaterThan(20)
    }
    expect(h.dialogs).toEqual([])
    expect(h.foreignRequests).toEqual([])
    expect(h.pageErrors).toEqual([])
    expect(h.consoleMessages.filter((m) => m.type === 'error').slice(errorsBefore)).toEqual([])
  })

  it('autosaves an edit, shows the history, diffs two revisions and restores the old one', async () => {
    const { page } = harness()
    await page.getByTestId('document-row').filter({ hasText: 'Strengthening efforts' }).click()
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Strengthening efforts to protect children and prisoners')
    const body = page.locator('.ProseMirror')
    await body.click()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Zebracorn paragraph added by a reviewer. ')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved')

    await page.getByRole('button', { name: 'History' }).click()
    const revisions = page.getByTestId('revision')
    await expect.poll(() => revisions.count()).toBe(2)
    await page.getByRole('button', { name: 'Show changes' }).click()
    const diff = page.getByTestId('diff')
    await diff.waitFor()
    expect(await diff.locator('ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Zebracorn')]))

    await page.getByRole('button', { name: 'Restore #1' }).click()
    await expect.poll(() => page.getByTestId('revision').count()).toBe(3)
    await expect.poll(() => body.textContent()).not.toContain('Zebracorn')
    expect(await page.locator('.revision-list li').first().textContent()).toContain('current')
  })
})
