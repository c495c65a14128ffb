// E2E (Chromium + real backend): a vault changed outside Custodia while it was locked — a document's rows deleted and
// the auto-lock setting switched off with SQL, as in issue #19 — opens in review. The review names each change,
// nothing of the workspace is reachable, "Keep working with what is there" accepts (logged in the activity log) and
// writes work again; "Lock the vault" and Escape go back to the unlock screen and leave the vault as it was.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT, useHarness, type Harness } from './harness'

const LETTERS = join(REPO_ROOT, 'test/fixtures/letters')
const LETTER_PATHS = ['dcf-letter-to-prime-minister-2024-02-09.txt', 'mfa-press-release-2025-01-30.txt'].map((f) => join(LETTERS, f))
const TITLE = 'This vault was changed outside Custodia'

/** Edits the closed vault's database directly, as someone with sqlite3 and access to the folder could. */
function editVault(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'vault.sqlite'))
  try {
    db.transaction(() => edit(db))()
  } finally {
    db.close()
  }
}

/** Removes a record with everything that hangs off it: its revisions and its attachment rows. */
function deleteRecordRows(db: Database.Database, id: string): void {
  db.prepare('DELETE FROM attachments WHERE record_id = ?').run(id)
  db.prepare('DELETE FROM revisions WHERE record_id = ?').run(id)
  db.prepare('DELETE FROM records WHERE id = ?').run(id)
}

async function lockInUi(h: Harness): Promise<void> {
  await h.page.getByRole('button', { name: 'Lock', exact: true }).click()
  await h.page.getByRole('heading', { name: 'Unlock vault' }).waitFor()
  expect(h.services.session.isUnlocked()).toBe(false)
}

async function unlockInUi(h: Harness): Promise<void> {
  await h.page.getByLabel('Passphrase').fill(GOOD_PASSPHRASE)
  await h.page.getByRole('button', { name: 'Unlock' }).click()
}

async function libraryIds(h: Harness): Promise<string[]> {
  const listed = await h.services.dispatch('library:list', {})
  if (!listed.ok) throw new Error(listed.error.message)
  return (listed.value as { documents: { id: string }[] }).documents.map((d) => d.id)
}

describe('integrity review in Chromium', () => {
  const harness = useHarness()
  let dir = ''

  it('names the changes made outside Custodia; keeping what is there is logged and writes work again', async () => {
    const h = harness()
    const { page } = h
    dir = join(h.workDir, 'vault')
    const created = await h.services.dispatch('vault:create', { dir, passphrase: GOOD_PASSPHRASE })
    expect(created.ok).toBe(true)
    await page.reload()
    await page.getByText('The library is empty.').waitFor()

    // Two letters and an auto-lock setting, made through the UI.
    h.nextChosenFiles = LETTER_PATHS
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByText('Imported 2 of 2 files.').waitFor()
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByLabel('Lock automatically after').selectOption('5')
    await page.getByText('Auto-lock updated.').waitFor()
    const [removed, kept] = await libraryIds(h)
    expect(kept).toBeDefined()

    await lockInUi(h)
    editVault(dir, (db) => {
      deleteRecordRows(db, removed!)
      expect(db.prepare("UPDATE settings SET value = '0' WHERE name = 'autoLockMinutes'").run().changes).toBe(1)
    })

    await unlockInUi(h)
    const dialog = page.getByRole('dialog', { name: TITLE })
    await dialog.waitFor()
    const problems = await dialog.getByTestId('integrity-problem').allTextContents()
    expect(problems).toContainEqual(expect.stringContaining('1 record was removed.'))
    expect(problems.find((p) => p.includes('record was removed'))).toContain(removed!.slice(0, 8))
    expect(problems).toContainEqual(expect.stringContaining('The setting “autoLockMinutes” was changed outside Custodia.'))
    // The person is asked before anything else: focus is on the dialog, nothing of the workspace is on the page.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('dialog')
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0)
    await page.setViewportSize({ width: 1280, height: 800 })
    await h.screenshot('integrity-review')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Lock the vault')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep working with what is there')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Lock the vault')
    await h.screenshot('integrity-review-keyboard')
    // While the question is open, core refuses every write.
    const refused = await h.services.dispatch('vault:setAutoLock', { minutes: 5 })
    expect(refused).toMatchObject({ ok: false, error: { code: 'TAMPERED' } })

    await dialog.getByRole('button', { name: 'Keep working with what is there' }).click()
    await page.getByRole('navigation', { name: 'Sections' }).waitFor()
    await expect.poll(() => dialog.count()).toBe(0)
    await expect.poll(() => page.getByTestId('document-row').count()).toBe(1)
    expect(await libraryIds(h)).toEqual([kept])
    const vault = h.services.session.requireVault()
    expect(vault.audit.list().at(-1)).toMatchObject({ type: 'vault.integrity_accepted' })

    // A write through the UI works again: the auto-lock the edit had switched off is set back.
    await page.getByRole('link', { name: 'Security' }).click()
    expect(await page.getByLabel('Lock automatically after').inputValue()).toBe('0')
    await page.getByLabel('Lock automatically after').selectOption('5')
    await page.getByText('Auto-lock updated.').waitFor()
    expect(h.services.session.autoLockMinutes()).toBe(5)
    expect(h.pageErrors).toEqual([])
  })

  it('"Lock the vault" and Escape return to the unlock screen and leave the vault as it was', async () => {
    const h = harness()
    const { page } = h
    await lockInUi(h)
    editVault(dir, (db) => {
      expect(db.prepare("UPDATE settings SET value = '0' WHERE name = 'autoLockMinutes'").run().changes).toBe(1)
    })
    const dialog = page.getByRole('dialog', { name: TITLE })

    await unlockInUi(h)
    await dialog.waitFor()
    expect(await dialog.getByTestId('integrity-problem').allTextContents()).toEqual([
      'The setting “autoLockMinutes” was changed outside Custodia.',
    ])
    await dialog.getByRole('button', { name: 'Lock the vault' }).click()
    await page.getByRole('heading', { name: 'Unlock vault' }).waitFor()
    expect(h.services.session.isUnlocked()).toBe(false)

    // Nothing was accepted: the next unlock asks again; Escape is the same safe choice.
    await unlockInUi(h)
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('heading', { name: 'Unlock vault' }).waitFor()
    expect(h.services.session.isUnlocked()).toBe(false)
    const db = new Database(join(dir, 'vault.sqlite'), { readonly: true })
    try {
      expect(db.prepare("SELECT value FROM settings WHERE name = 'autoLockMinutes'").get()).toEqual({ value: '0' })
    } finally {
      db.close()
    }
    expect(h.pageErrors).toEqual([])
  })
})
