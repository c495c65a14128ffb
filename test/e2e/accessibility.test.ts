// E2E (Chromium + real backend): axe-core finds no serious or critical accessibility problem on any screen — the
// welcome, create and unlock screens, then every section of the workspace with something in it (a document open,
// a dossier open, a letter drafted).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness } from './harness'
import { seriousAxeFindings } from './axe'

describe('accessibility (axe-core) in Chromium', () => {
  const harness = useHarness()

  it('finds nothing serious on any screen', async () => {
    const h = harness()
    const { page, services } = h
    const found: Record<string, unknown> = {}
    const check = async (screen: string) => {
      const findings = await seriousAxeFindings(page)
      if (findings.length > 0) found[screen] = findings
    }

    await page.getByRole('button', { name: 'Create a vault…' }).waitFor()
    await check('welcome')
    await page.getByRole('button', { name: 'Create a vault…' }).click()
    await page.getByLabel('Repeat passphrase').waitFor()
    await check('create vault')

    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    services.session.lock('user')
    await page.reload()
    await page.getByLabel('Passphrase').waitFor()
    await check('unlock')
    await page.getByLabel('Passphrase').fill(GOOD_PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('link', { name: 'Library' }).waitFor()
    await check('first screen after unlock')

    await services.dispatch('library:create', {
      document: {
        kind: 'letter',
        title: 'Letter to the Prime Minister',
        date: '2025-04-14',
        text: 'Dear Prime Minister, we write about 41 prisoners.',
      },
    })
    await services.dispatch('dossiers:create', { dossier: { names: { original: 'Олена Вигадана' }, category: 'political-prisoner' } })
    for (const section of ['Library', 'Search', 'Letters', 'Dossiers', 'Exchange', 'Vocabularies', 'Organisation', 'Security']) {
      await page.getByRole('link', { name: section }).click()
      await page.waitForTimeout(300)
      await check(section)
    }
    await page.getByRole('link', { name: 'Library' }).click()
    await page.getByText('Letter to the Prime Minister').first().click()
    await page.waitForTimeout(500)
    await check('library, document open')
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByText('Олена Вигадана').first().click()
    await page.waitForTimeout(500)
    await check('dossier open')

    expect(found).toEqual({})
  })

  it('would fail: a picture without a text and a field without a label are found (the check itself can fail)', async () => {
    const { page } = harness()
    await page.evaluate(() => {
      const image = document.createElement('img')
      image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='
      const field = document.createElement('input')
      document.body.append(image, field)
    })
    const ids = (await seriousAxeFindings(page)).map((finding) => finding.id)
    expect(ids).toContain('image-alt')
    expect(ids).toContain('label')
  })
})
