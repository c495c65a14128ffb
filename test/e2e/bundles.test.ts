// E2E (Chromium + real backend): exchanging a bundle between two vaults through the UI — public key files swapped via
// the (fake) file dialogs, a partner verified after comparing both fingerprints in the dialog, three records chosen in
// the picker and exported with a progress bar, then the second vault (created in this process with the core API, then
// unlocked in the UI) imports them with the signer verified. The picker and the dialog are photographed at 1280×800.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../electron/core/library/documentService'
import { createDossier } from '../../electron/core/dossiers/dossierService'
import { addContact } from '../../electron/core/exchange/contacts'
import { disposeIdentity, exportOwnIdentityFile, loadOwnIdentity, parseIdentityFile } from '../../electron/core/exchange/identity'
import { createVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import type { Locator } from 'playwright-core'
import { GOOD_PASSPHRASE, RESULTS_DIR, useHarness } from './harness'

describe('bundles in Chromium', () => {
  const harness = useHarness()

  it('exports three records to a verified contact with progress, and the partner vault imports them with the signer verified', async () => {
    const h = harness()
    const { page } = h
    const viewportShot = async (name: string) => {
      fs.mkdirSync(RESULTS_DIR, { recursive: true })
      await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`) })
    }
    const expectWithinWindow = async (locator: Locator) => {
      const box = (await locator.boundingBox())!
      expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 800).toBe(true)
    }
    const dirA = path.join(h.workDir, 'vault-a')
    const dirB = path.join(h.workDir, 'vault-b')
    expect((await h.services.dispatch('vault:create', { dir: dirA, passphrase: GOOD_PASSPHRASE })).ok).toBe(true)
    const a = h.services.session.requireVault()
    disposeIdentity(loadOwnIdentity(a, { name: 'Viasna', organisation: 'Human Rights Centre Viasna' }))
    const letter = createDocument(a, {
      kind: 'letter',
      title: 'Appeal for Ales',
      date: '2026-05-12',
      text: 'We urge the release of Ales.',
    }).id
    const evidence = path.join(h.workDir, 'evidence.bin')
    fs.writeFileSync(evidence, Buffer.alloc(24 * 1024 * 1024, 7))
    await a.addAttachment(letter, evidence, { filename: 'evidence.bin', mediaType: 'application/octet-stream' })
    const note = createDocument(a, { kind: 'note', title: 'Visit notes', date: '2026-05-10', text: 'No lawyer was admitted.' }).id
    const dossier = createDossier(a, { names: { original: 'Ales Bialiatski' }, category: 'political-prisoner', consent: 'public' }).id
    createDossier(a, { names: { original: 'Kept Home' }, category: 'political-prisoner', consent: 'internal' })

    // The partner's vault, made in this process with the core API.
    const sodium = await loadSodium('native')
    const { vault: b } = await createVault(dirB, new TextEncoder().encode(GOOD_PASSPHRASE), { sodium, kdf: MIN_KDF })
    disposeIdentity(loadOwnIdentity(b, { name: 'Partner', organisation: 'Partner Org' }))
    const partnerFile = path.join(h.workDir, 'partner-identity.txt')
    fs.writeFileSync(partnerFile, exportOwnIdentityFile(b))

    await page.setViewportSize({ width: 1280, height: 800 })
    await page.reload()
    await page.getByRole('link', { name: 'Exchange' }).click()
    // No organisation profile yet: our key has a plain name.
    await page.getByRole('heading', { name: 'Your public key' }).waitFor()
    await expect.poll(() => page.getByTestId('fingerprint').first().locator('code').count()).toBe(8)
    expect(await page.locator('main').innerText()).not.toMatch(/\bage\b|recipient|age1/i)

    // Our identity file goes to the partner, who adds us as verified.
    const ourFile = path.join(h.workDir, 'viasna-identity.txt')
    h.nextSaveLocation = ourFile
    await page.getByRole('button', { name: 'Save public key file…' }).click()
    await page.getByText('Public key file saved.').waitFor()
    addContact(b, parseIdentityFile(fs.readFileSync(ourFile, 'utf8')), { verified: true })
    b.lock()

    // The partner's file comes in through the open dialog; verified after "comparing by phone".
    h.nextChosenFiles = [partnerFile]
    await page.getByRole('button', { name: "Open a partner's public key file…" }).click()
    await page.getByRole('button', { name: 'Add partner' }).click()
    const contact = page.getByTestId('contact')
    await contact.getByText('Not verified').waitFor()
    await contact.getByRole('button', { name: 'Compare fingerprints…' }).click()
    const verify = page.getByRole('dialog', { name: 'Compare fingerprints with Partner' })
    await verify.getByLabel(`Partner's fingerprint: ${parseIdentityFile(fs.readFileSync(partnerFile, 'utf8')).fingerprint}`).waitFor()
    expect(await verify.getByTestId('fingerprint').count()).toBe(2)
    await verify.getByText('Do the fingerprints match what Partner reads to you?').waitFor()
    await expectWithinWindow(verify)
    await viewportShot('bundles-verify-dialog-1280x800')
    await verify.getByRole('button', { name: 'Yes, they match: mark verified' }).click()
    await contact.getByText('Verified', { exact: true }).waitFor()

    // Export wizard: three records → the partner → review → export.
    await page.getByRole('button', { name: 'Export bundle…' }).click()
    await page.getByRole('checkbox', { name: /Appeal for Ales/ }).check()
    await page.getByRole('checkbox', { name: /Visit notes/ }).check()
    await page.getByRole('checkbox', { name: /Ales Bialiatski/ }).check()
    // Readable columns at 1280×800: every title whole on its line(s), no cell cut off.
    const headers = await page.locator('.record-table thead th').allInnerTexts()
    expect(headers.slice(1).map((t) => t.replace(/[▲▼]/g, '').trim())).toEqual(['Title', 'Kind', 'Date', 'Status'])
    for (const cell of await page.locator('.record-table td').all()) {
      expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    }
    expect(await page.getByRole('checkbox', { name: 'Choose all records' }).evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(
      true,
    )
    await page.locator('.record-table').scrollIntoViewIfNeeded()
    await viewportShot('bundles-export-picker-1280x800')
    await page.getByRole('button', { name: 'Next: recipients (3 chosen)' }).click()
    await page.getByRole('checkbox', { name: /Partner/ }).check()
    await page.getByRole('button', { name: 'Next: review consent' }).click()
    await expect.poll(() => page.getByTestId('plan-items').locator('li').count()).toBe(3)
    await h.screenshot('bundles-export-review')

    const bundlePath = path.join(h.workDir, 'to-partner.custodia')
    h.nextSaveLocation = bundlePath
    const progressTexts: string[] = []
    await page.exposeFunction('__noteProgress', (t: string) => progressTexts.push(t))
    await page.evaluate(() => {
      const target = document.body
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="export-progress"]')
        if (el?.textContent) (window as unknown as { __noteProgress: (t: string) => void }).__noteProgress(el.textContent)
      }).observe(target, { subtree: true, childList: true, characterData: true })
    })
    await page.getByRole('button', { name: 'Export 3 items…' }).click()
    await page.getByTestId('export-result').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('export-result').textContent()).toMatch(/^Saved to-partner\.custodia: 3 items, 1 attachment,/)
    await expect.poll(() => progressTexts.some((t) => /MiB of .*MiB · .*\/s · .* left/.test(t))).toBe(true)
    await h.screenshot('bundles-export-done')
    expect(fs.existsSync(bundlePath)).toBe(true)
    expect(a.audit.list().some((e) => e.type === 'bundle.exported')).toBe(true)

    // The partner's vault in the same UI: import with the signer shown as verified.
    expect((await h.services.dispatch('vault:unlock', { dir: dirB, passphrase: GOOD_PASSPHRASE })).ok).toBe(true)
    await page.reload()
    await page.getByRole('link', { name: 'Exchange' }).click()
    await page.getByRole('button', { name: 'Import bundle…' }).click()
    h.nextChosenFiles = [bundlePath]
    await page.getByRole('button', { name: 'Choose bundle…' }).click()
    const signer = page.getByTestId('signer-status')
    await signer.waitFor({ timeout: 60_000 })
    expect(await signer.textContent()).toMatch(/^Verified contact: Viasna/)
    expect(await page.locator('.preview-items tbody tr').count()).toBe(3)
    await h.screenshot('bundles-import-preview')
    await page.getByRole('button', { name: 'Import 3 items' }).click()
    await page.getByTestId('import-result').waitFor()
    expect(await page.getByTestId('import-result').textContent()).toBe('Imported 3 new records and 0 new revisions with 1 attachment.')

    // Each imported record says where it came from, and the line opens the import details.
    await page.getByRole('link', { name: 'Library' }).click()
    await page.getByTestId('document-row').filter({ hasText: 'Appeal for Ales' }).click()
    const origin = page.getByTestId('import-origin')
    await expect.poll(() => origin.textContent()).toMatch(/^Imported from Viasna on \w{3} \d{1,2}, \d{4} \(bundle [0-9a-f]{8}\)$/)
    await origin.getByRole('button').click()
    const details = page.getByRole('dialog', { name: 'Import details' })
    await details.waitFor()
    expect(await details.textContent()).toContain('Viasna · Human Rights Centre Viasna · verified contact')
    expect(await details.textContent()).toContain('with 3 items in that import')
    await h.screenshot('import-origin-details')
    await details.getByRole('button', { name: 'Close' }).click()
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByTestId('dossier-table').getByRole('button', { name: 'Ales Bialiatski' }).click()
    await expect.poll(() => page.getByTestId('import-origin').textContent()).toMatch(/^Imported from Viasna on /)
    await h.screenshot('import-origin-dossier')

    h.services.session.lock('user')
    const reopened = await openVault(dirB, new TextEncoder().encode(GOOD_PASSPHRASE), { sodium })
    try {
      for (const id of [letter, note, dossier]) expect(reopened.hasRecord(id)).toBe(true)
      const [att] = reopened.listAttachments(letter)
      expect(att).toMatchObject({ filename: 'evidence.bin', size: 24 * 1024 * 1024 })
      expect(reopened.audit.list().filter((e) => e.type === 'bundle.imported')).toHaveLength(1)
      expect(fs.readdirSync(path.join(dirB, 'tmp'))).toEqual([])
    } finally {
      reopened.lock()
    }
    expect(h.pageErrors).toEqual([])
  }, 120_000)
})
