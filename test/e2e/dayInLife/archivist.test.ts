// E2E (Chromium + real backend): an archivist's day at 1280×800 and 1920×1080 — adds a partner's public key from the
// file they sent, verifies it after comparing both fingerprints in the dialog, chooses records with the picker's filter
// and choose-all box, exports them to the partner through the export review (consent leaves one out), then imports two bundles made in this process with the real core code: one from the verified partner, one
// from a sender who is not a contact (held back until the archivist says the fingerprint was compared). Every step is
// checked and photographed by Day (test-results/day-in-life/archivist-*).
import fs from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDocument } from '../../../electron/core/library/documentService'
import { createDossier } from '../../../electron/core/dossiers/dossierService'
import { addContact, listContacts } from '../../../electron/core/exchange/contacts'
import { exportBundle } from '../../../electron/core/exchange/exportService'
import { disposeIdentity, exportOwnIdentityFile, loadOwnIdentity, parseIdentityFile } from '../../../electron/core/exchange/identity'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { GOOD_PASSPHRASE } from '../harness'
import { expectInView, runDay, WINDOW_SIZES } from './day'

/** A vault of another organisation, made with the core API, with its identity and us as a contact. */
async function makeSender(dir: string, name: string, organisation: string, ourIdentityFile: string): Promise<Vault> {
  const sodium = await loadSodium('native')
  const { vault } = await createVault(dir, new TextEncoder().encode(GOOD_PASSPHRASE), { sodium, kdf: MIN_KDF })
  disposeIdentity(loadOwnIdentity(vault, { name, organisation }))
  addContact(vault, parseIdentityFile(ourIdentityFile), { verified: true })
  return vault
}

/** A bundle from `sender` to its only contact (us), of one document it writes now. */
async function sendBundle(sender: Vault, title: string, outPath: string): Promise<void> {
  const id = createDocument(sender, { kind: 'note', title, date: '2026-11-30', text: `${title}: notes from the monitoring visit.` }).id
  const [us] = listContacts(sender)
  await exportBundle(sender, { selection: { recordIds: [id] }, contactIds: [us!.id] }, { outPath })
}

describe('an archivist’s day', () => {
  for (const size of WINDOW_SIZES) {
    it(`exchanges bundles with a partner and an unknown sender at ${size.width}×${size.height}`, async () => {
      await runDay('archivist', size, async (h, day) => {
        const { page, workDir } = h
        expect((await h.services.dispatch('vault:create', { dir: join(workDir, 'Archive'), passphrase: GOOD_PASSPHRASE })).ok).toBe(true)
        const vault = h.services.session.requireVault()
        disposeIdentity(loadOwnIdentity(vault, { name: 'Archive', organisation: 'Nordic Helsinki Committee' }))
        createDocument(vault, { kind: 'letter', title: 'Appeal for Ales', date: '2026-05-12', text: 'We urge the release of Ales.' })
        createDossier(vault, { names: { original: 'Ales Bialiatski' }, category: 'political-prisoner', consent: 'public' })
        createDossier(vault, { names: { original: 'Kept Home' }, category: 'political-prisoner', consent: 'internal' })
        const ourIdentity = exportOwnIdentityFile(vault)
        const profile = { name: 'Nordic Helsinki Committee' }
        expect((await h.services.dispatch('organisation:setProfile', { profile })).ok).toBe(true)

        // The partner and a stranger, each in a vault of their own.
        const partner = await makeSender(join(workDir, 'partner'), 'Partner', 'Partner Org', ourIdentity)
        const stranger = await makeSender(join(workDir, 'stranger'), 'Stranger', 'Unknown Org', ourIdentity)
        const partnerFile = join(workDir, 'partner-identity.txt')
        fs.writeFileSync(partnerFile, exportOwnIdentityFile(partner))
        const fromPartner = join(workDir, 'from-partner.custodia')
        const fromStranger = join(workDir, 'from-stranger.custodia')
        await sendBundle(partner, 'Visit to SIZO-1', fromPartner)
        await sendBundle(stranger, 'Unsolicited list', fromStranger)
        partner.lock()
        stranger.lock()

        // Our key is named after the organisation profile. The partner's public key file comes in through the open
        // dialog; verified after both fingerprints were compared by phone.
        await page.reload()
        await page.getByRole('link', { name: 'Exchange' }).click()
        await page.getByRole('heading', { name: "Nordic Helsinki Committee's public key" }).waitFor()
        h.nextChosenFiles = [partnerFile]
        await page.getByRole('button', { name: "Open a partner's public key file…" }).click()
        await page.getByRole('button', { name: 'Add partner' }).waitFor()
        await day.step('identity-file-opened')
        await page.getByRole('button', { name: 'Add partner' }).click()
        const contact = page.getByTestId('contact')
        await contact.getByText('Not verified').waitFor()
        await day.step('contact-added')
        const compare = contact.getByRole('button', { name: 'Compare fingerprints…' })
        await compare.click()
        const verify = page.getByRole('dialog', { name: 'Compare fingerprints with Partner' })
        const ownPrint = (await h.services.dispatch('exchange:getIdentity', {})) as { ok: true; value: { fingerprint: string } }
        const partnerPrint = listContacts(vault)[0]!.fingerprint
        await verify.getByLabel(`Your fingerprint: ${ownPrint.value.fingerprint}`).waitFor()
        await verify.getByLabel(`Partner's fingerprint: ${partnerPrint}`).waitFor()
        await verify.getByText('Do the fingerprints match what Partner reads to you?').waitFor()
        await day.step('verify-dialog')
        await verify.getByRole('button', { name: 'Cancel' }).click()
        await verify.waitFor({ state: 'detached' })
        expect(await compare.evaluate((el) => el === document.activeElement)).toBe(true)
        expect(listContacts(vault)[0]!.verified).toBe(false)
        await compare.click()
        await verify.getByRole('button', { name: 'Yes, they match: mark verified' }).click()
        await contact.getByText('Verified', { exact: true }).waitFor()
        expect(listContacts(vault)[0]!.verified).toBe(true)
        await day.step('contact-verified')

        // Export: three records chosen, the partner, the review (consent keeps the internal dossier home).
        // The two Ales records through the filter and choose-all, then the internal dossier by hand.
        await page.getByRole('button', { name: 'Export bundle…' }).click()
        await page.getByTestId('picker-row').first().waitFor()
        await page.getByLabel('Show only records with').fill('ales')
        await expect.poll(() => page.getByTestId('picker-row').count()).toBe(2)
        await page.getByRole('checkbox', { name: 'Choose all 2 records shown' }).check()
        await page.getByLabel('Show only records with').fill('')
        const chooseAll = page.getByRole('checkbox', { name: 'Choose all records' })
        expect(await chooseAll.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true)
        await page.getByRole('checkbox', { name: 'Kept Home' }).check()
        expect(await chooseAll.evaluate((el) => (el as HTMLInputElement).checked)).toBe(true)
        await day.step('export-records')
        await page.getByRole('button', { name: /^Next: recipients/ }).click()
        await page.getByRole('checkbox', { name: /Partner/ }).check()
        await day.step('export-recipients')
        await page.getByRole('button', { name: 'Next: review consent' }).click()
        await expect.poll(() => page.getByTestId('plan-items').locator('li').count()).toBe(2)
        const review = (await page.locator('main').textContent()) ?? ''
        expect(review).toContain('Each dossier’s consent is checked against what Partner Org may receive.')
        expect(review).toContain('Kept Home — consent allows it inside your organisation only')
        await day.step('export-review')
        const bundlePath = join(workDir, 'to-partner.custodia')
        h.nextSaveLocation = bundlePath
        await page.getByRole('button', { name: /^Export 2 / }).click()
        await page.getByTestId('export-result').waitFor({ timeout: 60_000 })
        expect(await page.getByTestId('export-result').textContent()).toMatch(/^Saved to-partner\.custodia/)
        await expectInView('the export result', page.getByTestId('export-result'))
        // Done: no time left is promised any more.
        expect(await page.getByTestId('export-progress').textContent()).not.toContain('left')
        await day.step('exported')
        expect(fs.existsSync(bundlePath)).toBe(true)

        // The partner's bundle: the signer is the verified contact.
        await page.getByRole('link', { name: 'Exchange' }).click()
        await page.getByRole('button', { name: 'Import bundle…' }).click()
        h.nextChosenFiles = [fromPartner]
        await page.getByRole('button', { name: 'Choose bundle…' }).click()
        const signer = page.getByTestId('signer-status')
        await signer.waitFor({ timeout: 60_000 })
        expect(await signer.textContent()).toMatch(/^Verified contact: Partner/)
        await day.step('import-verified-signer')
        await page.getByRole('button', { name: /^Import 1 / }).click()
        await page.getByTestId('import-result').waitFor()
        expect(await page.getByTestId('import-result').textContent()).toMatch(/^Imported 1 new record/)
        await day.step('imported-from-partner')

        // The stranger's bundle: unknown signer, held back until the fingerprint is said to be compared.
        h.nextChosenFiles = [fromStranger]
        await page.getByRole('button', { name: 'Choose bundle…' }).click()
        await signer.waitFor({ timeout: 60_000 })
        expect(await signer.textContent()).toMatch(/^Unknown signer: not in your contacts: Stranger/)
        const importStranger = page.getByRole('button', { name: /^Import 1 / })
        expect(await importStranger.isDisabled()).toBe(true)
        await day.step('import-unknown-signer')
        await page.getByLabel('I compared this fingerprint with the sender and want to import anyway').check()
        await importStranger.click()
        await page.getByTestId('import-result').waitFor()
        expect(await page.getByTestId('import-result').textContent()).toMatch(/^Imported 1 new record/)
        await day.step('imported-from-stranger')

        // Both records are in the library now.
        await page.getByRole('link', { name: 'Library' }).click()
        for (const title of ['Visit to SIZO-1', 'Unsolicited list'])
          await page.getByTestId('document-row').filter({ hasText: title }).waitFor()
        await day.step('library-after-import')

        // The stranger is not among the partners: the record names them as their bundle does, with their key.
        await page.getByTestId('document-row').filter({ hasText: 'Unsolicited list' }).click()
        const origin = page.getByTestId('import-origin')
        await expect
          .poll(() => origin.textContent())
          .toMatch(/^Imported from Stranger \(Unknown Org\) \(not among your partners, fingerprint \w{4} \w{4} …\) on /)
        await day.step('imported-record-origin')

        expect(h.pageErrors).toEqual([])
        expect(h.foreignRequests).toEqual([])
      })
    }, 180_000)
  }
})
