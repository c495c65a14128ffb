// E2E (Chromium + real backend): an administrator adds a custom "choice" field backed by a new vocabulary, a dossier
// is saved with a value for it, the field is renamed and the dossier still shows its value; a legal basis added in
// the Vocabularies section is then offered, and used, for a comment on the dossier's medical note.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('dossier fields, vocabularies and legal bases in Chromium', () => {
  const harness = useHarness()

  it('adds and renames a choice field without losing stored values, and offers a new legal basis', async () => {
    const h = harness()
    const { page, services } = h
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-empty').waitFor()

    // 1. A new vocabulary with one entry, and a choice field that uses it.
    await page.getByRole('button', { name: 'Fields & vocabularies' }).click()
    await page.getByTestId('no-fields').waitFor()
    await page.getByLabel('New vocabulary').fill('Health status')
    await page.getByRole('button', { name: 'Add vocabulary' }).click()
    await page.getByLabel('New entry in “Health status”').fill('Chronic illness')
    await page.getByLabel('New entry in “Health status”').press('Enter')
    await page.getByTestId('entry-list').getByText('Chronic illness').waitFor()
    await page.getByLabel('New field label').fill('Health')
    await page.getByLabel('Type', { exact: true }).selectOption('choice')
    await page.getByLabel('Vocabulary', { exact: true }).selectOption({ label: 'Health status' })
    await page.getByRole('button', { name: 'Add field' }).click()
    await page.getByTestId('field-table').getByText('Choice from a vocabulary').waitFor()
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('schema-state').textContent()).toBe('All changes saved')
    const stored = services.session.requireVault().listRecords({ kind: 'dossier-schema' })
    expect(stored).toHaveLength(1)
    await h.screenshot('schema-editor')

    // 2. A dossier with a value for the new field.
    await page.getByRole('button', { name: 'All dossiers' }).click()
    await page.getByRole('button', { name: 'New dossier' }).click()
    await page.getByLabel('Name in original script').fill('Іван Тестовий')
    await page.getByLabel('Medical note').fill('Chronic bronchitis; needs an inhaler.')
    await page.getByLabel('Health', { exact: true }).selectOption({ label: 'Chronic illness' })
    await page.keyboard.press('Control+s')
    await page.getByTestId('family-hidden').waitFor()
    expect(await page.getByLabel('Health', { exact: true }).locator('option:checked').textContent()).toBe('Chronic illness')
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()

    // 3. A legal basis added in the Vocabularies section.
    await page.getByRole('link', { name: 'Vocabularies' }).click()
    const addBasis = page.getByRole('form', { name: 'Add a legal basis' })
    await addBasis.getByLabel('Short label').fill('UNCAT art. 1')
    await addBasis.getByLabel('Article').fill('1')
    await addBasis.getByLabel('Subject').fill('Definition of torture')
    await addBasis.getByLabel('Instrument').fill('Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment')
    await page.getByRole('button', { name: 'Add legal basis' }).click()
    await expect.poll(() => page.getByTestId('basis-notice').textContent()).toBe('Added “UNCAT art. 1”.')
    await h.screenshot('legal-basis-editor')

    // 4. Rename the field (from the Vocabularies section's link): the stored value keeps its meaning.
    await page.getByRole('button', { name: 'Open dossier fields & vocabularies' }).click()
    await page.getByRole('button', { name: 'Rename field Health' }).click()
    await page.getByLabel('New label for the field “Health”').fill('Health condition')
    await page.getByLabel('New label for the field “Health”').press('Enter')
    await page.getByTestId('field-table').getByText('Health condition').waitFor()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => page.getByTestId('schema-state').textContent()).toBe('All changes saved')

    await page.getByRole('button', { name: 'All dossiers' }).click()
    await page.getByRole('button', { name: 'Іван Тестовий' }).click()
    await page.getByTestId('family-hidden').waitFor()
    expect(await page.getByLabel('Health condition').locator('option:checked').textContent()).toBe('Chronic illness')
    expect(await page.getByLabel('Health', { exact: true }).count()).toBe(0)

    // 5. The new legal basis is offered for a comment on the medical note, and tags it.
    await page.getByRole('button', { name: 'Comments (0) on medical note' }).click()
    const aside = page.getByTestId('comments-aside')
    await aside.getByRole('button', { name: 'Note on this field' }).click()
    await aside.getByLabel('Note', { exact: true }).fill('Ask the family about the inhaler.')
    await aside.getByLabel('Legal basis').selectOption({ label: 'UNCAT art. 1: Definition of torture' })
    await aside.getByRole('button', { name: 'Add note' }).click()
    await aside.locator('.chip.basis', { hasText: 'UNCAT art. 1' }).waitFor()
    await h.screenshot('dossier-form-comments')
    // The field's counter follows at once, while the comments are still open.
    await page.getByRole('button', { name: 'Comments (1) on medical note' }).waitFor({ timeout: 5000 })
    await aside.getByRole('button', { name: 'Hide comments' }).click()
    await page.getByRole('button', { name: 'Comments (1) on medical note' }).waitFor()
    expect(h.pageErrors).toEqual([])
  })
})
