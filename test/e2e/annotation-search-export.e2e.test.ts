// E2E (Chromium + real backend): "Export annotations…" in the search view — a document with two annotations that a
// search finds (and one it does not), the button disabled until there is a query, the unencrypted-copy warning, a
// cancelled save dialog that writes nothing, then a keyboard-only export whose JSON-LD file holds exactly the two
// annotations with their target selectors.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness, type Harness } from './harness'

const TEXT =
  'On 3 May the guards confiscated the letters of Mr Haddad. His family was told he had been moved to Camp Delta. ' +
  'No lawyer was present at the transfer.'
const PASSAGES = ['confiscated the letters', 'moved to Camp Delta', 'No lawyer was present'] as const

/** Code-point range of a passage of TEXT (the text is ASCII, so code units are code points). */
function rangeOf(passage: string): { start: number; end: number } {
  const start = TEXT.indexOf(passage)
  if (start < 0) throw new Error('passage not in text')
  return { start, end: start + passage.length }
}

async function call<T>(h: Harness, channel: string, request: unknown): Promise<T> {
  const result = await h.services.dispatch(channel, request)
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`)
  return result.value as T
}

type ExportedCollection = {
  type: string
  total: number
  first: {
    type: string
    items: {
      id: string
      type: string
      body?: { value: string; purpose: string }[]
      target: { source: string; selector: { type: string; exact?: string; start?: number; end?: number }[] }
    }[]
  }
}

describe('annotation search export in Chromium', () => {
  const harness = useHarness()

  it('exports the annotations a search finds as one W3C AnnotationCollection', async () => {
    const h = harness()
    const { page } = h
    await call(h, 'vault:create', { dir: path.join(h.workDir, 'vault'), passphrase: GOOD_PASSPHRASE })
    const doc = await call<{ id: string }>(h, 'library:create', {
      document: { kind: 'correspondence', title: 'Report from the family of Mr Haddad', date: '2025-05-04', text: TEXT },
    })
    const make = (passage: string, body: string) =>
      call<{ annotation: { id: string } }>(h, 'annotations:create', {
        recordId: doc.id,
        selection: rangeOf(passage),
        body,
        tags: ['evidence'],
      })
    const first = (await make(PASSAGES[0], 'Quillwort pattern: letters withheld before a transfer.')).annotation.id
    const second = (await make(PASSAGES[1], 'Quillwort pattern again: the family learns of the move afterwards.')).annotation.id
    // Not found by the search below, so it must stay out of the export.
    await make(PASSAGES[2], 'Ask the bar association for the duty roster.')

    await page.reload()
    await page.getByRole('link', { name: 'Search', exact: true }).click()
    const exportButton = page.getByRole('button', { name: 'Export annotations…' })
    const reason = page.getByTestId('annotation-export-reason')
    await exportButton.waitFor()
    expect(await exportButton.isDisabled()).toBe(true)
    expect(await reason.textContent()).toBe('Type a search first: the export takes only the annotations a search finds.')

    await page.getByLabel('Search query').fill('quillwort')
    await expect.poll(() => reason.textContent()).toBe('This search finds 2 annotations.')
    expect(await exportButton.isEnabled()).toBe(true)

    // Cancelled save dialog: the warning, then nothing written and nothing reported.
    h.nextSaveLocation = null
    await exportButton.click()
    const warning = page.getByRole('alertdialog')
    expect(await warning.textContent()).toContain('The copy will not be encrypted.')
    await warning.getByRole('button', { name: 'Save unencrypted copy…' }).click()
    await expect.poll(() => h.offeredSaveNames.length).toBe(1)
    await expect.poll(() => exportButton.isEnabled()).toBe(true)
    expect(h.offeredSaveNames).toEqual(['annotations.jsonld'])
    expect(await page.getByRole('status').count()).toBe(0)
    expect(await page.getByRole('alert').count()).toBe(0)

    // Keyboard only: Tab from the query reaches the button; Enter opens the warning with its confirm button focused.
    const file = path.join(h.workDir, 'found.jsonld')
    h.nextSaveLocation = file
    await page.getByLabel('Search query').focus()
    for (let i = 0; i < 20 && !(await exportButton.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
    expect(await exportButton.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => warning.getByRole('button', { name: 'Save unencrypted copy…' }).evaluate((el) => el === document.activeElement))
      .toBe(true)
    await h.screenshot('annotation-search-export-warning')
    await page.keyboard.press('Enter')
    const status = page.getByRole('status')
    await expect.poll(() => status.textContent()).toBe('Saved 2 annotations as W3C JSON-LD. The file is not encrypted.')
    await expect.poll(() => exportButton.evaluate((el) => el === document.activeElement)).toBe(true)
    await h.screenshot('annotation-search-export-saved')

    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as ExportedCollection
    expect(saved.type).toBe('AnnotationCollection')
    expect(saved.total).toBe(2)
    expect(saved.first.type).toBe('AnnotationPage')
    expect(saved.first.items.map((i) => i.id).sort()).toEqual([`urn:uuid:${first}`, `urn:uuid:${second}`].sort())
    const byId = new Map(saved.first.items.map((i) => [i.id, i]))
    for (const [id, passage] of [
      [first, PASSAGES[0]],
      [second, PASSAGES[1]],
    ] as const) {
      const item = byId.get(`urn:uuid:${id}`)!
      expect(item.type).toBe('Annotation')
      expect(item.target.source).toBe(`urn:custodia:record:${doc.id}`)
      const quote = item.target.selector.find((s) => s.type === 'TextQuoteSelector')
      const position = item.target.selector.find((s) => s.type === 'TextPositionSelector')
      expect(quote?.exact).toBe(passage)
      expect(position).toMatchObject({ start: rangeOf(passage).start, end: rangeOf(passage).end })
      expect(item.body?.find((b) => b.purpose === 'tagging')?.value).toBe('evidence')
    }
    const audit = h.services.session
      .requireVault()
      .audit.list()
      .filter((e) => e.type === 'annotations.exported')
    expect(audit).toHaveLength(1)

    expect(h.pageErrors).toEqual([])
    expect(h.foreignRequests).toEqual([])
    expect(h.consoleMessages.filter((m) => m.type === 'error')).toEqual([])
  })
})
