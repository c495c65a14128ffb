// E2E (Chromium + real backend): a prisoner dossier entered through the UI — two detention periods, a vulnerability,
// a source and a family contact — saved with Ctrl+S, added to a list and printed, found by a Cyrillic spelling that
// is stored nowhere (dossier filter and the library search index), with the family contact absent from the DOM and from every IPC
// response until "Reveal family contacts" is clicked, and hidden again after leaving the dossier.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { GOOD_PASSPHRASE, useHarness } from './harness'

const FAMILY_NAME = 'Mykola Familycontact'
const FAMILY_PHONE = '+380 44 555 0199'

/** Everything a person or a script could read on the page: the markup plus the live values of every field. */
async function readDom(page: Page): Promise<string> {
  // Runs in the page; typed loosely because this file compiles without the DOM library.
  return page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ value: string }>; documentElement: { outerHTML: string } }
      }
    ).document
    const values = Array.from(doc.querySelectorAll('input, textarea, select'), (el) => el.value)
    return `${doc.documentElement.outerHTML}\n${values.join('\n')}`
  })
}

describe('dossiers in Chromium', () => {
  const harness = useHarness()
  const responses: { channel: string; json: string }[] = []

  it('creates a dossier through the form and keeps family contacts hidden until revealed', async () => {
    const h = harness()
    const { page, services } = h
    // Record every IPC response the page receives (the binding calls services.dispatch at call time).
    const dispatch = services.dispatch
    services.dispatch = async (channel, request) => {
      const result = await dispatch(channel, request)
      responses.push({ channel: String(channel), json: JSON.stringify(result) })
      return result
    }
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-empty').waitFor()
    await page.getByRole('button', { name: 'New dossier' }).click()

    await page.getByLabel('Name in original script').fill('Олена Вигадана')
    await page.getByLabel('Transliteration').fill('Olena Vyhadana')
    await page.getByLabel('Year of birth').fill('1971')
    await page.getByLabel('Category', { exact: true }).selectOption('civilian-detainee')
    await page.getByLabel('Home region').fill('Zaporizhzhia oblast (temporarily occupied)')

    await page.getByRole('button', { name: 'Add source' }).click()
    await page.getByLabel('Name', { exact: true }).first().fill('Released cellmate')
    await page.getByLabel('Reliability').selectOption('B')
    await page.getByLabel('Credibility').selectOption('2')

    await page.getByRole('button', { name: 'Add status event' }).click()
    await page.locator('#status-date-0').fill('2023-06-02')
    await page.locator('#status-status-0').selectOption('detained')
    await page
      .locator('fieldset.cites')
      .first()
      .getByLabel(/Released cellmate/)
      .check()

    await page.getByRole('button', { name: 'Add detention period' }).click()
    await page.getByRole('button', { name: 'Add detention period' }).click()
    await page.locator('#detention-facility-0').fill('SIZO-1 Simferopol')
    await page.locator('#detention-location-0').fill('Simferopol')
    await page.locator('#detention-from-0').fill('2023-06-03')
    await page.locator('#detention-to-0').fill('2023-08-09')
    await page.locator('#detention-facility-1').fill('SIZO-2 Taganrog')
    await page.locator('#detention-location-1').fill('Taganrog')
    await page.locator('#detention-from-1').fill('2023-08-10')

    await page.getByLabel('Ill health', { exact: true }).check()
    await page.getByLabel('Held incommunicado').check()
    await page.getByLabel('Medical note').fill('Needs insulin daily.')
    await page.locator('#consent-level').selectOption('public')

    // A new dossier: nothing stored yet, so the family section is open for entry.
    await page.getByRole('button', { name: 'Add family contact' }).click()
    await page.locator('#family-name-0').fill(FAMILY_NAME)
    await page.locator('#family-relation-0').fill('son')
    await page.locator('#family-phone-0').fill(FAMILY_PHONE)
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Unsaved changes')

    await page.keyboard.press('Control+s')
    // Saved, then reopened on the stored dossier: the contact is sealed again.
    await page.getByTestId('family-hidden').waitFor()
    expect(await page.getByTestId('family-hidden').textContent()).toContain('1 family contact stored — hidden.')
    expect(await page.getByTestId('current-status').textContent()).toBe('Detained')
    expect(await page.locator('#detention-facility-1').inputValue()).toBe('SIZO-2 Taganrog')
    const dom = await readDom(page)
    expect(dom).not.toContain('Familycontact')
    expect(dom).not.toContain(FAMILY_PHONE)
    expect(responses.length).toBeGreaterThan(3)
    expect(responses.filter((r) => r.json.includes('Familycontact') || r.json.includes(FAMILY_PHONE))).toEqual([])

    const shot = await h.screenshot('dossier-form')
    expect(shot).toMatch(/dossier-form\.png$/)
    await page.locator('#sec-detention').scrollIntoViewIfNeeded()
    await h.screenshot('dossier-form-detention')

    await page.getByRole('button', { name: 'Reveal family contacts' }).click()
    await expect.poll(() => page.locator('#family-name-0').inputValue()).toBe(FAMILY_NAME)
    expect(responses.filter((r) => r.json.includes('Familycontact')).map((r) => r.channel)).toEqual(['dossiers:get'])
    const vault = services.session.requireVault()
    expect(vault.audit.list().filter((e) => e.type === 'dossier.family_revealed')).toHaveLength(1)
    await page.locator('#sec-family').scrollIntoViewIfNeeded()
    await h.screenshot('dossier-form-family-revealed')

    // Leaving the dossier seals the contacts again: nothing of them stays in the page.
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
    expect(await readDom(page)).not.toContain('Familycontact')
    await page
      .getByRole('button', { name: 'Olena Vyhadana' })
      .or(page.getByRole('button', { name: 'Олена Вигадана' }))
      .click()
    await page.getByTestId('family-hidden').waitFor()
    expect(await readDom(page)).not.toContain('Familycontact')
  })

  it('guards unsaved changes when leaving the form', async () => {
    const { page } = harness()
    await page.getByLabel('Aliases').fill('Lena')
    await page.getByRole('button', { name: 'Close' }).click()
    const dialog = page.getByRole('dialog', { name: 'Discard unsaved changes?' })
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByLabel('Aliases').inputValue()).toBe('Lena')
    // Enter in a single-line field saves (the form's Save button is its default button).
    await page.getByLabel('Transliteration').press('Enter')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
  })

  it('finds the dossier by a Cyrillic spelling stored nowhere, in the filter and in the library search', async () => {
    const { page } = harness()
    // "Выгадана" is the Russian spelling; the dossier holds only Вигадана and Vyhadana.
    await page.getByLabel('Name (any script or spelling)').fill('Выгадана')
    await expect.poll(() => page.getByTestId('dossier-counts').textContent()).toContain('1 dossier of 1')
    expect(await page.getByTestId('dossier-table').textContent()).toContain('Олена Вигадана')
    await page.getByLabel('Name (any script or spelling)').fill('Петренко')
    await page.getByTestId('dossier-empty').waitFor()
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByLabel('Vulnerability').selectOption('incommunicado')
    await expect.poll(() => page.getByTestId('dossier-counts').textContent()).toContain('Detained: 1')

    // The library search palette (Ctrl+K) finds it by the same spelling, never by the family contact or the
    // medical note, and opens the dossier.
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.keyboard.press('Control+k')
    const input = page.getByRole('combobox', { name: 'Search documents' })
    await input.waitFor()
    const hits = page.getByTestId('search-hit')
    for (const never of ['Familycontact', 'insulin']) {
      await input.fill(never)
      await page.getByText('No matches.').waitFor()
      expect(await hits.count()).toBe(0)
    }
    await input.fill('Выгадана')
    await expect.poll(() => hits.count()).toBe(1)
    expect(await hits.first().locator('.hit-title').textContent()).toBe('Olena Vyhadana (Олена Вигадана)')
    await input.press('Enter')
    await expect.poll(() => page.getByRole('dialog', { name: 'Search documents' }).count()).toBe(0)
    await expect.poll(() => page.getByLabel('Name in original script').inputValue()).toBe('Олена Вигадана')
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
    // Coming back through the Dossiers tab shows the list, not the dossier the search opened earlier.
    await page.getByRole('link', { name: 'Library' }).click()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-table').waitFor()
    expect(await page.getByLabel('Name in original script').count()).toBe(0)
  })

  it('adds the dossier to a list and prints a consent-filtered table without family or medical data', async () => {
    const { page } = harness()
    await page.getByRole('button', { name: 'Lists' }).click()
    await page.getByLabel('New list name').fill('Annex — letter of 12 May')
    await page.getByLabel('New list name').press('Enter')
    await page.getByRole('heading', { name: 'Annex — letter of 12 May' }).waitFor()
    await page.getByLabel('Add dossier').selectOption({ label: 'Олена Вигадана (Olena Vyhadana)' })
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await page.getByTestId('list-members').waitFor()
    expect(await page.getByTestId('list-members').textContent()).toContain('Олена Вигадана')
    expect(await page.locator('.list-detail [data-testid="dossier-counts"]').textContent()).toContain('Detained: 1')

    await page.getByLabel('For', { exact: true }).selectOption('public')
    await page.getByRole('button', { name: 'Print preview' }).click()
    const sheet = page.getByTestId('print-sheet')
    await sheet.waitFor()
    const text = (await sheet.textContent())!
    expect(text).toContain('Olena Vyhadana (Олена Вигадана)')
    expect(text).toContain('SIZO-2 Taganrog, Taganrog')
    expect(text).toContain('Ill health, Held incommunicado')
    expect(text).not.toContain('Familycontact')
    expect(text).not.toContain('insulin')
    await harness().screenshot('dossier-list-print')
    expect(harness().pageErrors).toEqual([])
    expect(harness().consoleMessages.filter((m) => m.type === 'error')).toEqual([])
  })

  it('adds every dossier the filtered table shows to a list in one go', async () => {
    const { page, services } = harness()
    const create = async (dossier: Record<string, unknown>): Promise<void> => {
      const result = await services.dispatch('dossiers:create', { dossier })
      if (!result.ok) throw new Error(result.error.message)
    }
    for (const original of ['Ihar Homelski', 'Maryia Homelskaya', 'Pavel Homelau'])
      await create({ names: { original }, category: 'political-prisoner', homeRegion: 'Homel' })
    await create({ names: { original: 'Someone Elsewhere' }, category: 'political-prisoner' })
    await page.getByRole('button', { name: 'All dossiers' }).click()
    await page.getByTestId('dossier-table').waitFor()
    await page.getByLabel('Region', { exact: true }).selectOption('Homel')
    await expect.poll(() => page.getByTestId('dossier-table').locator('tbody tr').count()).toBe(3)
    await page.getByLabel('Select every dossier shown').check()
    const bar = page.getByTestId('selection-bar')
    expect(await bar.textContent()).toContain('3 selected')
    await bar.getByLabel('Add to list').selectOption({ label: 'Annex — letter of 12 May' })
    await harness().screenshot('dossier-table-selection')
    await bar.getByRole('button', { name: 'Add all 3' }).click()
    await page.getByText('3 dossiers added to “Annex — letter of 12 May”.').waitFor()
    expect(await bar.count()).toBe(0)
    const result = await services.dispatch('dossiers:listLists', {})
    if (!result.ok) throw new Error(result.error.message)
    const { lists } = result.value as { lists: { name: string; dossierIds: string[] }[] }
    expect(lists.find((l) => l.name === 'Annex — letter of 12 May')!.dossierIds).toHaveLength(4)
    expect(harness().pageErrors).toEqual([])
  })
})
