// E2E (Chromium + real backend): "Destroy for good" on a library document — the confirmation says what happens and that
// it cannot be undone; confirming destroys the document with its attachment (blob gone from disk), it leaves the list,
// and the vault's files hold nothing of it (no 32-byte run of its old ciphertext). The same on a dossier's file: the
// dossier keeps no pointer to it (timeline link), the editor takes the new revision and still saves.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getDossier } from '../../electron/core/dossiers/dossierService'
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
    await page.getByText('Imported 1 of 1 file.').waitFor()
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

  it('destroys a file of a dossier after the confirmation, drops its timeline link, and the dossier still saves', async () => {
    const h = harness()
    const { page, services } = h
    const letterPath = join(h.workDir, 'reply from ombudsman.txt')
    writeFileSync(letterPath, 'From the ombudsman, 2024-03-02: your request about Olena Vyhadana was received.\n')
    services.session.lock('user')
    const dir = join(h.workDir, 'vault-dossier')
    await services.session.create(dir, GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-empty').waitFor()
    await page.getByRole('button', { name: 'New dossier' }).click()
    await page.getByLabel('Name in original script').fill('Олена Вигадана')
    await page.getByLabel('Transliteration').fill('Olena Vyhadana')
    await page.getByRole('button', { name: 'Add timeline event' }).click()
    await page.locator('#timeline-date-0').fill('2024-03-02')
    await page.locator('#timeline-description-0').fill('Reply received.')
    await page.keyboard.press('Control+s')
    const attach = page.getByRole('button', { name: 'Attach files…' })
    await attach.waitFor()
    h.nextChosenFiles = [letterPath]
    await attach.click()
    await expect.poll(() => page.getByTestId('dossier-file').count()).toBe(1)
    await page.locator('fieldset.attachment-links').first().getByLabel('reply from ombudsman.txt').check()
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')

    const vault = services.session.requireVault()
    const [row] = vault.listRecords({ kind: 'dossier' })
    const [file] = vault.listAttachments(row!.id)
    expect(getDossier(vault, row!.id).dossier.timeline[0]!.attachmentIds).toEqual([file!.id])
    const blob = join(dir, 'blobs', file!.id.slice(0, 2), file!.id)
    const old = collectCiphertexts(dir, [], [file!.id])

    await page.getByRole('button', { name: 'Destroy for good… attachment “reply from ombudsman.txt”' }).click()
    const dialog = page.getByRole('dialog', { name: 'Destroy “reply from ombudsman.txt” for good?' })
    await dialog.waitFor()
    expect((await dialog.textContent()) ?? '').toContain('This cannot be undone.')
    expect((await dialog.textContent()) ?? '').toContain('The activity log keeps that an attachment was destroyed')
    // "Keep it" changes nothing.
    await dialog.getByRole('button', { name: 'Keep it' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect(existsSync(blob)).toBe(true)

    await page.getByRole('button', { name: 'Destroy for good… attachment “reply from ombudsman.txt”' }).click()
    await dialog.waitFor()
    await h.screenshot('shred-dossier-file-confirm')
    await dialog.getByRole('button', { name: 'Destroy for good' }).click()
    await page.getByText('Destroyed reply from ombudsman.txt for good.').waitFor()
    expect(await page.getByTestId('dossier-file').count()).toBe(0)
    expect(await page.locator('fieldset.attachment-links').count()).toBe(0)
    expect(existsSync(blob)).toBe(false)
    expect(findCiphertextRuns(dir, old)).toEqual([])
    expect(vault.listAttachments(row!.id)).toEqual([])
    expect(getDossier(vault, row!.id).dossier.timeline[0]!.attachmentIds ?? []).toEqual([])
    expect(vault.audit.list().at(-1)).toMatchObject({ type: 'attachment.shredded', details: { recordId: row!.id, attachmentId: file!.id } })

    // The editor holds the revision main wrote: a later edit saves without a conflict.
    await page.locator('#timeline-description-0').fill('Reply received and filed.')
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')
    expect(getDossier(vault, row!.id).dossier.timeline[0]!.description).toBe('Reply received and filed.')
    expect(h.pageErrors).toEqual([])
  })
})
