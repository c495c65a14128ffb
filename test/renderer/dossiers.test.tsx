// Renderer (jsdom): the dossier form against a typed fake bridge — family contacts are not requested until the
// reveal click and an update without it keeps them ('keep'); the duplicate warning offers Open, and "Save and merge"
// of a new dossier is one call (a failure keeps the form as it was); leaving with unsaved changes asks first and
// Escape keeps editing.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDossier } from '../../shared/dossiers/dossier'
import { createDefaultDossierSchema } from '../../shared/dossiers/dossierSchema'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { DossierForm } from '../../renderer/src/features/dossiers/DossierForm'
import { DossiersPanel } from '../../renderer/src/features/dossiers/DossiersPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const ID = 'a'.repeat(32)
const OTHER = 'b'.repeat(32)
const stored = parseDossier({
  names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana' },
  category: 'civilian-detainee',
  statusHistory: [{ id: 'e1', date: '2023-06-02', status: 'detained' }],
  family: { contacts: [{ name: 'Mykola Familycontact', relation: 'son' }] },
})
const withoutFamily = { ...stored, family: { contacts: [] } }
const counts = { total: 0, byStatus: {}, byCategory: {} }

function fakeBridge(): CustodiaBridge & { calls: [string, Record<string, unknown>][] } {
  const calls: [string, Record<string, unknown>][] = []
  const answer = (channel: string, request: Record<string, unknown>): unknown => {
    switch (channel) {
      case 'dossiers:get':
        return {
          id: ID,
          revision: 3,
          savedAt: '2025-01-01T00:00:00Z',
          author: '',
          dossier: request['revealFamily'] ? stored : withoutFamily,
          familyCount: 1,
          familyRevealed: request['revealFamily'] === true,
          issues: [],
        }
      case 'dossiers:update':
        return { id: ID, revision: 4, warnings: [] }
      case 'dossiers:createMerged':
        return { revision: 8, conflicts: [], warnings: [] }
      case 'dossiers:getSchema':
        return { revision: 1, schema: createDefaultDossierSchema() }
      case 'dossiers:listLists':
        return { lists: [] }
      case 'library:list':
        return { documents: [] }
      case 'dossiers:list':
        return { dossiers: [], counts, totalStored: 0, regions: [] }
      case 'dossiers:checkDuplicates':
        return {
          matches: String((request['names'] as { original: string }).original).includes('Vyhadana')
            ? [
                {
                  id: OTHER,
                  reason: 'same-name',
                  distance: 0,
                  name: 'Олена Вигадана',
                  transliteration: 'Olena Vyhadana',
                  status: 'detained',
                  birthYear: 1971,
                },
              ]
            : [],
        }
      default:
        throw new Error(`unexpected channel ${channel}`)
    }
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

const noop = () => undefined

describe('DossierForm', () => {
  it('does not fetch family contacts until revealed, and keeps them on a save without reveal', async () => {
    const bridge = fakeBridge()
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    await screen.findByText('1 family contact stored — hidden.')
    expect(document.body.textContent).not.toContain('Familycontact')
    expect(screen.getByTestId('current-status').textContent).toBe('Detained')

    fireEvent.change(screen.getByLabelText('Aliases'), { target: { value: 'Lena' } })
    expect(screen.getByTestId('save-state').textContent).toBe('Unsaved changes')
    fireEvent.keyDown(window, { key: 's', ctrlKey: true })
    await waitFor(() => expect(screen.getByTestId('save-state').textContent).toBe('All changes saved'))
    const update = bridge.calls.find(([c]) => c === 'dossiers:update')![1]
    expect(update).toMatchObject({
      id: ID,
      expectedRevision: 3,
      family: 'keep',
      dossier: { names: { aliases: ['Lena'] }, family: { contacts: [] } },
    })
    expect(bridge.calls.filter(([c, r]) => c === 'dossiers:get' && r['revealFamily'])).toEqual([])

    fireEvent.click(screen.getByRole('button', { name: 'Reveal family contacts' }))
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Mykola Familycontact'))
    fireEvent.change(screen.getByLabelText('Relation'), { target: { value: 'eldest son' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(bridge.calls.filter(([c]) => c === 'dossiers:update')).toHaveLength(2))
    const second = bridge.calls.filter(([c]) => c === 'dossiers:update')[1]![1]
    expect(second).toMatchObject({
      expectedRevision: 4,
      family: 'replace',
      dossier: { family: { contacts: [{ name: 'Mykola Familycontact', relation: 'eldest son' }] } },
    })
  })

  it('refuses to send an invalid dossier, says why at each field and focuses the first', async () => {
    const bridge = fakeBridge()
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, bridge)
    // Consent "partners" with no partner named: a second problem further down the form.
    fireEvent.change(screen.getByLabelText('Consent', { selector: 'select' }), { target: { value: 'partners' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const name = screen.getByLabelText('Name in original script')
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(name.getAttribute('aria-invalid')).toBe('true')
    // The error is read with the field (aria-describedby) and shown right under it.
    const nameError = document.getElementById(name.getAttribute('aria-describedby')!.split(' ')[0]!)!
    expect(nameError.textContent).toBe('Give the name in original script.')
    const partners = screen.getByLabelText('Partners who may receive it')
    expect(partners.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual([
      'Give the name in original script.',
      'Name at least one partner who may receive this dossier, or choose another consent level.',
    ])
    expect(screen.getByRole('alert').textContent).toBe('The dossier is not saved yet: 2 fields need attention. They are marked below.')
    for (const text of [screen.getByRole('alert').textContent, ...screen.getAllByTestId('field-error').map((e) => e.textContent)])
      expect(text).not.toMatch(/expected|Invalid request|is empty|\$\.|'partners'/)
    expect(bridge.calls.filter(([c]) => c === 'dossiers:create')).toEqual([])
  })

  it('offers no reveal when no family contact is stored, and adds the first one without fetching anything', async () => {
    const bridge = fakeBridge()
    const noFamily: CustodiaBridge = {
      ...bridge,
      invoke: async (channel, request) => {
        const result = await bridge.invoke(channel, request)
        if (channel !== 'dossiers:get' || !result.ok) return result
        return { ok: true, value: { ...(result.value as object), dossier: withoutFamily, familyCount: 0 } } as IpcResult<unknown>
      },
    }
    renderWithApi(<DossierForm id={ID} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, noFamily)
    await screen.findByText('No family contacts stored.')
    expect(screen.queryByRole('button', { name: 'Reveal family contacts' })).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Add family contact' }))
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Iryna Sister' } })
    fireEvent.change(screen.getByLabelText('Relation'), { target: { value: 'sister' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(bridge.calls.filter(([c]) => c === 'dossiers:update')).toHaveLength(1))
    expect(bridge.calls.find(([c]) => c === 'dossiers:update')![1]).toMatchObject({
      family: 'replace',
      dossier: { family: { contacts: [{ name: 'Iryna Sister', relation: 'sister' }] } },
    })
    expect(bridge.calls.filter(([c, r]) => c === 'dossiers:get' && r['revealFamily'])).toEqual([])
  })

  it('offers the statuses of the chosen category: a deported child starts deported and can be returned to family', () => {
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, fakeBridge())
    fireEvent.change(screen.getByLabelText('Category', { selector: 'select' }), { target: { value: 'deported-child' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add status event' }))
    const status = screen.getByLabelText('Status', { selector: 'select' }) as HTMLSelectElement
    expect(status.value).toBe('deported')
    const offered = Array.from(status.options, (o) => o.textContent)
    expect(offered).toEqual(expect.arrayContaining(['Deported', 'Located', 'Returned to family']))
    expect(offered).not.toContain('Convicted')
    fireEvent.change(status, { target: { value: 'returned' } })
    expect(screen.getByTestId('current-status').textContent).toBe('Returned to family')
  })

  it('shows a problem main found at its field too, and focuses it', async () => {
    const bridge = fakeBridge()
    const refusing: CustodiaBridge = {
      ...bridge,
      invoke: async (channel, request) => {
        if (channel !== 'dossiers:create') return bridge.invoke(channel, request)
        return {
          ok: false,
          error: {
            code: 'VALIDATION',
            message: 'Invalid request: dossier.names.original: Too big: expected string to have <=300 characters',
            issues: [{ path: 'dossier.names.original', message: 'Too big: expected string to have <=300 characters' }],
          },
        }
      },
    }
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={noop} onDirtyChange={noop} />, refusing)
    fireEvent.change(screen.getByLabelText('Name in original script'), { target: { value: 'Olena' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const name = screen.getByLabelText('Name in original script')
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(screen.getByTestId('field-error').textContent).toBe(
      'The name in original script is too long: keep it to 300 characters or fewer.',
    )
    expect(screen.getByRole('alert').textContent).not.toMatch(/expected|Invalid request/)
  })

  it('warns about a possible duplicate while a name is typed and offers to open it', async () => {
    const bridge = fakeBridge()
    let opened = ''
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={(id) => (opened = id)} onDirtyChange={noop} />, bridge)
    fireEvent.change(screen.getByLabelText('Name in original script'), { target: { value: 'Olena Vyhadana' } })
    const warning = await screen.findByTestId('duplicates', {}, { timeout: 2000 })
    expect(warning.textContent).toContain('Олена Вигадана (Olena Vyhadana) — Detained, born 1971 · same name')
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    expect(opened).toBe(OTHER)
  })

  it('saves a new dossier into the existing one with ONE call, then opens that one', async () => {
    const bridge = fakeBridge()
    let opened = ''
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={(id) => (opened = id)} onDirtyChange={noop} />, bridge)
    fireEvent.change(screen.getByLabelText('Name in original script'), { target: { value: 'Olena Vyhadana' } })
    fireEvent.change(screen.getByLabelText('Aliases'), { target: { value: 'Lena' } })
    await screen.findByTestId('duplicates', {}, { timeout: 2000 })
    fireEvent.click(screen.getByRole('button', { name: 'Merge' }))
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Add this information to the existing dossier?' })).getByRole('button', {
        name: 'Save and merge',
      }),
    )
    await waitFor(() => expect(opened).toBe(OTHER))
    const writes = bridge.calls.filter(([c]) => ['dossiers:create', 'dossiers:merge', 'dossiers:createMerged'].includes(c))
    expect(writes).toEqual([
      [
        'dossiers:createMerged',
        expect.objectContaining({
          keepId: OTHER,
          dossier: expect.objectContaining({ names: expect.objectContaining({ original: 'Olena Vyhadana', aliases: ['Lena'] }) }),
        }),
      ],
    ])
  })

  it('says plainly when the existing dossier is gone, stays on the form and keeps what was entered', async () => {
    const bridge = fakeBridge()
    const failing: CustodiaBridge = {
      ...bridge,
      invoke: async (channel, request) => {
        if (channel !== 'dossiers:createMerged') return bridge.invoke(channel, request)
        bridge.calls.push([channel, request as Record<string, unknown>])
        return { ok: false, error: { code: 'NOT_FOUND', message: 'No dossier with this id' } }
      },
    }
    let opened = ''
    renderWithApi(<DossierForm id={null} onSaved={noop} onClose={noop} onOpen={(id) => (opened = id)} onDirtyChange={noop} />, failing)
    fireEvent.change(screen.getByLabelText('Name in original script'), { target: { value: 'Olena Vyhadana' } })
    await screen.findByTestId('duplicates', {}, { timeout: 2000 })
    fireEvent.click(screen.getByRole('button', { name: 'Merge' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save and merge' }))
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The other dossier is no longer in the vault. What you entered is not saved yet: save it as a new dossier.',
    )
    expect(opened).toBe('')
    expect(screen.getByTestId('save-state').textContent).toBe('Unsaved changes')
    expect((screen.getByLabelText('Name in original script') as HTMLInputElement).value).toBe('Olena Vyhadana')
  })
})

describe('DossiersPanel', () => {
  it('asks before leaving unsaved changes; Escape keeps editing, Discard leaves', async () => {
    renderWithApi(<DossiersPanel />, fakeBridge())
    fireEvent.click(await screen.findByRole('button', { name: 'New dossier' }))
    fireEvent.change(screen.getByLabelText('Name in original script'), { target: { value: 'Ivan' } })
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.getByRole('dialog', { name: 'Discard unsaved changes?' })).toBeTruthy()
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect((screen.getByLabelText('Name in original script') as HTMLInputElement).value).toBe('Ivan')
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }))
    await screen.findByRole('heading', { name: 'Dossiers' })
  })
})
