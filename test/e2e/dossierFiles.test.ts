// E2E (Chromium + real backend): files of a dossier — a new dossier says files need a save first; after saving, a
// PNG and a letter are attached through the fake file dialog, the PNG becomes the person's photo (an <img> from a
// data URL that really decodes), the letter is linked to a timeline event, and after a save and a reopen all of it is
// still there; "Save a copy…" warns that the copy is unencrypted and writes the same bytes where the save dialog says.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { getDossier } from '../../electron/core/dossiers/dossierService'
import { GOOD_PASSPHRASE, useHarness } from './harness'

const LETTER = 'To the ombudsman, 2024-02-11: we ask about Olena Vyhadana, detained since 2023-06-02.\n'
const PHOTO_W = 48
const PHOTO_H = 60

function computeCrc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return (crc ^ 0xffffffff) >>> 0
}

function buildChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(computeCrc32(body), 8 + data.length)
  return out
}

/** A small RGB PNG of a head-and-shoulders silhouette, built here so the test depends on no fixture file. */
function buildPortraitPng(): Buffer {
  const rows: Buffer[] = []
  for (let y = 0; y < PHOTO_H; y++) {
    const row = Buffer.alloc(1 + PHOTO_W * 3) // filter byte 0 (None), then RGB
    for (let x = 0; x < PHOTO_W; x++) {
      const head = (x - PHOTO_W / 2) ** 2 + (y - 22) ** 2 < 11 ** 2
      const shoulders = y > 38 && (x - PHOTO_W / 2) ** 2 / 22 ** 2 + (y - 62) ** 2 / 22 ** 2 < 1
      row.set(head || shoulders ? [58, 74, 96] : [196, 208, 222], 1 + x * 3)
    }
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(PHOTO_W, 0)
  ihdr.writeUInt32BE(PHOTO_H, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit, truecolour, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    buildChunk('IHDR', ihdr),
    buildChunk('IDAT', deflateSync(Buffer.concat(rows))),
    buildChunk('IEND', Buffer.alloc(0)),
  ])
}

describe('dossier files in Chromium', () => {
  const harness = useHarness()

  it('attaches files, sets the photo, links a file to a timeline event, and keeps them after reopening', async () => {
    const h = harness()
    const { page, services } = h
    const png = buildPortraitPng()
    const pngPath = join(h.workDir, 'portrait.png')
    const letterPath = join(h.workDir, 'letter to ombudsman.txt')
    writeFileSync(pngPath, png)
    writeFileSync(letterPath, LETTER)

    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-empty').waitFor()
    await page.getByRole('button', { name: 'New dossier' }).click()

    // Not saved yet: no record to hold files.
    expect(await page.getByTestId('files-unsaved').textContent()).toBe('Save the dossier to add files.')
    expect(await page.getByRole('button', { name: 'Attach files…' }).count()).toBe(0)
    await page.getByLabel('Name in original script').fill('Олена Вигадана')
    await page.getByLabel('Transliteration').fill('Olena Vyhadana')
    await page.getByRole('button', { name: 'Add timeline event' }).click()
    await page.locator('#timeline-date-0').fill('2024-02-11')
    await page.locator('#timeline-description-0').fill('Letter sent to the ombudsman.')
    await page.keyboard.press('Control+s')

    // Saved and reopened on the stored dossier: now files can be attached.
    const attach = page.getByRole('button', { name: 'Attach files…' })
    await attach.waitFor()
    h.nextChosenFiles = [pngPath, letterPath]
    await attach.click()
    const rows = page.getByTestId('dossier-file')
    await expect.poll(() => rows.count()).toBe(2)
    expect(await rows.nth(0).textContent()).toContain('portrait.png')
    expect(await rows.nth(1).textContent()).toContain('letter to ombudsman.txt')
    expect(await rows.nth(1).textContent()).toContain(`${Buffer.byteLength(LETTER)} B`)
    // Attaching stores files, not the form: nothing to save yet.
    expect(await page.getByTestId('save-state').textContent()).not.toBe('Unsaved changes')

    await page.locator('#photo-choice').selectOption({ label: 'portrait.png' })
    const img = page.getByTestId('dossier-photo')
    await img.waitFor()
    expect(await img.getAttribute('src')).toBe(`data:image/png;base64,${png.toString('base64')}`)
    // The image really decoded under the app's CSP (a blocked or broken image has naturalWidth 0).
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(PHOTO_W)
    const timelineFiles = page.locator('fieldset.attachment-links').first()
    await timelineFiles.getByLabel('letter to ombudsman.txt').check()
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Unsaved changes')
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')

    const vault = services.session.requireVault()
    const [row] = vault.listRecords({ kind: 'dossier' })
    const stored = getDossier(vault, row!.id).dossier
    const files = vault.listAttachments(row!.id)
    expect(stored.photoAttachmentId).toBe(files.find((f) => f.filename === 'portrait.png')!.id)
    expect(stored.timeline[0]!.attachmentIds).toEqual([files.find((f) => f.filename === 'letter to ombudsman.txt')!.id])
    expect(vault.audit.list().filter((e) => e.type === 'dossier.attachment_added')).toHaveLength(2)

    // Close and reopen: photo, link and list come back from the vault.
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
    await page.getByRole('button', { name: /Олена Вигадана|Olena Vyhadana/ }).click()
    await page.getByTestId('dossier-photo').waitFor()
    await expect
      .poll(() => page.getByTestId('dossier-photo').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(PHOTO_W)
    expect(await page.locator('#photo-choice').inputValue()).toBe(stored.photoAttachmentId)
    expect(await page.locator('fieldset.attachment-links').first().getByLabel('letter to ombudsman.txt').isChecked()).toBe(true)
    expect(await page.getByTestId('dossier-file').count()).toBe(2)
    await page.locator('#sec-person').scrollIntoViewIfNeeded()
    await h.screenshot('dossier-files-photo')
    await page.getByTestId('dossier-files').scrollIntoViewIfNeeded()
    await h.screenshot('dossier-files-attachments')

    // "Remove photo" empties the slot (the file stays attached) — not saved, so leave it unsaved and reload later.
    await page.getByRole('button', { name: 'Remove photo' }).click()
    await expect.poll(() => page.getByTestId('dossier-photo').count()).toBe(0)
    expect(await page.getByTestId('photo-slot').textContent()).toContain('No photo')
    await page.locator('#photo-choice').selectOption({ label: 'portrait.png' })
    await page.getByTestId('dossier-photo').waitFor()

    expect(h.pageErrors).toEqual([])
    expect(h.foreignRequests).toEqual([])
  })

  it('saves an unencrypted copy after a warning, byte for byte', async () => {
    const h = harness()
    const { page } = h
    const dest = join(h.workDir, 'copy-of-portrait.png')
    h.nextSaveLocation = dest
    await page.getByRole('button', { name: 'Save a copy of portrait.png…' }).click()
    const warning = page.getByRole('alertdialog')
    await warning.waitFor()
    expect(await warning.textContent()).toContain('The copy will not be encrypted.')
    await warning.getByRole('button', { name: 'Save unencrypted copy…' }).click()
    await page.getByText('Saved an unencrypted copy of portrait.png.').waitFor()
    expect(h.offeredSaveNames.at(-1)).toBe('portrait.png')
    expect(readFileSync(dest).equals(buildPortraitPng())).toBe(true)

    const letterDest = join(h.workDir, 'copy-of-letter.txt')
    h.nextSaveLocation = letterDest
    await page.getByRole('button', { name: 'Save a copy of letter to ombudsman.txt…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Save unencrypted copy…' }).click()
    await page.getByText('Saved an unencrypted copy of letter to ombudsman.txt.').waitFor()
    expect(readFileSync(letterDest, 'utf8')).toBe(LETTER)

    // Cancelling the warning writes nothing and opens no dialog.
    const offered = h.offeredSaveNames.length
    await page.getByRole('button', { name: 'Save a copy of portrait.png…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0)
    expect(h.offeredSaveNames.length).toBe(offered)
    expect(h.pageErrors).toEqual([])
  })
})
