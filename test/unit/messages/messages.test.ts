// Unit: shared/messages turns error codes and validation issues into sentences people understand. The failures come
// from the real code where they are made: the real dispatcher refusing real requests, the dossier schema, the age reader.
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, CustodiaError } from '../../../shared/errors'
import { DossierSchema } from '../../../shared/dossiers/dossier'
import {
  BUNDLE_FILE_MESSAGES,
  CODE_MESSAGES,
  describeFailure,
  describeIssue,
  looksTechnical,
  type FailureInput,
} from '../../../shared/messages/messages'
import { createDispatcher, type Handlers } from '../../../electron/core/api/dispatch'
import { parseAgeHeader } from '../../../electron/core/platform/crypto/age/age'
import { SAMPLE_REQUESTS as sampleRequests } from '../../helpers/sampleRequests'

/** Schema and protocol words no person should read (the issue's list, plus zod's openings). */
const FORBIDDEN = /expected|Invalid request|stanza|header:|Too small|Too big|received|\$\./

async function refusal(channel: string, request: unknown): Promise<FailureInput> {
  // Every request here breaks its schema, so no handler is ever reached.
  const dispatch = createDispatcher({} as Handlers)
  const result = await dispatch(channel, request)
  if (result.ok) throw new Error('the request was accepted')
  return result.error
}

function failureOf(run: () => unknown): FailureInput {
  try {
    run()
  } catch (error) {
    if (error instanceof CustodiaError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('nothing was thrown')
}

describe('messages for people', () => {
  it('has a plain sentence for every error code, with no schema words', () => {
    for (const code of ERROR_CODES) {
      const sentence = CODE_MESSAGES[code]
      expect(sentence, code).toMatch(/^[A-Z].*\.\)?$/)
      expect(sentence, code).not.toMatch(FORBIDDEN)
      expect(looksTechnical(sentence), code).toBe(false)
    }
    for (const sentence of Object.values(BUNDLE_FILE_MESSAGES)) expect(sentence).not.toMatch(FORBIDDEN)
  })

  it('words a technical message by its code, keeping the original only as detail', () => {
    for (const code of ERROR_CODES) {
      const out = describeFailure({ code, message: 'Invalid input: expected string, received undefined at $.x' })
      expect(out.message, code).toBe(CODE_MESSAGES[code])
      expect(out.details, code).toContain('received undefined')
    }
  })

  it('keeps core’s own plain messages as they are, with no detail', () => {
    const out = describeFailure({ code: 'WRONG_PASSPHRASE', message: 'Wrong passphrase. Check Caps Lock.' })
    expect(out).toEqual({ message: 'Wrong passphrase. Check Caps Lock.', fields: [], details: null })
  })

  it('turns an empty document title refused by the real dispatcher into "Give the title."', async () => {
    const request = structuredClone(sampleRequests['library:update']) as { document: { title: string } }
    request.document.title = ''
    const failure = await refusal('library:update', request)
    expect(failure.message).toMatch(/Invalid request/)
    const out = describeFailure(failure)
    expect(out.message).toBe('Give the title.')
    expect(out.fields).toEqual([{ path: 'document.title', message: 'Give the title.' }])
    expect(out.message).not.toMatch(FORBIDDEN)
    expect(out.details).toContain('document.title: title is empty')
  })

  it('names the list entry of a field: a recipient’s name that is too long', async () => {
    const request = structuredClone(sampleRequests['library:update']) as { document: { recipients: { name: string }[] } }
    request.document.recipients = [{ name: 'Jonas' }, { name: 'x'.repeat(5000) }]
    const out = describeFailure(await refusal('library:update', request))
    expect(out.fields[0]!.path).toBe('document.recipients.1.name')
    expect(out.fields[0]!.message).toMatch(/^The name of recipient 2 is too long: keep it to \d+ characters or fewer\.$/)
  })

  it('words the relative vault folder the welcome screen once showed as "dir: must be an absolute folder path"', async () => {
    const out = describeFailure(await refusal('vault:create', { dir: 'relative/folder', passphrase: 'x' }))
    expect(out.message).toBe('The vault folder must be an absolute folder path.')
    expect(out.message).not.toMatch(FORBIDDEN)
  })

  it('says how to fix a dossier shared with partners but naming none, and an empty name', () => {
    const parsed = DossierSchema.safeParse({
      names: { original: '' },
      category: 'civilian-detainee',
      consent: 'partners',
      sharePartners: [],
    })
    expect(parsed.success).toBe(false)
    const issues = parsed.error!.issues.map((i) => ({ path: i.path, message: i.message }))
    const sentences = issues.map((i) => describeIssue(i))
    expect(sentences).toContain('Name at least one partner who may receive this dossier, or choose another consent level.')
    expect(sentences).toContain('Give the name in original script.')
    for (const s of sentences) expect(s).not.toMatch(FORBIDDEN)
  })

  it('says a damaged bundle file is not a Custodia bundle, whatever the age reader said', () => {
    const failure = failureOf(() => parseAgeHeader(Buffer.from('age-encryption.org/v1\n-> X25519 \u0001bad\n'), true))
    expect(failure.message).toMatch(/malformed age header/)
    const out = describeFailure(failure)
    expect(out.message).toBe(BUNDLE_FILE_MESSAGES.VALIDATION)
    expect(out.message).toContain('This file is not a Custodia bundle, or it is damaged')
    expect(out.details).toContain('malformed age header')
  })

  it('never lets schema words through for any zod message shape, on any field', () => {
    const messages = [
      'Too small: expected string to have >=1 characters',
      'Too small: expected string to have >=12 characters',
      'Too big: expected string to have <=500 characters',
      'Too small: expected array to have >=1 items',
      'Too big: expected array to have <=50 items',
      'Too small: expected number to be >=0',
      'Too big: expected number to be <=1440',
      'Invalid option: expected one of "a"|"b"',
      'Invalid input: expected int, received number',
      'Invalid input: expected string, received undefined',
      'Invalid string: must match pattern /^x$/',
      'Invalid ISO date',
      'Invalid email address',
      'Unrecognized key: "extra"',
      'Invalid input',
      'malformed age header: non-printable byte',
      'stanza body is not canonical base64',
    ]
    const paths = ['', 'title', 'document.recipients.0.email', 'dossier.detentions.2.to', 'names.original', 'sharePartners.0']
    for (const message of messages)
      for (const path of paths) {
        const sentence = describeIssue({ path, message })
        expect(sentence, `${path}: ${message}`).not.toMatch(FORBIDDEN)
        expect(sentence, `${path}: ${message}`).toMatch(/^[A-Z].*\.$/)
      }
  })

  it('reads zod path arrays and dotted paths alike, and names the end of a detention period', () => {
    expect(describeIssue({ path: ['detentions', 1, 'to'], message: 'ends before it starts' })).toBe(
      'The end date of detention period 2 is before the start date. Correct one of the two dates.',
    )
    expect(describeIssue({ path: 'dossier.detentions.1.to', message: 'ends before it starts' })).toBe(
      'The end date of detention period 2 is before the start date. Correct one of the two dates.',
    )
  })

  it('lets a form name its own fields', () => {
    const out = describeFailure(
      { code: 'VALIDATION', message: 'Invalid request', issues: [{ path: 'names.original', message: 'is empty' }] },
      { fieldLabel: (p) => (p.join('.') === 'names.original' ? 'person’s name' : null) },
    )
    expect(out.message).toBe('Give the person’s name.')
  })
})
