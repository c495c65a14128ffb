// E2E (Chromium + real backend): a legal adviser's day at 1280×800 and 1920×1080 — opens a dossier for a detained
// person (name in Cyrillic and Latin), saves it without the name and sees the problem at the field, focused; leaves with
// unsaved changes and is asked first (a dialog); annotates a passage of a letter with a legal basis and replies in its
// thread; finds the person by a spelling in another script on the Search page. Every step is checked and photographed
// by Day (test-results/day-in-life/legal-*).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT } from '../harness'
import { expectInView, runDay, WINDOW_SIZES } from './day'

const LETTER = join(REPO_ROOT, 'test/fixtures/letters/dcf-letter-to-prime-minister-2024-02-09.txt')
const SENTENCE = 'President Radovan Kesler keeps threatening the critics who have fled abroad and the relatives they left behind.'

describe('a legal adviser’s day', () => {
  for (const size of WINDOW_SIZES) {
    it(`keeps a dossier, annotates a letter and finds a name across scripts at ${size.width}×${size.height}`, async () => {
      await runDay('legal', size, async (h, day) => {
        const { page } = h
        expect((await h.services.dispatch('vault:create', { dir: join(h.workDir, 'Legal desk'), passphrase: GOOD_PASSPHRASE })).ok).toBe(
          true,
        )
        await page.reload()

        // A new dossier: Latin name, year, category, region; Save without the original name shows it at the field.
        await page.getByRole('link', { name: 'Dossiers' }).click()
        await page.getByRole('button', { name: 'New dossier' }).click()
        await day.fill('dossier transliteration', page.getByLabel('Transliteration'), 'Olena Vyhadana')
        await day.fill('dossier year', page.getByLabel('Year of birth'), '1971')
        await page.getByLabel('Category', { exact: true }).selectOption('civilian-detainee')
        await day.fill('dossier region', page.getByLabel('Home region'), 'Zaporizhzhia oblast')
        await day.step('new-dossier')
        await page.locator('#dossiers').evaluate((el) => el.scrollTo(0, el.scrollHeight))
        await page.getByRole('button', { name: 'Save', exact: true }).click()
        const name = page.getByLabel('Name in original script')
        await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true)
        expect(await name.getAttribute('aria-invalid')).toBe('true')
        const fieldError = page.getByTestId('field-error').first()
        expect(await fieldError.textContent()).toBe('Give the name in original script.')
        await expectInView('the name field', name)
        await expectInView('the problem under it', fieldError)
        await day.step('field-error')

        await day.fill('dossier name', name, 'Олена Вигадана')
        await page.keyboard.press('Control+s')
        await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')
        expect(await page.getByTestId('field-error').count()).toBe(0)
        await day.step('dossier-saved')

        // Leaving with an unsaved alias asks first (axe runs with the dialog open); staying keeps the text.
        await day.fill('dossier aliases', page.getByLabel('Aliases'), 'Lena')
        await page.getByRole('button', { name: 'Close' }).click()
        const discard = page.getByRole('dialog', { name: 'Discard unsaved changes?' })
        await discard.waitFor()
        await day.step('unsaved-dialog')
        await page.keyboard.press('Escape')
        await discard.waitFor({ state: 'detached' })
        await page.keyboard.press('Control+s')
        await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')
        await page.getByRole('button', { name: 'Close' }).click()
        await page.getByTestId('dossier-table').waitFor()
        await page
          .getByRole('button', { name: 'Олена Вигадана' })
          .or(page.getByRole('button', { name: 'Olena Vyhadana' }))
          .click()
        await day.expectBack('dossier')
        await day.step('dossier-reopened')
        await page.getByRole('button', { name: 'Close' }).click()
        await page.getByTestId('dossier-table').waitFor()

        // A letter comes in; a sentence is annotated with a legal basis.
        await page.getByRole('link', { name: 'Library' }).click()
        h.nextChosenFiles = [LETTER]
        await page.getByRole('button', { name: 'Import…' }).click()
        await page.getByText('Imported 1 of 1 file.').waitFor()
        const body = page.locator('.ProseMirror')
        await body.getByText(SENTENCE, { exact: false }).waitFor()
        await body.focus()
        await page.evaluate((sentence) => {
          const walker = document.createTreeWalker(document.querySelector('.ProseMirror')!, NodeFilter.SHOW_TEXT)
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent!.indexOf(sentence)
            if (at < 0) continue
            const range = document.createRange()
            range.setStart(node, at)
            range.setEnd(node, at + sentence.length)
            window.getSelection()!.removeAllRanges()
            window.getSelection()!.addRange(range)
            return
          }
          throw new Error('sentence not found in one text node')
        }, SENTENCE)
        await page.getByRole('button', { name: 'Comment (Ctrl+Alt+M)' }).waitFor()
        await page.keyboard.press('Control+Alt+KeyM')
        const composer = page.getByRole('region', { name: 'New annotation' })
        await day.fill('note comment', composer.getByLabel('Comment'), 'Threats against exiled opponents: document each case.')
        await composer.getByLabel('Legal basis').selectOption('iccpr-art9')
        await day.step('annotation-composer')
        await composer.getByRole('button', { name: 'Add annotation' }).click()
        day.forget('note')
        const card = page.getByTestId('annotation')
        await expect.poll(() => card.count()).toBe(1)
        expect(await card.locator('.chip.basis').textContent()).toBe('ICCPR art. 9')
        await expect.poll(() => page.locator('.ProseMirror .anno-hl').allTextContents()).toEqual([SENTENCE])
        await day.step('annotation-saved')

        // A reply in the note's thread.
        await card.getByRole('button', { name: 'Reply' }).click()
        await card.getByLabel('Reply').fill('Case list attached to the dossier of O. Vyhadana.')
        await card.getByRole('button', { name: 'Send reply' }).click()
        await expect.poll(() => card.getByRole('list', { name: 'Replies' }).textContent()).toContain('Case list attached')
        await day.step('reply')

        // The Search page finds the person by the Russian spelling, stored nowhere.
        await page.getByRole('link', { name: 'Search' }).click()
        await day.fill('search query', page.getByLabel('Search query'), 'Выгадана')
        const hit = page.locator('.hits .hit-title').filter({ hasText: 'Олена Вигадана' })
        await expect.poll(() => hit.count(), { timeout: 10_000 }).toBe(1)
        await day.step('search-across-scripts')
        await page.locator('.hits .hit-open').filter({ hasText: 'Олена Вигадана' }).click()
        await expect.poll(() => page.getByLabel('Name in original script').inputValue()).toBe('Олена Вигадана')
        await day.step('search-opened-dossier')

        expect(h.pageErrors).toEqual([])
        expect(h.foreignRequests).toEqual([])
      })
    }, 180_000)
  }
})
