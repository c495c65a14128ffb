// Renderer: Settings → Organisation — the organisation profile every letter takes its letterhead, default place,
// language and signatories from. Limits at the inputs come from shared/organisation/profile.ts; the profile is checked
// with the same schema before it is sent, so each problem shows at its field.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import {
  checkOrganisationProfile,
  PROFILE_IMAGE_BYTES,
  PROFILE_LIMITS,
  type OrganisationProfileInput,
  type ProfileIssue,
} from '../../../../shared/organisation/profile'
import { TEMPLATE_LANGUAGES, type TemplateLanguage } from '../../../../shared/letters/templateModel'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useRefusal } from '../../hooks/useRole'
import { readLogoFile } from '../letters/TemplateEditor'
import { formatLanguage } from '../../i18n/format'
import { t } from '../../i18n/intl'

type SignatoryDraft = { name: string; title: string; credentials: string; signature?: string }
type Draft = {
  name: string
  address: string
  phone: string
  email: string
  web: string
  logo?: string
  defaultPlace: string
  defaultLanguage: TemplateLanguage
  signatories: SignatoryDraft[]
}

const EMPTY: Draft = { name: '', address: '', phone: '', email: '', web: '', defaultPlace: '', defaultLanguage: 'en-GB', signatories: [] }

/** The profile as the schema takes it: empty optional text left out, credentials one per line. */
function toProfile(d: Draft): OrganisationProfileInput {
  const opt = (key: string, value: string) => (value.trim() ? { [key]: value } : {})
  return {
    name: d.name,
    ...opt('address', d.address),
    ...opt('phone', d.phone),
    ...opt('email', d.email),
    ...opt('web', d.web),
    ...(d.logo ? { logo: d.logo } : {}),
    ...opt('defaultPlace', d.defaultPlace),
    defaultLanguage: d.defaultLanguage,
    signatories: d.signatories.map((s) => {
      const credentials = s.credentials
        .split('\n')
        .map((c) => c.trim())
        .filter(Boolean)
      return {
        name: s.name,
        ...opt('title', s.title),
        ...(credentials.length ? { credentials } : {}),
        ...(s.signature ? { signature: s.signature } : {}),
      }
    }),
  }
}

function fromProfile(p: OrganisationProfileInput): Draft {
  return {
    name: p.name ?? '',
    address: p.address ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    web: p.web ?? '',
    ...(p.logo ? { logo: p.logo } : {}),
    defaultPlace: p.defaultPlace ?? '',
    defaultLanguage: p.defaultLanguage ?? 'en-GB',
    signatories: (p.signatories ?? []).map((s) => ({
      name: s.name,
      title: s.title ?? '',
      credentials: (s.credentials ?? []).join('\n'),
      ...(s.signature ? { signature: s.signature } : {}),
    })),
  }
}

/** A PNG or JPEG file as a data: URL, within the profile's size for that image. Throws an Error with a sentence. */
async function readProfileImage(file: File, kind: keyof typeof PROFILE_IMAGE_BYTES, what: string): Promise<string> {
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') throw new Error(t('home.organisationPanel.theMustBeA', { what }))
  const limit = PROFILE_IMAGE_BYTES[kind]
  if (file.size > limit) throw new Error(t('home.organisationPanel.theIsTooLarge', { what, floor: Math.floor(limit / 1024) }))
  return readLogoFile(file)
}

/** The problem at one field (by its path in the profile), for aria-describedby and the line under the input. */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null
  return (
    <p className="error" id={id} data-testid={`error-${id}`}>
      {message}
    </p>
  )
}

export function OrganisationPanel() {
  const api = useApi()
  const readOnly = useRefusal('settings.manage')
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const [revision, setRevision] = useState<number | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [issues, setIssues] = useState<ProfileIssue[]>([])
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    let live = true
    api['organisation:getProfile']({}).then(
      (stored) => {
        if (!live) return
        if (stored.profile) setDraft(fromProfile(stored.profile))
        setRevision(stored.revision)
        setLoaded(true)
      },
      (err: unknown) => live && setError(t('home.organisationPanel.theOrganisationProfileCould', { error: describeError(err) })),
    )
    return () => {
      live = false
    }
  }, [api])

  const issueAt = (path: string) => issues.find((i) => i.path === path)?.message
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setMessage(null)
  }
  const setSignatory = (index: number, change: Partial<SignatoryDraft>) =>
    set(
      'signatories',
      draft.signatories.map((s, i) => (i === index ? { ...s, ...change } : s)),
    )
  const pickImage = (file: File | undefined, kind: 'logo' | 'signature', what: string, apply: (url: string) => void) => {
    if (!file) return
    readProfileImage(file, kind, what).then(apply, (err: unknown) =>
      setError(err instanceof Error ? err.message : t('home.organisationPanel.theCouldNotBe', { what })),
    )
  }
  const fieldProps = (path: string) => {
    const problem = issueAt(path)
    return {
      id: `org-${path}`,
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? `org-${path}-error` : undefined,
    }
  }

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setMessage(null)
    setError(null)
    const checked = checkOrganisationProfile(toProfile(draft))
    if (!checked.ok) {
      setIssues(checked.issues)
      // Focus the first field with a problem, so Save never looks as if it did nothing.
      requestAnimationFrame(() => {
        const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
        first?.scrollIntoView?.({ block: 'center' })
        first?.focus()
      })
      return
    }
    setIssues([])
    setBusy(true)
    try {
      const saved = await api['organisation:setProfile']({
        profile: checked.profile,
        ...(revision !== null ? { expectedRevision: revision } : {}),
      })
      setRevision(saved.revision)
      if (saved.profile) setDraft(fromProfile(saved.profile))
      setMessage(t('home.organisationPanel.savedYourLettersNow'))
    } catch (err) {
      setError(t('home.organisationPanel.notSaved', { error: describeError(err) }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="organisation-panel" aria-labelledby="organisation-title">
      <h1 id="organisation-title">{t('home.organisationPanel.organisation')}</h1>
      <p className="hint">{t('home.organisationPanel.yourOrganisationAsLetters')}</p>
      <ErrorMessage message={error} />
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate aria-busy={!loaded || busy}>
        <fieldset className="letter-field">
          <legend>{t('home.organisationPanel.letterhead')}</legend>
          <div className="field">
            <label htmlFor="org-name">{t('home.organisationPanel.nameOfTheOrganisation')}</label>
            <input
              {...fieldProps('name')}
              value={draft.name}
              maxLength={PROFILE_LIMITS.name}
              aria-required
              onChange={(e) => set('name', e.target.value)}
            />
            <FieldError id="org-name-error" message={issueAt('name')} />
          </div>
          <div className="field">
            <label htmlFor="org-address">{t('home.organisationPanel.address')}</label>
            <textarea
              {...fieldProps('address')}
              rows={3}
              value={draft.address}
              maxLength={PROFILE_LIMITS.address}
              onChange={(e) => set('address', e.target.value)}
            />
            <FieldError id="org-address-error" message={issueAt('address')} />
          </div>
          {(
            [
              ['phone', t('home.organisationPanel.telephone'), PROFILE_LIMITS.phone, 'tel'],
              ['email', t('home.organisationPanel.eMail'), PROFILE_LIMITS.email, 'email'],
              ['web', t('home.organisationPanel.webAddress'), PROFILE_LIMITS.web, 'url'],
            ] as const
          ).map(([key, label, max, type]) => (
            <div className="field" key={key}>
              <label htmlFor={`org-${key}`}>{label}</label>
              <input {...fieldProps(key)} type={type} value={draft[key]} maxLength={max} onChange={(e) => set(key, e.target.value)} />
              <FieldError id={`org-${key}-error`} message={issueAt(key)} />
            </div>
          ))}
          <div className="field">
            <label htmlFor="org-logo">
              {t('home.organisationPanel.logoPngOrJpeg', { floor: Math.floor(PROFILE_IMAGE_BYTES.logo / 1024) })}
            </label>
            {draft.logo && <img className="profile-image" src={draft.logo} alt={t('home.organisationPanel.theCurrentLogo')} />}
            <input
              {...fieldProps('logo')}
              type="file"
              accept="image/png,image/jpeg"
              onChange={(e) => {
                const file = e.target.files?.[0]
                e.target.value = ''
                pickImage(file, 'logo', 'logo', (logo) => set('logo', logo))
              }}
            />
            {draft.logo && (
              <button type="button" className="link" onClick={() => setDraft(({ logo: _logo, ...rest }) => rest)}>
                {t('home.organisationPanel.removeTheLogo')}
              </button>
            )}
            <FieldError id="org-logo-error" message={issueAt('logo')} />
          </div>
        </fieldset>

        <fieldset className="letter-field">
          <legend>{t('home.organisationPanel.newLetters')}</legend>
          <div className="field">
            <label htmlFor="org-defaultPlace">{t('home.organisationPanel.placePrintedBeforeThe')}</label>
            <input
              {...fieldProps('defaultPlace')}
              value={draft.defaultPlace}
              maxLength={PROFILE_LIMITS.place}
              onChange={(e) => set('defaultPlace', e.target.value)}
            />
            <FieldError id="org-defaultPlace-error" message={issueAt('defaultPlace')} />
          </div>
          <div className="field">
            <label htmlFor="org-defaultLanguage">{t('home.organisationPanel.languageOfTheBuilt')}</label>
            <select
              {...fieldProps('defaultLanguage')}
              value={draft.defaultLanguage}
              onChange={(e) => set('defaultLanguage', e.target.value as TemplateLanguage)}
            >
              {TEMPLATE_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {formatLanguage(l, { region: false }) ?? l}
                </option>
              ))}
            </select>
          </div>
        </fieldset>

        <fieldset className="letter-field">
          <legend>{t('home.organisationPanel.whoSigns')}</legend>
          <p className="hint">{t('home.organisationPanel.lettersWhoseSignatoriesAre')}</p>
          {draft.signatories.map((s, i) => (
            <fieldset className="letter-field" key={i} aria-label={t('home.organisationPanel.signatory', { value: i + 1 })}>
              <legend>{t('home.organisationPanel.signatory', { value: i + 1 })}</legend>
              <div className="field">
                <label htmlFor={`org-signatories.${i}.name`}>{t('home.organisationPanel.name')}</label>
                <input
                  {...fieldProps(`signatories.${i}.name`)}
                  value={s.name}
                  maxLength={PROFILE_LIMITS.signatoryName}
                  aria-required
                  onChange={(e) => setSignatory(i, { name: e.target.value })}
                />
                <FieldError id={`org-signatories.${i}.name-error`} message={issueAt(`signatories.${i}.name`)} />
              </div>
              <div className="field">
                <label htmlFor={`org-signatories.${i}.title`}>{t('home.organisationPanel.title')}</label>
                <input
                  {...fieldProps(`signatories.${i}.title`)}
                  value={s.title}
                  maxLength={PROFILE_LIMITS.signatoryTitle}
                  onChange={(e) => setSignatory(i, { title: e.target.value })}
                />
                <FieldError id={`org-signatories.${i}.title-error`} message={issueAt(`signatories.${i}.title`)} />
              </div>
              <div className="field">
                <label htmlFor={`org-signatories.${i}.credentials`}>{t('home.organisationPanel.credentialsOnePerLine')}</label>
                <textarea
                  {...fieldProps(`signatories.${i}.credentials`)}
                  rows={2}
                  value={s.credentials}
                  maxLength={PROFILE_LIMITS.credential * PROFILE_LIMITS.credentials}
                  onChange={(e) => setSignatory(i, { credentials: e.target.value })}
                />
                <FieldError id={`org-signatories.${i}.credentials-error`} message={issueAt(`signatories.${i}.credentials`)} />
              </div>
              <div className="field">
                <label htmlFor={`org-signatories.${i}.signature`}>
                  {t('home.organisationPanel.signatureImagePngOr', { floor: Math.floor(PROFILE_IMAGE_BYTES.signature / 1024) })}
                </label>
                {s.signature && (
                  <img
                    className="profile-image"
                    src={s.signature}
                    alt={t('home.organisationPanel.theSignatureOfSignatory', { value: i + 1 })}
                  />
                )}
                <input
                  {...fieldProps(`signatories.${i}.signature`)}
                  type="file"
                  accept="image/png,image/jpeg"
                  onChange={(e) => {
                    const file = e.target.files?.[0]
                    e.target.value = ''
                    pickImage(file, 'signature', t('home.organisationPanel.signatureImage'), (signature) => setSignatory(i, { signature }))
                  }}
                />
                <FieldError id={`org-signatories.${i}.signature-error`} message={issueAt(`signatories.${i}.signature`)} />
              </div>
              <button
                type="button"
                className="link"
                onClick={() =>
                  set(
                    'signatories',
                    draft.signatories.filter((_, j) => j !== i),
                  )
                }
              >
                {t('home.organisationPanel.removeSignatory', { value: i + 1 })}
              </button>
            </fieldset>
          ))}
          {draft.signatories.length < PROFILE_LIMITS.signatories && (
            <button type="button" onClick={() => set('signatories', [...draft.signatories, { name: '', title: '', credentials: '' }])}>
              {t('home.organisationPanel.addASignatory')}
            </button>
          )}
        </fieldset>

        <div className="actions">
          {readOnly === null ? (
            <>
              <button type="submit" className="primary" disabled={!loaded || busy}>
                {busy ? t('home.organisationPanel.saving') : t('home.organisationPanel.save')}
              </button>
              {/* Beside Save, where the eye is after clicking it (the top of the form is scrolled away by then). */}
              {message && (
                <p className="notice" role="status" data-testid="message">
                  {message}
                </p>
              )}
            </>
          ) : (
            <p className="hint" data-testid="read-only">
              {t('home.organisationPanel.readOnly', { readOnly })}
            </p>
          )}
        </div>
      </form>
    </section>
  )
}
