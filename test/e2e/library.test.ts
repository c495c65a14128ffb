// E2E (Chromium + real backend): the library through the UI — importing our own fixture letters (English,
// Norwegian, Ukrainian; test/fixtures/letters, so a fresh clone runs it too) with the (fake) native dialog, full-text search with Ctrl+K across scripts, hostile imports that must not run or load anything,
// and the revision history (edit → autosave → diff → restore).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT, useHarness } from './harness'

const LETTERS = path.join(REPO_ROOT, 'test/fixtures/letters')
const LETTER_PATHS = fs
  .readdirSync(LETTERS)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => path.join(LETTERS, f))
const XSS = ['xss.md', 'xss.html', 'xss.docx'].map((f) => path.join(REPO_ROOT, 'test/fixtures/import', f))

describe('library in Chromium', () => {
  const harness = useHarness()

  it('imports the eight fixture letters through the file dialog and lists title, date, kind and language', async () => {
    const h = harness()
    const created = await h.services.dispatch('vault:create', { dir: path.join(h.workDir, 'vault'), passphrase: GOOD_PASSPHRASE })
    expect(created.ok).toBe(true)
    await h.page.reload()
    await h.page.getByText('The library is empty.').waitFor()

    h.nextChosenFiles = LETTER_PATHS
    await h.page.getByRole('button', { name: 'Import…' }).click()
    await h.page.getByText('Imported 8 of 8 files.').waitFor()
    const rows = h.page.getByTestId('document-row')
    await expect.poll(() => rows.count()).toBe(8)
    // Each row: the title, then the date, kind, status and language in words on the line under it.
    const cells = await rows.evaluateAll((items) =>
      items.map((item) => ['.clamp', '.date', '.kind', '.status', '.lang'].map((part) => item.querySelector(part)!.textContent)),
    )
    expect(cells).toEqual([
      ['Independent monitoring of places of detention in Dravonia', 'May 6, 2025', 'Letter', 'Sent', 'English'],
      ['Dravonia: Request for Norwegian support to an independent prison monitoring mission', 'Apr 14, 2025', 'Letter', 'Sent', 'English'],
      [
        'Standpoint on the humanitarian needs of residents of the occupied districts of Dravonia in the ceasefire talks',
        'Mar 19, 2025',
        'Statement',
        'Published',
        'English',
      ],
      [
        'Statement on the protection of civilians detained in the occupied districts of Dravonia during the ceasefire talks',
        'Mar 18, 2025',
        'Statement',
        'Published',
        'English',
      ],
      ['More help for the families of detained civilians', 'Jan 30, 2025', 'Correspondence', 'Received', 'English'],
      ['Доступ адвокатів до затриманих журналістів', 'May 5, 2024', 'Letter', 'Sent', 'Ukrainian'],
      ['Besøk hos fengslede journalister i Dravonia', 'Mar 3, 2024', 'Letter', 'Sent', 'Norwegian Bokmål'],
      ['Letter from Dravonian Civic Forum to Ingrid Solvang Haugen and Torstein Ødegård Lie', 'Feb 9, 2024', 'Letter', 'Sent', 'English'],
    ])
    // Sorting by title, then keyboard: ↓ and Enter open the second row.
    await h.page.getByRole('button', { name: 'Title' }).click()
    await expect.poll(() => rows.first().locator('.clamp').textContent()).toMatch(/^Besøk hos/)
    await rows.first().focus()
    await h.page.keyboard.press('ArrowDown')
    await h.page.keyboard.press('Enter')
    await expect.poll(() => h.page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Dravonia: Request/)
  })

  it('finds the Cyrillic letterhead by its Latin spelling with Ctrl+K and opens it with Enter', async () => {
    const { page } = harness()
    await page.keyboard.press('Control+k')
    const input = page.getByRole('combobox', { name: 'Search documents' })
    await input.waitFor()
    await input.fill('Podilska pravozakhysna')
    const hits = page.getByTestId('search-hit')
    await expect.poll(() => hits.count()).toBe(1)
    expect(await hits.first().locator('.hit-title').textContent()).toMatch(/^Statement on the protection/)
    const marked = await hits.first().locator('mark').allTextContents()
    expect(marked.map((m) => m.toUpperCase())).toEqual(expect.arrayContaining(['ПОДІЛЬСЬКА', 'ПРАВОЗАХИСНА']))
    await input.press('Enter')
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Statement on the protection/)
    await expect.poll(() => page.getByRole('dialog', { name: 'Search documents' }).count()).toBe(0)
    await page.locator('.ProseMirror').getByText('ПОДІЛЬСЬКА', { exact: false }).first().waitFor()
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
    await expect.poll(() => rows.count()).toBe(11)
    for (const title of ['Hostile Markdown sample', 'Hostile HTML sample', 'Hostile']) {
      const row = rows.filter({ hasText: title }).first()
      await row.click()
      await page.locator('.ProseMirror').waitFor()
      await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toContain('Hostile')
      const found = await page.locator('.readpane').evaluate((pane) => {
        const all = [...pane.querySelectorAll('*')]
        return {
          scripts: pane.querySelectorAll('script, iframe, object, embed, form, style, link, meta, svg').length,
          onAttributes: all.flatMap((el) =>
            [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName}.${a.name}`),
          ),
          badLinks: [...pane.querySelectorAll('a[href]')]
            .map((a) => a.getAttribute('href') ?? '')
            .filter((href) => !/^(https?:|mailto:)/i.test(href)),
          remoteImages: [...pane.querySelectorAll('img')]
            .map((img) => img.getAttribute('src') ?? '')
            .filter((src) => !src.startsWith('data:')),
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

  it('cleans pasted HTML before the page sees it: no handler runs or is even refused by the CSP, no remote load', async () => {
    const h = harness()
    const { page } = h
    const messagesBefore = h.consoleMessages.length
    await page.getByRole('button', { name: 'New note' }).click()
    const body = page.locator('.ProseMirror')
    await body.click()
    const hostile = [
      '<p>Pasted from a web page <b>in bold</b>',
      '<img src="x" onerror="window.pwned=1"><img src="https://tracker.example/p.png">',
      '<a href="javascript:window.pwned=2" onclick="window.pwned=3">link</a>',
      '<span onmouseover="window.pwned=4">hover</span><svg onload="window.pwned=5"></svg>',
      '<style>body{display:none}</style><script>window.pwned=6</script></p>',
    ].join('')
    await body.evaluate((editor, html) => {
      const data = new DataTransfer()
      data.setData('text/html', html)
      data.setData('text/plain', 'Pasted from a web page in bold')
      editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, hostile)
    await expect.poll(() => body.textContent()).toContain('Pasted from a web page in bold')
    expect(await body.locator('strong, b').first().textContent()).toBe('in bold')
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
    const found = await body.evaluate((editor) => ({
      onAttributes: [...editor.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name),
      ),
      hrefs: [...editor.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      images: editor.querySelectorAll('img').length,
    }))
    expect(found).toEqual({ onAttributes: [], hrefs: [], images: 0 })
    // Before, each paste made the CSP log "Refused to execute inline event handler" four times.
    expect(
      h.consoleMessages.slice(messagesBefore).filter((m) => /Content Security Policy|inline event handler|Refused/i.test(m.text)),
    ).toEqual([])
    expect(h.foreignRequests).toEqual([])
    expect(h.pageErrors).toEqual([])
  })

  it('autosaves an edit, shows the history, diffs two revisions and restores the old one', async () => {
    const { page } = harness()
    await page.getByTestId('document-row').filter({ hasText: 'More help for the families' }).click()
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('More help for the families of detained civilians')
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
