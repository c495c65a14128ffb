// E2E (Chromium + real backend): deleting attachments through the UI — a library document's imported original is
// deleted from its Attachments list by keyboard after a confirmation naming the file (the document keeps its text,
// the encrypted blob is gone from disk), and a dossier file that is the person's photo and linked from the timeline
// is deleted by mouse: the row, the photo and the link go, and stay gone after reopening.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { attachFilesToDossier } from '../../electron/core/dossiers/dossierAttachments'
import { createDossier, getDossier, updateDossier } from '../../electron/core/dossiers/dossierService'
import { listLibrary } from '../../electron/core/library/libraryService'
import { GOOD_PASSPHRASE, useHarness } from './harness'

/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const LETTER = 'To the Ombudsman of Ukraine\n\n12 March 2025\n\nWe ask about the detention of Olena Vyhadana since June 2023.\n'

describe('attachment delete in Chromium', () => {
  const harness = useHarness()

  it('deletes a document’s original by keyboard after confirming; the document keeps its text', async () => {
    const h = harness()
    const { page, services } = h
    const letterPath = join(h.workDir, 'request to ombudsman.txt')
    writeFileSync(letterPath, LETTER)
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByText('The library is empty.').waitFor()
    h.nextChosenFiles = [letterPath]
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByText('Imported 1 of 1 file.').waitFor()
    await page.getByTestId('document-row').first().click()

    const vault = services.session.requireVault()
    const [doc] = listLibrary(vault)
    const [original] = vault.listAttachments(doc!.id)
    const blob = join(h.workDir, 'vault', 'blobs', original!.id.slice(0, 2), original!.id)
    expect(existsSync(blob)).toBe(true)

    const deleteButton = page.getByRole('button', { name: 'Delete request to ombudsman.txt' })
    await page.locator('.ProseMirror').getByText('detention of Olena Vyhadana', { exact: false }).waitFor()
    await deleteButton.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Delete request to ombudsman.txt?' })
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('This cannot be undone.')
    // Focus starts on Cancel (the safe choice); Escape closes and nothing is deleted.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    expect(vault.listAttachments(doc!.id)).toHaveLength(1)

    await deleteButton.focus()
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await h.screenshot('attachment-delete-library-confirm')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete file')
    await page.keyboard.press('Enter')

    await page.getByText('Deleted request to ombudsman.txt.').waitFor()
    expect(await page.getByText('No attachments.').count()).toBe(1)
    expect(await deleteButton.count()).toBe(0)
    expect(vault.listAttachments(doc!.id)).toEqual([])
    expect(existsSync(blob)).toBe(false)
    expect(vault.audit.list().at(-1)).toMatchObject({
      type: 'attachment.deleted',
      details: { recordId: doc!.id, attachmentId: original!.id },
    })
    // The document's text is still there, in the vault and on screen.
    expect(JSON.stringify(vault.getRecord(doc!.id).body)).toContain('detention of Olena Vyhadana')
    expect(await page.locator('.ProseMirror').textContent()).toContain('detention of Olena Vyhadana')
    expect(h.pageErrors).toEqual([])
  })

  it('deletes a dossier file that is the photo and linked from the timeline; it stays gone after reopening', async () => {
    const h = harness()
    const { page, services } = h
    const vault = services.session.requireVault()
    const pngPath = join(h.workDir, 'portrait.png')
    const scanPath = join(h.workDir, 'reply scan.txt')
    writeFileSync(pngPath, PNG)
    writeFileSync(scanPath, 'Reply: the request was forwarded.\n')
    const { id } = createDossier(vault, {
      names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana' },
      category: 'civilian-detainee',
      timeline: [{ id: 't1', date: '2024-02-11', description: 'Letter sent to the ombudsman.' }],
    })
    const [png, scan] = await attachFilesToDossier(vault, id, [pngPath, scanPath])
    const stored = getDossier(vault, id)
    updateDossier(
      vault,
      id,
      { ...stored.dossier, photoAttachmentId: png!.id, timeline: [{ ...stored.dossier.timeline[0]!, attachmentIds: [png!.id, scan!.id] }] },
      { expectedRevision: stored.revision },
    )

    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByRole('button', { name: /Олена Вигадана|Olena Vyhadana/ }).click()
    await page.getByTestId('dossier-photo').waitFor()
    const rows = page.getByTestId('dossier-file')
    await expect.poll(() => rows.count()).toBe(2)

    await page.getByRole('button', { name: 'Delete portrait.png' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete portrait.png?' })
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('from the photo and timeline events that use it. This cannot be undone.')
    await h.screenshot('attachment-delete-dossier-confirm')
    await dialog.getByRole('button', { name: 'Delete file' }).click()

    await page.getByText('Deleted portrait.png.').waitFor()
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('reply scan.txt')
    await expect.poll(() => page.getByTestId('dossier-photo').count()).toBe(0)
    expect(await page.getByTestId('photo-slot').textContent()).toContain('No photo')
    const links = page.locator('fieldset.attachment-links').first()
    expect(await links.getByLabel('portrait.png').count()).toBe(0)
    expect(await links.getByLabel('reply scan.txt').isChecked()).toBe(true)
    // Nothing left to save: main stored the dossier without the pointers, and the form follows it.
    expect(await page.getByTestId('save-state').textContent()).not.toBe('Unsaved changes')

    const after = getDossier(vault, id)
    expect(after.revision).toBe(stored.revision + 2)
    expect(after.dossier.photoAttachmentId).toBeUndefined()
    expect(after.dossier.timeline[0]!.attachmentIds).toEqual([scan!.id])
    expect(existsSync(join(h.workDir, 'vault', 'blobs', png!.id.slice(0, 2), png!.id))).toBe(false)

    // Close and reopen: still gone.
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
    await page.getByRole('button', { name: /Олена Вигадана|Olena Vyhadana/ }).click()
    await expect.poll(() => rows.count()).toBe(1)
    expect(await page.getByTestId('photo-slot').textContent()).toContain('No photo')
    await page.getByTestId('dossier-files').scrollIntoViewIfNeeded()
    await h.screenshot('attachment-delete-dossier-after')
    expect(h.pageErrors).toEqual([])
    expect(h.foreignRequests).toEqual([])
  })
})
