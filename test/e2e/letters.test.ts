// E2E (Chromium + real backend): draft a letter to a head of government through the UI — template card, recipients,
// CC, subject, two signatories — with the live preview, autosave, the missing-fields list, PDF export through the
// harness's page.pdf() printer, and "Mark as sent". The PDF's text is checked in order; page 1 is kept as a PNG.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getLetterDraft } from '../../electron/core/letters/letterDrafts'
import { createDocument } from '../../electron/core/library/documentService'
import { GOOD_PASSPHRASE, RESULTS_DIR, useHarness } from './harness'

const FILLED = {
  recipientTitle: 'Prime Minister',
  recipientName: 'Ingrid Examplesen',
  recipientEmail: 'office@pm.example.org',
  salutation: 'Dear Prime Minister Examplesen,',
  ccTitle: 'Minister of Foreign Affairs',
  ccName: 'Tor Placeholder',
  place: 'Oslo',
  date: '26 May 2025',
  subject: 'Detained civilians: a proposal for diplomatic support',
  body: 'We write to propose a concrete next step for civilians held in detention.',
  signer1: 'Kari Nordmann',
  signer1Title: 'Secretary General',
  signer2: 'Ola Testesen',
  signer2Title: 'Deputy Secretary General',
}

describe('letter drafting in Chromium', () => {
  const harness = useHarness()

  it('drafts the head-of-government letter with live preview and autosave, and exports a PDF with every field in order', async () => {
    const h = harness()
    const { page, services, workDir } = h
    await services.session.create(join(workDir, 'vault'), GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Letters' }).click()
    await page.getByRole('button', { name: 'Use the template Letter to a head of government' }).click()
    await page.getByRole('heading', { name: 'Letter to a head of government' }).waitFor()
    await page.getByTestId('letter-preview').waitFor()

    // Export before anything is filled: the missing fields are listed and no dialog opens.
    await page.getByRole('button', { name: 'PDF', exact: true }).click()
    const missing = page.getByTestId('missing')
    await missing.waitFor()
    for (const label of ['Recipient', 'Place', 'Date', 'Subject', 'Letter text', 'Signatories']) {
      await expect.poll(() => missing.textContent()).toContain(`${label} is required`)
    }
    expect(h.offeredSaveNames).toEqual([])

    await page.getByRole('button', { name: 'Add a person to Recipient' }).click()
    const recipient = page.getByRole('group', { name: 'Recipient 1' })
    await recipient.getByLabel('Name').fill(FILLED.recipientName)
    await recipient.getByLabel('Title').fill(FILLED.recipientTitle)
    await recipient.getByLabel('E-mail').fill(FILLED.recipientEmail)
    await recipient.getByLabel('Salutation').fill(FILLED.salutation)

    await page.getByRole('button', { name: 'Add a person to Copies to' }).click()
    const cc = page.getByRole('group', { name: 'Copies to 1' })
    await cc.getByLabel('Name').fill(FILLED.ccName)
    await cc.getByLabel('Title').fill(FILLED.ccTitle)

    await page.getByLabel('Place *').fill(FILLED.place)
    await page.getByLabel('Date *').fill('2025-05-26')
    await page.getByLabel('Subject *').fill(FILLED.subject)
    await page.getByRole('textbox', { name: 'Letter text' }).click()
    await page.keyboard.type(FILLED.body)

    for (const [i, name, title] of [
      [1, FILLED.signer1, FILLED.signer1Title],
      [2, FILLED.signer2, FILLED.signer2Title],
    ] as const) {
      await page.getByRole('button', { name: 'Add a person to Signatories' }).click()
      const signer = page.getByRole('group', { name: `Signatories ${i}` })
      await signer.getByLabel('Name').fill(name)
      await signer.getByLabel('Title').fill(title)
    }

    expect(await page.getByRole('textbox', { name: 'Letter text' }).textContent()).toContain(FILLED.body)

    // Autosave shows its state and lands in the vault as a library letter.
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved')
    await expect.poll(() => page.getByTestId('preview-missing').count()).toBe(0)

    // The preview frame shows the exact HTML main rendered, from the in-memory store, sandboxed.
    const frame = page.getByTestId('letter-preview')
    expect(await frame.getAttribute('sandbox')).toBe('')
    const src = (await frame.getAttribute('src'))!
    expect(src).toMatch(/^\/letter-preview\/[0-9a-f]{32}$/)
    await expect.poll(() => h.services.letterPreviews.getPreview(src) ?? '').toContain(FILLED.signer2Title)
    await expect.poll(() => page.frameLocator('[data-testid="letter-preview"]').getByText(FILLED.ccName).count()).toBe(1)
    await page.getByLabel('Subject *').scrollIntoViewIfNeeded()
    await h.screenshot('letters-drafting')

    const pdfPath = join(workDir, 'letter.pdf')
    h.nextSaveLocation = pdfPath
    await page.getByRole('button', { name: 'PDF', exact: true }).click()
    // No organisation profile in this vault: the placeholder letterhead is named, and exporting needs a confirmation.
    const confirm = page.getByRole('dialog', { name: 'Export with placeholders?' })
    expect(await confirm.textContent()).toContain('The letterhead still says “[Organisation name]”')
    await confirm.getByRole('button', { name: 'Export anyway' }).click()
    await page.getByTestId('notice').waitFor()
    expect(await page.getByTestId('notice').textContent()).toContain('Exported PDF')
    expect(h.offeredSaveNames.at(-1)).toBe('Detained civilians a proposal for diplomatic support.pdf')
    expect(existsSync(pdfPath)).toBe(true)

    // The body is hyphenated: Chromium keeps its soft hyphens (U+00AD) in the PDF's text and ends a broken line in U+2010.
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' })
      .replace(/\u2010\n/g, '')
      .replace(/\u00AD/g, '')
      .replace(/\s+/g, ' ')
    const order = [
      FILLED.recipientTitle,
      FILLED.recipientName,
      FILLED.recipientEmail,
      FILLED.ccTitle,
      FILLED.ccName,
      FILLED.place,
      FILLED.date,
      FILLED.subject,
      FILLED.salutation,
      FILLED.body,
      FILLED.signer1,
      FILLED.signer1Title,
      FILLED.signer2,
      FILLED.signer2Title,
    ]
    const positions = order.map((s) => text.indexOf(s))
    expect(Object.fromEntries(order.map((s, i) => [s, positions[i]])), 'every field is in the PDF').not.toContain(-1)
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })).toMatch(/Page size:.*\(A4\)/)

    mkdirSync(RESULTS_DIR, { recursive: true })
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdfPath,
      join(RESULTS_DIR, 'letter-head-of-government-page1'),
    ])
    expect(readFileSync(join(RESULTS_DIR, 'letter-head-of-government-page1.png')).subarray(1, 4).toString('latin1')).toBe('PNG')

    // Mark as sent: frozen in the vault and in the form.
    await page.getByRole('button', { name: 'Mark as sent' }).click()
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Sent (frozen)')
    await expect.poll(() => page.getByLabel('Subject *').isDisabled()).toBe(true)
    const vault = services.session.requireVault()
    const letters = vault.listRecords({ kind: 'letter' })
    expect(letters).toHaveLength(1)
    expect(getLetterDraft(vault, letters[0]!.id)).toMatchObject({ status: 'sent', title: FILLED.subject })

    // The Letters page lists the library's letters, newest first: a reply typed into the library sits under the sent
    // letter (older date). The sent letter opens read-only; the reply, not drafted from a template, opens in the library.
    createDocument(vault, {
      kind: 'letter',
      title: 'Reply from the Prime Minister’s office',
      date: '2025-04-02',
      status: 'received',
      recipients: [{ name: 'Kari Nordmann' }, { name: 'Ola Testesen' }],
      text: 'We acknowledge receipt.',
    })
    await page.getByRole('button', { name: '← Letters' }).click()
    const table = page.getByRole('table', { name: 'Letters in the library' })
    await table.waitFor()
    await expect
      .poll(() => table.getByTestId('letter-row').allInnerTexts())
      .toEqual([
        `${FILLED.subject}\t${FILLED.recipientName}\tSent\tMay 26, 2025`,
        'Reply from the Prime Minister’s office\tKari Nordmann and 1 other\tReceived\tApr 2, 2025',
      ])
    await page.setViewportSize({ width: 1280, height: 800 })
    await h.screenshot('letters-page')
    await table.getByRole('button', { name: FILLED.subject }).click()
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Sent (frozen)')
    await expect.poll(() => page.getByLabel('Subject *').isDisabled()).toBe(true)
    await page.getByRole('button', { name: '← Letters' }).click()
    await page.getByRole('button', { name: 'Reply from the Prime Minister’s office' }).click()
    await expect.poll(() => page.getByRole('link', { name: 'Library' }).getAttribute('aria-current')).toBe('page')
    await expect.poll(() => page.getByLabel('Title').first().inputValue()).toBe('Reply from the Prime Minister’s office')

    expect(h.pageErrors).toEqual([])
    expect(h.consoleMessages.filter((m) => m.type === 'error')).toEqual([])
    expect(h.foreignRequests).toEqual([])
  })
})
