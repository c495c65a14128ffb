// Renderer (jsdom): Settings → Organisation against a typed fake bridge — problems show at their field and nothing is
// sent, a valid profile is sent once with the revision it was loaded at, the limits sit at the inputs, and the home
// page's first-run offer shows only while the vault has no profile.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChannelName, CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { PROFILE_LIMITS } from '../../shared/organisation/profile'
import { OrganisationPanel } from '../../renderer/src/features/home/OrganisationPanel'
import { OrganisationPrompt } from '../../renderer/src/features/home/OrganisationPrompt'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const STORED = {
  profile: { name: 'Quillfeather Rights Committee', address: 'Marrowgate 17\n5003 Bergen', defaultLanguage: 'en-GB', signatories: [] },
  revision: 3,
}

/** A bridge with a stored profile (or none) that records every call and answers setProfile with what it was sent. */
function fakeBridge(stored: typeof STORED | { profile: null; revision: null }): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  return {
    calls,
    invoke: async (channel, request): Promise<IpcResult<unknown>> => {
      calls.push([channel, request])
      switch (channel as ChannelName) {
        case 'organisation:getProfile':
          return { ok: true, value: stored }
        case 'organisation:setProfile': {
          const { profile } = request as { profile: unknown }
          return { ok: true, value: { profile, revision: (stored.revision ?? 0) + 1 } }
        }
        default:
          return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

describe('OrganisationPanel', () => {
  it('shows a missing name at the field, focuses it and sends nothing', async () => {
    const bridge = fakeBridge({ profile: null, revision: null })
    renderWithApi(<OrganisationPanel />, bridge)
    const save = screen.getByRole('button', { name: 'Save' })
    await waitFor(() => expect((save as HTMLButtonElement).disabled).toBe(false))
    fireEvent.click(save)
    const name = screen.getByLabelText('Name of the organisation')
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'))
    const problem = document.getElementById(name.getAttribute('aria-describedby')!)!
    expect(problem.textContent).toBe("Give the organisation's name")
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(bridge.calls.map(([c]) => c)).toEqual(['organisation:getProfile'])
  })

  it("names a signatory's missing name at that signatory", async () => {
    const bridge = fakeBridge(STORED)
    renderWithApi(<OrganisationPanel />, bridge)
    await waitFor(() => expect((screen.getByLabelText('Name of the organisation') as HTMLInputElement).value).toBe(STORED.profile.name))
    fireEvent.click(screen.getByRole('button', { name: 'Add a signatory' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const group = screen.getByRole('group', { name: 'Signatory 1' })
    const name = group.querySelector('input[id="org-signatories.0.name"]')!
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByTestId('error-org-signatories.0.name-error').textContent).toBe("Give the signatory's name, or remove the signatory")
    expect(bridge.calls.filter(([c]) => c === 'organisation:setProfile')).toEqual([])
  })

  it('sets the limits at the inputs and saves the edited profile with the loaded revision', async () => {
    const bridge = fakeBridge(STORED)
    renderWithApi(<OrganisationPanel />, bridge)
    const name = screen.getByLabelText('Name of the organisation') as HTMLInputElement
    await waitFor(() => expect(name.value).toBe(STORED.profile.name))
    expect(name.maxLength).toBe(PROFILE_LIMITS.name)
    expect((screen.getByLabelText('Address') as HTMLTextAreaElement).maxLength).toBe(PROFILE_LIMITS.address)
    fireEvent.change(screen.getByLabelText('Telephone'), { target: { value: '+47 55 00 00 00' } })
    fireEvent.change(screen.getByLabelText('Place (printed before the date)'), { target: { value: 'Bergen' } })
    const language = screen.getByLabelText('Language of the built-in letters') as HTMLSelectElement
    expect([...language.options].map((o) => o.textContent)).toEqual(['English', 'Norwegian Bokmål', 'Ukrainian', 'Russian'])
    fireEvent.change(language, { target: { value: 'nb-NO' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add a signatory' }))
    const group = screen.getByRole('group', { name: 'Signatory 1' })
    fireEvent.change(group.querySelector('input[id="org-signatories.0.name"]')!, { target: { value: 'Astrid Profilesen' } })
    fireEvent.change(group.querySelector('input[id="org-signatories.0.title"]')!, { target: { value: 'Secretary General' } })
    fireEvent.change(group.querySelector('textarea')!, { target: { value: 'LL.M.\n\n  PhD ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.getByTestId('message').textContent).toBe('Saved. Your letters now carry this letterhead.'))
    expect(bridge.calls.filter(([c]) => c === 'organisation:setProfile')).toEqual([
      [
        'organisation:setProfile',
        {
          expectedRevision: 3,
          profile: {
            name: STORED.profile.name,
            address: STORED.profile.address,
            phone: '+47 55 00 00 00',
            defaultPlace: 'Bergen',
            defaultLanguage: 'nb-NO',
            signatories: [{ name: 'Astrid Profilesen', title: 'Secretary General', credentials: ['LL.M.', 'PhD'] }],
          },
        },
      ],
    ])
  })

  it('says plainly when saving failed', async () => {
    const bridge = fakeBridge(STORED)
    const invoke = bridge.invoke
    bridge.invoke = async (channel, request) =>
      channel === 'organisation:setProfile'
        ? { ok: false, error: { code: 'CONFLICT', message: 'The profile was changed elsewhere: reload it.' } }
        : invoke(channel, request)
    renderWithApi(<OrganisationPanel />, bridge)
    await waitFor(() => expect((screen.getByLabelText('Name of the organisation') as HTMLInputElement).value).toBe(STORED.profile.name))
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.getByTestId('error').textContent).toMatch(/^Not saved: /))
  })
})

describe('OrganisationPrompt', () => {
  it('offers to fill in the profile while there is none, and leads to the panel or away', async () => {
    const onOpen = vi.fn()
    const onDismiss = vi.fn()
    renderWithApi(<OrganisationPrompt onOpen={onOpen} onDismiss={onDismiss} />, fakeBridge({ profile: null, revision: null }))
    const prompt = await screen.findByTestId('organisation-prompt')
    expect(prompt.textContent).toContain("Add your organisation's name and address so your letters carry your letterhead")
    fireEvent.click(screen.getByRole('button', { name: 'Add organisation details' }))
    expect(onOpen).toHaveBeenCalledTimes(1)
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }))
    expect(onDismiss).toHaveBeenCalledTimes(1)
  })

  it('stays away once a profile exists', async () => {
    const bridge = fakeBridge(STORED)
    renderWithApi(<OrganisationPrompt onOpen={() => undefined} onDismiss={() => undefined} />, bridge)
    await waitFor(() => expect(bridge.calls).toHaveLength(1))
    expect(screen.queryByTestId('organisation-prompt')).toBeNull()
  })
})
