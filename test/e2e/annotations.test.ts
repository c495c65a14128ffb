// E2E (Chromium + real backend): annotating one of our fixture letters in the library reader — select a sentence (a
// DOM Range over its text node), Ctrl+Alt+M, comment with a legal basis; edit the text before it, reload, and the
// highlight is still on the same words; resolve it and check the status filters; export W3C JSON-LD and the PDF report.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT, useHarness } from './harness'

const LETTER = path.join(REPO_ROOT, 'test/fixtures/letters/dcf-letter-to-prime-minister-2024-02-09.txt')
const TITLE = 'Letter from Dravonian Civic Forum'
const SENTENCE = 'President Radovan Kesler keeps threatening the critics who have fled abroad and the relatives they left behind.'

describe('annotations in Chromium', () => {
  const harness = useHarness()

  it('annotates a sentence, keeps the highlight on it across an edit and a reload, resolves it and filters', async () => {
    const h = harness()
    const { page } = h
    expect((await h.services.dispatch('vault:create', { dir: path.join(h.workDir, 'vault'), passphrase: GOOD_PASSPHRASE })).ok).toBe(true)
    await page.reload()
    await page.getByText('The library is empty.').waitFor()
    h.nextChosenFiles = [LETTER]
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByText('Imported 1 of 1 file.').waitFor()
    const body = page.locator('.ProseMirror')
    await body.getByText(SENTENCE, { exact: false }).waitFor()

    // Select exactly the sentence with a DOM Range inside its text node, as a mouse drag would.
    await body.focus()
    await page.evaluate((sentence) => {
      const root = document.querySelector('.ProseMirror')!
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(sentence)
        if (at < 0) continue
        const range = document.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + sentence.length)
        const selection = window.getSelection()!
        selection.removeAllRanges()
        selection.addRange(range)
        return
      }
      throw new Error('sentence not found in one text node')
    }, SENTENCE)
    const floating = page.getByRole('button', { name: 'Comment (Ctrl+Alt+M)' })
    await floating.waitFor()
    expect(await floating.getAttribute('aria-keyshortcuts')).toBe('Control+Alt+M')
    await page.keyboard.press('Control+Alt+KeyM')
    const composer = page.getByRole('region', { name: 'New annotation' })
    // The note box quotes the passage it is about.
    expect(await composer.getByTestId('composer-quote').textContent()).toBe(SENTENCE)
    await composer.getByLabel('Comment').fill('Threats against exiled opponents: document each case.')
    await composer.getByLabel('Tags').fill('threats, exile')
    await composer.getByLabel('Legal basis').selectOption('iccpr-art9')
    await composer.getByRole('button', { name: 'Add annotation' }).click()

    const highlight = page.locator('.ProseMirror .anno-hl')
    await expect.poll(() => highlight.allTextContents()).toEqual([SENTENCE])
    const card = page.getByTestId('annotation')
    await expect.poll(() => card.count()).toBe(1)
    expect(await card.locator('.chip.basis').textContent()).toBe('ICCPR art. 9')
    // Saved: the floating Comment button goes away with the selection.
    await expect.poll(() => floating.count()).toBe(0)

    // Edit the text before the passage: type at the very start of the document, wait for the autosave.
    await body.click()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Reviewed by the legal team on 2 April. ')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved')
    await expect.poll(() => highlight.allTextContents()).toEqual([SENTENCE])

    // Reload the page (the backend session stays unlocked), open the letter again: same words highlighted.
    await page.reload()
    await page.getByTestId('document-row').filter({ hasText: TITLE }).click()
    await body.getByText('Reviewed by the legal team', { exact: false }).waitFor()
    await expect.poll(() => highlight.allTextContents()).toEqual([SENTENCE])
    await expect.poll(() => card.count()).toBe(1)
    expect(await card.locator('.anno-body').textContent()).toBe('Threats against exiled opponents: document each case.')

    // Clicking the card's quote scrolls to the passage and flashes it.
    await card.locator('.anno-quote').click()
    await expect.poll(() => highlight.first().getAttribute('class')).toContain('flash')
    await expect
      .poll(() =>
        highlight.first().evaluate((el) => {
          const box = el.getBoundingClientRect()
          return box.top >= 0 && box.bottom <= window.innerHeight
        }),
      )
      .toBe(true)
    await h.screenshot('annotations-reader-panel')

    await card.getByRole('button', { name: 'Resolve' }).click()
    await expect.poll(() => card.locator('.chip.status').textContent()).toBe('resolved')
    const filters = page.getByRole('group', { name: 'Status filter' })
    await filters.getByRole('button', { name: 'Resolved' }).click()
    await expect.poll(() => card.count()).toBe(1)
    await filters.getByRole('button', { name: 'Open' }).click()
    await expect.poll(() => card.count()).toBe(0)
    await page.getByText('No annotation matches these filters.').waitFor()
    await filters.getByRole('button', { name: 'All' }).click()
    await expect.poll(() => card.count()).toBe(1)
    await expect.poll(() => highlight.first().getAttribute('class')).toContain('resolved')

    // Exports through the (fake) save dialog.
    h.nextSaveLocation = path.join(h.workDir, 'annotations.jsonld')
    await page.getByRole('button', { name: 'Export W3C JSON-LD…' }).click()
    await page.getByText('Annotations exported as W3C JSON-LD.').waitFor()
    const exported = JSON.parse(fs.readFileSync(h.nextSaveLocation, 'utf8')) as {
      first: { items: { target: { selector: { type: string; exact?: string }[] } }[] }
    }
    expect(exported.first.items[0]!.target.selector.find((s) => s.type === 'TextQuoteSelector')?.exact).toBe(SENTENCE)
    h.nextSaveLocation = path.join(h.workDir, 'annotations.pdf')
    await page.getByRole('button', { name: 'PDF report…' }).click()
    await page.getByText('Annotation report saved as PDF.').waitFor()
    expect(fs.readFileSync(h.nextSaveLocation).subarray(0, 5).toString('latin1')).toBe('%PDF-')

    expect(h.pageErrors).toEqual([])
    expect(h.foreignRequests).toEqual([])
    expect(h.consoleMessages.filter((m) => m.type === 'error')).toEqual([])
  })
})
