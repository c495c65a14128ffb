// Renderer (jsdom): the Exchange page in plain words against a typed fake bridge — our key is named after the
// organisation profile (a plain phrase without one) and no crypto jargon shows outside the Technical details toggle;
// verifying a partner shows both fingerprints and asks before anything is marked, Cancel changes nothing, and focus
// goes back to the button that opened the dialog.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { ContactView, IdentityView } from '../../shared/ipc/channels/exchangeChannels'
import { ExchangePanel } from '../../renderer/src/features/exchange/ExchangePanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const OWN: IdentityView = {
  name: 'NHC',
  organisation: 'Norwegian Helsinki Committee',
  recipient: 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq',
  fingerprint: 'MFRG GZDF MZTW Q2LK NNWG 23TP OBYX E43U',
  recipientFingerprint: 'AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH',
}
const PARTNER: ContactView = {
  id: 'c'.repeat(32),
  name: 'Viasna',
  organisation: 'Human Rights Centre Viasna',
  recipient: 'age1zzzz',
  fingerprint: 'KQ3T 7XPA 2M4B RRWE HN5C 6YJD QL2F VUZA',
  recipientFingerprint: 'ZZZZ YYYY XXXX WWWW VVVV UUUU TTTT SSSS',
  verified: false,
  addedAt: '2026-12-01T09:00:00.000Z',
}

type Calls = [string, Record<string, unknown>][]

function makeBridge(profileName: string | null): CustodiaBridge & { calls: Calls } {
  const calls: Calls = []
  let partner = PARTNER
  let removed = false
  const answer = (channel: string, request: Record<string, unknown>): unknown => {
    if (channel === 'exchange:getIdentity') return OWN
    if (channel === 'organisation:getProfile')
      return profileName === null ? { profile: null, revision: null } : { profile: { name: profileName }, revision: 1 }
    if (channel === 'contacts:list') return { contacts: removed ? [] : [partner] }
    if (channel === 'contacts:remove') {
      removed = true
      return {}
    }
    if (channel === 'contacts:setVerified') {
      partner = { ...partner, verified: request.verified === true }
      return partner
    }
    throw new Error(`unexpected channel ${channel}`)
  }
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request as Record<string, unknown>])
      return { ok: true, value: answer(channel, request as Record<string, unknown>) } as IpcResult<unknown>
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

async function renderPage(profileName: string | null) {
  const bridge = makeBridge(profileName)
  renderWithApi(<ExchangePanel />, bridge)
  await screen.findAllByTestId('fingerprint')
  await screen.findByTestId('contact')
  return bridge
}

/** The page's text outside the collapsed Technical details. */
function visibleText(): string {
  const copy = document.body.cloneNode(true) as HTMLElement
  for (const details of copy.querySelectorAll('details')) details.remove()
  return copy.textContent ?? ''
}

describe('Exchange page in plain words', () => {
  it('names our key after the organisation profile and keeps the encryption key behind Technical details', async () => {
    await renderPage('Norwegian Helsinki Committee')
    expect(await screen.findByRole('heading', { name: "Norwegian Helsinki Committee's public key" })).toBeTruthy()
    expect(screen.getByRole('heading', { name: "Partners' public keys" })).toBeTruthy()
    const text = visibleText()
    for (const jargon of [/\bage\b/i, /recipient/i, /identity/i, /signing/i, /age1/]) expect(text).not.toMatch(jargon)
    // The technical detail is still there for whoever opens the toggle.
    const details = screen.getByText('Technical details').closest('details')!
    expect(details.open).toBe(false)
    expect(details.textContent).toContain(OWN.recipient)
  })

  it('says "Your public key" when no organisation profile is saved yet', async () => {
    await renderPage(null)
    expect(await screen.findByRole('heading', { name: 'Your public key' })).toBeTruthy()
  })

  it('shows both fingerprints before verifying; Cancel marks nothing and focus returns to the button', async () => {
    const bridge = await renderPage('Norwegian Helsinki Committee')
    const opener = screen.getByRole('button', { name: 'Compare fingerprints…' })
    opener.focus()
    fireEvent.click(opener)
    const dialog = screen.getByRole('dialog', { name: 'Compare fingerprints with Viasna' })
    expect(within(dialog).getByTestId('own-fingerprint').textContent).toContain("Norwegian Helsinki Committee's fingerprint")
    expect(within(dialog).getByLabelText(`Your fingerprint: ${OWN.fingerprint}`).querySelectorAll('code')).toHaveLength(8)
    expect(within(dialog).getByLabelText(`Viasna's fingerprint: ${PARTNER.fingerprint}`).querySelectorAll('code')).toHaveLength(8)
    expect(within(dialog).getByText('Do the fingerprints match what Viasna reads to you?')).toBeTruthy()

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(bridge.calls.some(([channel]) => channel === 'contacts:setVerified')).toBe(false)
    expect(within(screen.getByTestId('contact')).getByText('Not verified')).toBeTruthy()
    expect(document.activeElement).toBe(opener)

    // Escape is a cancel too.
    fireEvent.click(opener)
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(bridge.calls.some(([channel]) => channel === 'contacts:setVerified')).toBe(false)
  })

  it('marks the partner verified only on "they match", and focus stays on that button', async () => {
    const bridge = await renderPage(null)
    const opener = screen.getByRole('button', { name: 'Compare fingerprints…' })
    opener.focus()
    fireEvent.click(opener)
    const dialog = screen.getByRole('dialog')
    expect(within(dialog).getByTestId('own-fingerprint').textContent).toContain('Your fingerprint')
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, they match: mark verified' })))
    await waitFor(() => expect(within(screen.getByTestId('contact')).getByText('Verified')).toBeTruthy())
    expect(bridge.calls.filter(([channel]) => channel === 'contacts:setVerified')).toEqual([
      ['contacts:setVerified', { id: PARTNER.id, verified: true }],
    ])
    expect(document.activeElement).toBe(opener)
    expect(opener.textContent).toBe('Mark not verified')
  })

  it('asks before removing a partner: Cancel keeps them, Remove removes them', async () => {
    const bridge = await renderPage('Norwegian Helsinki Committee')
    const contact = screen.getByTestId('contact')
    fireEvent.click(within(contact).getByRole('button', { name: 'Remove' }))
    const dialog = await screen.findByRole('dialog', { name: "Remove Viasna's public key?" })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bridge.calls.some(([channel]) => channel === 'contacts:remove')).toBe(false)
    expect(screen.getByTestId('contact')).toBeTruthy()
    fireEvent.click(within(screen.getByTestId('contact')).getByRole('button', { name: 'Remove' }))
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(screen.queryByTestId('contact')).toBeNull())
    expect(bridge.calls.filter(([channel]) => channel === 'contacts:remove')).toEqual([['contacts:remove', { id: PARTNER.id }]])
  })
})
