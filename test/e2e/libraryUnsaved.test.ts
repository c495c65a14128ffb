// E2E (Chromium + real backend, 1280×800): typed text in the library editor is never lost. The title stops at the
// contract's limit; a text too long for one save (the real dispatcher refuses a request over 1 MiB) keeps everything
// in the editor with a plain reason and no schema words; leaving asks first ("Keep editing" keeps the text); the next
// edit saves again. Screenshots: test-results/library-unsaved-*.png.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../shared/ipc/contract'
import type { LibraryDocumentView, LibraryListItem } from '../../shared/ipc/channels/libraryChannels'
import { MAX_TITLE_CHARS } from '../../shared/library/document'
import { GOOD_PASSPHRASE, useHarness } from './harness'

const SCHEMA_WORDS = /invalid request|too big|too small|expected|document\.|VALIDATION/i
const TYPED = 'The witness saw three men taken from the checkpoint at 06:40. '
const ANNEX = 'Annex line copied from the register. '.repeat(16_000) // ~590 000 characters: over 1 MiB as text + rich text

describe('library: typed text is never lost', () => {
  const harness = useHarness()

  it('keeps text through a failed save and a leave attempt, then saves on the next edit', async () => {
    const h = harness()
    const { page } = h
    await page.setViewportSize({ width: 1280, height: 800 })
    const created = await h.services.dispatch('vault:create', { dir: path.join(h.workDir, 'vault'), passphrase: GOOD_PASSPHRASE })
    expect(created.ok).toBe(true)
    await page.reload()
    await page.getByText('The library is empty.').waitFor()

    const title = page.getByLabel('Title', { exact: true })
    const saveState = page.getByTestId('save-state')
    // A first note to switch to later.
    await page.getByRole('button', { name: 'New note' }).click()
    await expect.poll(() => title.inputValue()).toBe('Untitled note')
    await title.fill('Other note')
    await expect.poll(() => saveState.textContent()).toBe('Saved')

    // The note we work in: the title stops at the limit, with the counter.
    await page.getByRole('button', { name: 'New note' }).click()
    await expect.poll(() => title.inputValue()).toBe('Untitled note')
    await title.selectText()
    await page.keyboard.insertText('T'.repeat(MAX_TITLE_CHARS + 100))
    expect((await title.inputValue()).length).toBe(MAX_TITLE_CHARS)
    expect(await page.getByTestId('title-counter').textContent()).toBe(`${MAX_TITLE_CHARS} / ${MAX_TITLE_CHARS}`)
    await title.fill('Witness statement, checkpoint, March 2025')
    const body = page.locator('.ProseMirror')
    await body.click()
    await page.keyboard.type(TYPED)
    await expect.poll(() => saveState.textContent()).toBe('Saved')

    // Too long to save in one piece: refused by the real dispatcher; everything stays, the reason is plain.
    await page.keyboard.insertText(ANNEX)
    const problem = page.getByTestId('save-problem')
    await problem.waitFor({ timeout: 15_000 })
    expect(await problem.textContent()).toContain('Not saved: the document is too long to save in one piece. Your text is still here')
    expect(await page.locator('.readpane').innerText()).not.toMatch(SCHEMA_WORDS)
    expect(await saveState.textContent()).toBe('Not saved')
    const titleBox = await title.boundingBox()
    // The floor for any text input (before, the title shrank to ~15 px beside the error).
    expect(titleBox!.width).toBeGreaterThanOrEqual(120)
    const text = await body.textContent()
    expect(text).toContain(TYPED.trim())
    expect(text!.length).toBeGreaterThan(ANNEX.length)
    await page.locator('.readpane').evaluate((pane) => pane.scrollTo(0, 0))
    await h.screenshot('library-unsaved-save-failed')

    // Leaving asks; "Keep editing" keeps everything.
    await page.getByTestId('document-row').filter({ hasText: 'Other note' }).click()
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' })
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('too long to save in one piece')
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing')
    await h.screenshot('library-unsaved-leave-dialog')
    await dialog.getByRole('button', { name: 'Keep editing' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect(await title.inputValue()).toBe('Witness statement, checkpoint, March 2025')
    expect((await body.textContent())!.length).toBeGreaterThan(ANNEX.length)

    // The next edit (taking the annex out again) saves, and the typed sentence is in the vault.
    await body.click()
    await page.keyboard.press('Control+z')
    await expect.poll(() => saveState.textContent(), { timeout: 10_000 }).toBe('Saved')
    expect(await problem.count()).toBe(0)
    const list = (await h.services.dispatch('library:list', {})) as IpcResult<{ documents: LibraryListItem[] }>
    const doc = list.ok ? list.value.documents.find((d) => d.title === 'Witness statement, checkpoint, March 2025') : undefined
    expect(doc).toBeDefined()
    const saved = (await h.services.dispatch('library:get', { id: doc!.id })) as IpcResult<LibraryDocumentView>
    expect(saved.ok && saved.value.document.text).toContain(TYPED.trim())

    // Nothing unsaved: switching goes straight on.
    await page.getByTestId('document-row').filter({ hasText: 'Other note' }).click()
    await expect.poll(() => title.inputValue()).toBe('Other note')
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(h.pageErrors).toEqual([])
  })
})
