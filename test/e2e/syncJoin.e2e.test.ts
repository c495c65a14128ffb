// E2E (Chromium + real backend): a new member at another office joins the team's vault from the welcome screen — the
// code and the invitation file (from main's dialog), whom it is for, then their own folder, the sync folder and
// passphrase; the recovery key; and the office's letter in their library. axe-core finds nothing serious on either
// step. Screenshots test-results/welcome.png, sync-join-invitation.png and sync-join-joined.png.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSyncInvitation, runSync, type SyncContext } from '../../electron/core/sync/syncEngine'
import { addLetter, makeFirstReplica } from '../helpers/syncReplicas'
import { seriousAxeFindings } from './axe'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('joining a team in Chromium', () => {
  const harness = useHarness()
  let office: SyncContext | undefined
  afterAll(() => office?.vault.lock())

  it("joins from the welcome screen and opens on the team's letters", async () => {
    const h = harness()
    const { page } = h
    const shared = join(h.workDir, 'Sync', 'custodia')
    mkdirSync(shared, { recursive: true })
    office = await makeFirstReplica(h.workDir, 'oslo', shared)
    addLetter(office, 'Letter to the Minister of Justice', 'On the detention of Mr. K.')
    const invitation = createSyncInvitation(office, { member: 'Olena (Kyiv office)', role: 'legal-adviser' })
    const invitationFile = join(h.workDir, 'olena.invitation')
    writeFileSync(invitationFile, invitation.file)
    runSync(office)

    await page.getByRole('button', { name: "Join your team's vault…" }).waitFor()
    await h.screenshot('welcome')
    await page.getByRole('button', { name: "Join your team's vault…" }).click()
    await page.getByLabel('Invitation code').fill(invitation.code)
    h.nextChosenFiles = [invitationFile]
    await page.getByRole('button', { name: 'Choose the invitation file…' }).click()
    const summary = page.getByTestId('invitation-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toContain('This invitation is for Olena (Kyiv office), as Legal adviser.')

    await page.getByLabel('Empty folder for your copy of the vault').fill(join(h.workDir, 'kyiv-vault'))
    await page.getByLabel('Sync folder').fill(shared)
    await page.getByLabel('Your new passphrase').fill(GOOD_PASSPHRASE)
    await page.getByLabel('Repeat passphrase').fill(GOOD_PASSPHRASE)
    expect(await seriousAxeFindings(page)).toEqual([])
    await h.screenshot('sync-join-invitation')
    await page.getByRole('button', { name: 'Join the team' }).click()

    await page.getByTestId('recovery-key').waitFor({ timeout: 60_000 })
    expect(await page.getByRole('status').textContent()).toBe(
      'You joined the team. 2 batches of changes from the other offices have arrived.',
    )
    expect(await seriousAxeFindings(page)).toEqual([])
    await h.screenshot('sync-join-joined')
    const recoveryKey = (await page.getByTestId('recovery-key').textContent())!.trim()
    await page.getByRole('button', { name: 'I have written it down' }).click()
    await page.getByLabel(/last group/i).fill(recoveryKey.split('-').at(-1)!)
    await page.keyboard.press('Enter')
    await page.getByText('Letter to the Minister of Justice').first().waitFor({ timeout: 30_000 })
  })
})
