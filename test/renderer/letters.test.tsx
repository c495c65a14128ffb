// Renderer (jsdom): the letter form — persons lists add and remove people, and what is sent to main leaves out
// blank values and nameless people (so they count as missing, not as malformed).
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { parseLetterTemplate } from '../../shared/letters/templateModel'
import { FieldInput } from '../../renderer/src/features/letters/FieldInputs'
import { cleanLetterData, countRecipients } from '../../renderer/src/features/letters/letterForm'

afterEach(cleanup)

const template = parseLetterTemplate({
  id: 'form-test',
  version: 1,
  name: 'Form test',
  description: '',
  language: 'en-GB',
  builtIn: false,
  pageSize: 'A4',
  letterhead: { organisation: 'Org' },
  fields: [
    { name: 'recipients', label: 'Recipient', type: 'persons', required: true },
    { name: 'subject', label: 'Subject', type: 'text', required: true },
    { name: 'body', label: 'Text', type: 'richtext', required: true },
    { name: 'requests', label: 'Requests', type: 'requests', required: false },
  ],
  blocks: [
    { type: 'recipients', field: 'recipients' },
    { type: 'subject', field: 'subject' },
    { type: 'body', field: 'body' },
    { type: 'requests', field: 'requests' },
  ],
})

describe('cleanLetterData', () => {
  it('drops blank strings, empty rich text, nameless people and unknown keys', () => {
    expect(
      cleanLetterData(template, {
        recipients: [{ name: '' }, { name: 'Ada', title: '  ', email: 'a@x.org' }],
        subject: '   ',
        body: '<p></p>',
        requests: ['', 'Act now'],
        stray: 'x',
      }),
    ).toEqual({ recipients: [{ name: 'Ada', email: 'a@x.org' }], requests: ['Act now'] })
    expect(countRecipients(template, { recipients: [{ name: 'A' }, { name: 'B' }, { name: '' }] })).toBe(2)
  })
})

function Harness({ onValue }: { onValue: (v: unknown) => void }) {
  const [value, setValue] = useState<unknown>(undefined)
  return (
    <FieldInput
      field={template.fields[0]!}
      value={value}
      idPrefix="t"
      onChange={(v) => {
        setValue(v)
        onValue(v)
      }}
    />
  )
}

describe('persons field', () => {
  it('adds people as labelled groups and removes the chosen one', () => {
    let latest: unknown
    render(<Harness onValue={(v) => (latest = v)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Add a person to Recipient' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add a person to Recipient' }))
    const first = screen.getByRole('group', { name: 'Recipient 1' })
    const second = screen.getByRole('group', { name: 'Recipient 2' })
    fireEvent.change(first.querySelector('input[id="t-0-name"]')!, { target: { value: 'Ada Lovelace' } })
    fireEvent.change(second.querySelector('input[id="t-1-name"]')!, { target: { value: 'Ivan Franko' } })
    expect(latest).toEqual([{ name: 'Ada Lovelace' }, { name: 'Ivan Franko' }])
    fireEvent.click(screen.getByRole('button', { name: 'Remove Recipient 1' }))
    expect(latest).toEqual([{ name: 'Ivan Franko' }])
    expect(screen.queryByRole('group', { name: 'Recipient 2' })).toBeNull()
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Ivan Franko')
  })
})
