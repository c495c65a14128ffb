// E2E (Chromium + real backend): a secretary's day at 1280×800 and 1920×1080 — creates a vault through the UI, fills
// the organisation profile (letterhead, signatory with a signature image from a fixture PNG), drafts a letter to a head
// of government from the template, leaves and comes back to it, exports PDF and DOCX (the PDF carries the
// letterhead, the signatory and the signature image, no "[" placeholder), marks it sent. Every step is checked and
// photographed by Day (test-results/day-in-life/secretary-*).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, REPO_ROOT } from '../harness'
import { expectInView, runDay, WINDOW_SIZES } from './day'

const SIGNATURE_PNG = join(REPO_ROOT, 'test/fixtures/images/signature.png')
const ORG = {
  name: 'Nordic Helsinki Committee for Detainees',
  street: 'Kirkegata 5',
  city: '0153 Oslo',
  place: 'Oslo',
  signatory: 'Kari Nordmann',
  signatoryTitle: 'Secretary General',
}
const LETTER = {
  recipientName: 'Ingrid Examplesen',
  recipientTitle: 'Prime Minister',
  ccName: 'Tor Placeholder',
  ccTitle: 'Minister of Foreign Affairs',
  subject: 'Detained civilians and a proposal for diplomatic support',
  body: 'We write to propose a concrete next step for the civilians held in detention since 2023.',
}

function pdfText(path: string): string {
  // Chromium keeps soft hyphens (U+00AD) in the PDF's text and ends a hyphenated line in U+2010.
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })
    .replace(/\u2010\n/g, '')
    .replace(/\u00AD/g, '')
    .replace(/\s+/g, ' ')
}

describe('a secretary’s day', () => {
  for (const size of WINDOW_SIZES) {
    it(`sets up the vault and the letterhead, drafts, exports and sends a letter at ${size.width}×${size.height}`, async () => {
      await runDay('secretary', size, async (h, day) => {
        const { page } = h

        // Morning: a new vault, through the welcome screen and the recovery key.
        await page.getByRole('button', { name: 'Create a vault…' }).click()
        h.nextChosenFolder = join(h.workDir, 'Helsinki office')
        await page.getByRole('button', { name: 'Choose…' }).click()
        await expect.poll(() => page.getByLabel('Empty folder for the vault').inputValue()).toBe(h.nextChosenFolder)
        await page.getByLabel('Passphrase', { exact: true }).fill(GOOD_PASSPHRASE)
        await page.getByLabel('Repeat passphrase').fill(GOOD_PASSPHRASE)
        await page.getByTestId('strength').waitFor()
        await day.step('create-vault')
        await page.getByRole('button', { name: 'Create vault' }).click()
        const recoveryKey = (await page.getByTestId('recovery-key').textContent())!.trim()
        await day.step('recovery-key')
        await page.getByRole('button', { name: 'I have written it down' }).click()
        await page.getByLabel('Type the last group of the recovery key').fill(recoveryKey.split(/[\s-]+/).pop()!)
        await page.getByRole('button', { name: 'Confirm' }).click()
        await page.getByTestId('organisation-prompt').waitFor()
        await day.step('first-screen')

        // The first run offers the organisation profile: letterhead, place, one signatory with a signature image.
        await page.getByRole('button', { name: 'Add organisation details' }).click()
        await page.getByRole('heading', { level: 1, name: 'Organisation' }).waitFor()
        await expect.poll(() => page.locator('form[aria-busy="false"]').count()).toBe(1)
        await day.fill('org name', page.getByLabel('Name of the organisation'), ORG.name)
        await day.fill('org address', page.getByLabel('Address', { exact: true }), `${ORG.street}\n${ORG.city}`)
        await day.fill('org place', page.getByLabel('Place (printed before the date)'), ORG.place)
        await page.getByRole('button', { name: 'Add a signatory' }).click()
        const signatory = page.getByRole('group', { name: 'Signatory 1' })
        await day.fill('org signatory name', signatory.getByLabel('Name', { exact: true }), ORG.signatory)
        await day.fill('org signatory title', signatory.getByLabel('Title'), ORG.signatoryTitle)
        await signatory.getByLabel(/^Signature image/).setInputFiles(SIGNATURE_PNG)
        await signatory.getByRole('img', { name: 'The signature of signatory 1' }).waitFor()
        await day.step('organisation-filled')
        await page.getByRole('button', { name: 'Save', exact: true }).click()
        await expect.poll(() => page.getByTestId('message').textContent()).toBe('Saved. Your letters now carry this letterhead.')
        await expectInView('the saved notice', page.getByTestId('message'))
        await day.step('organisation-saved')

        // A letter to the head of government from the template: recipient, copy, subject, text.
        await page.getByRole('link', { name: 'Letters' }).click()
        await page.getByRole('button', { name: 'Use the template Letter to a head of government' }).click()
        await page.getByRole('heading', { name: 'Letter to a head of government' }).waitFor()
        await page.getByTestId('letter-preview').waitFor()
        await page.getByRole('button', { name: 'Add a person to Recipient' }).click()
        const recipient = page.getByRole('group', { name: 'Recipient 1' })
        await day.fill('letter recipient name', recipient.getByLabel('Name'), LETTER.recipientName)
        await day.fill('letter recipient title', recipient.getByLabel('Title'), LETTER.recipientTitle)
        await page.getByRole('button', { name: 'Add a person to Copies to' }).click()
        const cc = page.getByRole('group', { name: 'Copies to 1' })
        await day.fill('letter cc name', cc.getByLabel('Name'), LETTER.ccName)
        await day.fill('letter cc title', cc.getByLabel('Title'), LETTER.ccTitle)
        // The place and signatories are left empty: the form says the profile's are used (and the PDF shows them).
        await expect
          .poll(() => page.locator('#lf-place-input-help').textContent())
          .toBe(`Left empty, the letter uses “${ORG.place}” from your organisation profile.`)
        expect(await page.getByRole('group', { name: 'Signatories *' }).textContent()).toContain(
          `Left empty, the letter uses the signatories ${ORG.signatory} from your organisation profile.`,
        )
        await day.fill('letter date', page.getByLabel('Date *'), '2026-12-04')
        await day.fill('letter subject', page.getByLabel('Subject *'), LETTER.subject)
        await day.type('letter body', page.getByRole('textbox', { name: 'Letter text' }), LETTER.body)
        await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toBe('Saved')
        await expect.poll(() => page.frameLocator('[data-testid="letter-preview"]').getByText(ORG.name).count()).toBeGreaterThan(0)
        await day.step('letter-drafted')

        // She looks the letter up with Ctrl+K (a dialog: axe runs on it open), then leaves for the library.
        await page.keyboard.press('Control+k')
        const search = page.getByRole('combobox', { name: 'Search documents' })
        await search.fill('diplomatic support')
        await expect.poll(() => page.getByTestId('search-hit').count()).toBeGreaterThan(0)
        // The library's copy of the letter is the letter as exported: signed from the profile, no "[missing: …]".
        expect(await page.getByTestId('search-hit').first().textContent()).not.toContain('[')
        await day.step('search-dialog')
        await page.keyboard.press('Escape')
        await expect.poll(() => page.getByRole('dialog', { name: 'Search documents' }).count()).toBe(0)
        await page.getByRole('link', { name: 'Library' }).click()
        await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor()
        await day.step('library')

        // Back to the letter: everything typed is still there.
        await page.getByRole('link', { name: 'Letters' }).click()
        await page.getByRole('button', { name: LETTER.subject }).click()
        await page.getByRole('heading', { name: 'Letter to a head of government' }).waitFor()
        await day.expectBack('letter')
        await day.step('letter-reopened')

        // Export PDF: the organisation's letterhead and signatory, the signature image, no placeholder left.
        const pdfPath = join(h.workDir, 'letter.pdf')
        h.nextSaveLocation = pdfPath
        await page.getByRole('button', { name: 'PDF', exact: true }).click()
        await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Exported PDF')
        expect(await page.getByRole('dialog').count(), 'no placeholder warning with a profile set').toBe(0)
        await day.step('exported-pdf')
        const text = pdfText(pdfPath)
        for (const expected of [
          ORG.name,
          ORG.street,
          ORG.city,
          ORG.place,
          ORG.signatory,
          ORG.signatoryTitle,
          LETTER.recipientName,
          LETTER.ccName,
          LETTER.body,
        ])
          expect(text).toContain(expected)
        expect(text).not.toContain('[')
        const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2)
        expect(images.length, 'the signature image is in the PDF').toBeGreaterThanOrEqual(1)
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, pdfPath.replace(/\.pdf$/, '')])
        if (size.width === 1280) {
          execFileSync('cp', [pdfPath.replace(/\.pdf$/, '.png'), join(REPO_ROOT, 'test-results/day-in-life/secretary-letter-page1.png')])
        }

        // DOCX: the same letterhead, in the document's XML.
        const docxPath = join(h.workDir, 'letter.docx')
        h.nextSaveLocation = docxPath
        await page.locator('.letter-actions').getByRole('button', { name: 'DOCX', exact: true }).click()
        await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Exported DOCX')
        expect(existsSync(docxPath)).toBe(true)
        const xml = execFileSync('unzip', ['-p', docxPath, 'word/document.xml'], { encoding: 'utf8' })
        for (const expected of [ORG.name, ORG.signatory, LETTER.subject]) expect(xml).toContain(expected)
        expect(xml).not.toContain('[Organisation name]')
        await day.step('exported-docx')

        // Sent: the letter is frozen.
        await page.getByRole('button', { name: 'Mark as sent' }).click()
        await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Sent (frozen)')
        await expectInView('the sent notice', page.getByText('Marked as sent.', { exact: false }))
        await expect.poll(() => page.getByLabel('Subject *').isDisabled()).toBe(true)
        await day.step('marked-sent')

        expect(h.pageErrors).toEqual([])
        expect(h.foreignRequests).toEqual([])
      })
    }, 180_000)
  }
})
