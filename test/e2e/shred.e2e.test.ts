// E2E (Chromium + real backend): "Destroy for good" on a library document — the confirmation says what happens and that
// it cannot be undone; confirming destroys the document with its attachment (blob gone from disk), it leaves the list,
// and the vault's files hold nothing of it (no 32-byte run of its old ciphertext).
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listLibrary } from '../../electron/core/library/libraryService'
import { collectCiphertexts, findCiphertextRuns } from '../helpers/shredScan'
import { GOOD_PASSPHRASE, useHarness } from './harness'

const LETTER = 'To the Prosecutor General\n\n2 April 2025\n\nWe ask about the arrest of Taras Marchenko on 1 April.\n'

describe('Destroy for good in Chromium', () => {
  const harness = useHarness()

  it('destroys a document and its attachment after a plain confirmation', async () => {
    const h = harness()
    const { page, services } = h
    const letterPath = join(h.workDir, 'letter to prosecutor.txt')
    writeFileSync(letterPath, LETTER)
    const dir = join(h.workDir, 'vault')
    await services.session.create(dir, GOOD_PASSPHRASE)
    await page.reload()
    await page.getByText('The library is empty.').waitFor()
    h.nextChosenFiles = [letterPath]
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByText('Imported 1 of 1 files.').waitFor()
    await page.getByTestId('document-row').first().click()
    await page.locator('.ProseMirror').getByText('arrest of Taras Marchenko', { exact: false }).waitFor()

    const vault = services.session.requireVault()
    const [doc] = listLibrary(vault)
    const [original] = vault.listAttachments(doc!.id)
    const blob = join(dir, 'blobs', original!.id.slice(0, 2), original!.id)
    const old = collectCiphertexts(dir, [doc!.id], [original!.id])

    await page.getByRole('button', { name: /^Destroy for good… document “.+”$/ }).click()
    const dialog = page.getByRole('dialog', { name: /^Destroy “.+” for good\?$/ })
    await dialog.waitFor()
    const text = (await dialog.textContent()) ?? ''
    expect(text).toContain('Nobody can open it again')
    expect(text).toContain('This cannot be undone.')
    await h.screenshot('shred-document-confirm')
    await dialog.getByRole('button', { name: 'Destroy for good' }).click()

    await page.getByText('No document open').waitFor()
    expect(vault.hasRecord(doc!.id)).toBe(false)
    expect(existsSync(blob)).toBe(false)
    expect(findCiphertextRuns(dir, old)).toEqual([])
    expect(vault.audit.list().at(-1)).toMatchObject({ type: 'record.shredded', details: { recordId: doc!.id, attachments: 1 } })
  })
})
