// Renderer: Security → "If the laptop is taken" (admins): erase the keys after N wrong passphrases in a row, and a duress
// passphrase that opens a decoy vault (or erases this one first). Each says plainly what it does and what it cannot do;
// the vault checks every value (docs/CRYPTO.md sections 13 and 14).
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultProtection } from '../../../../shared/ipc/channels/vaultChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { FolderField } from '../vault/FolderField'
import { t } from '../../i18n/intl'

const WIPE_CHOICES = [3, 5, 10, 15, 20] as const

/** One sentence for what is set now, in the user's words. */
export function describeWipe(protection: VaultProtection): string {
  if (protection.wipeAfter === null) return t('home.protectionSettings.offWrongPassphrasesOnly')
  return protection.wipeIncludesRecovery
    ? t('home.protectionSettings.onAfterWrongTries', { wipeAfter: protection.wipeAfter })
    : t('home.protectionSettings.onAfterWrongTries2', { wipeAfter: protection.wipeAfter })
}

export function describeDuress(protection: VaultProtection): string {
  const { duress } = protection
  if (!duress.on) return t('home.protectionSettings.notSet')
  return duress.action === 'wipe'
    ? t('home.protectionSettings.setItErasesThis', {
        value: duress.keepRecovery ? t('home.protectionSettings.theRecoveryKeysStill') : t('home.protectionSettings.forGood'),
      })
    : t('home.protectionSettings.setItOpensYour')
}

export function ProtectionSettings() {
  const api = useApi()
  const [protection, setProtection] = useState<VaultProtection | null>(null)
  const [wipeAfter, setWipeAfter] = useState<string>('off')
  const [wipeRecovery, setWipeRecovery] = useState(false)
  const [decoyDir, setDecoyDir] = useState('')
  const [duressPassphrase, setDuressPassphrase] = useState('')
  const [duressRepeat, setDuressRepeat] = useState('')
  const [action, setAction] = useState<'decoy' | 'wipe'>('decoy')
  const [keepRecovery, setKeepRecovery] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const show = (next: VaultProtection) => {
    setProtection(next)
    setWipeAfter(next.wipeAfter === null ? 'off' : String(next.wipeAfter))
    setWipeRecovery(next.wipeIncludesRecovery)
  }

  useEffect(() => {
    let live = true
    api['vault:getProtection']({})
      .then((next) => live && show(next))
      .catch((err: unknown) => live && setError(describeError(err)))
    return () => {
      live = false
    }
  }, [api])

  const run = async (work: () => Promise<string>) => {
    setError(null)
    setMessage(null)
    setBusy(true)
    try {
      setMessage(await work())
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const saveWipe = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      const after = wipeAfter === 'off' ? null : Number(wipeAfter)
      const next = await api['vault:setWipeAfter']({ after, includesRecovery: after !== null && wipeRecovery })
      show(next)
      return describeWipe(next)
    })
  }

  const saveDuress = (e: FormEvent) => {
    e.preventDefault()
    if (duressPassphrase !== duressRepeat) {
      setError(t('home.protectionSettings.theTwoDuressPassphrases'))
      return
    }
    void run(async () => {
      const next = await api['vault:setDuress']({
        passphrase: duressPassphrase,
        decoyDir,
        action,
        keepRecovery: action === 'wipe' && keepRecovery,
      })
      setDuressPassphrase('')
      setDuressRepeat('')
      setDecoyDir('')
      show(next)
      return t('home.protectionSettings.duressPassphrase', {
        value: describeDuress(next).charAt(0).toLowerCase(),
        value2: describeDuress(next).slice(1),
      })
    })
  }

  if (!protection) return <ErrorMessage message={error} />
  return (
    <section className="subform protection" aria-labelledby="protection-title" data-testid="protection-settings">
      <h2 id="protection-title">{t('home.protectionSettings.ifTheLaptopIs')}</h2>

      <form onSubmit={saveWipe}>
        <h3>{t('home.protectionSettings.eraseAfterWrongPassphrases')}</h3>
        <p className="hint" id="wipe-hint">
          {t('home.protectionSettings.afterThisManyWrong')}
        </p>
        <p role="status" data-testid="wipe-status">
          {describeWipe(protection)}
        </p>
        <div className="field">
          <label htmlFor="wipe-after">{t('home.protectionSettings.eraseAfter')}</label>
          <select
            id="wipe-after"
            aria-describedby="wipe-hint"
            value={wipeAfter}
            disabled={busy}
            onChange={(e) => setWipeAfter(e.target.value)}
          >
            <option value="off">{t('home.protectionSettings.never')}</option>
            {WIPE_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {t('home.protectionSettings.wrongTriesInA', { n })}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={wipeRecovery}
            disabled={busy || wipeAfter === 'off'}
            onChange={(e) => setWipeRecovery(e.target.checked)}
          />{' '}
          {t('home.protectionSettings.eraseTheRecoveryKeys')}
        </label>
        <button type="submit" disabled={busy}>
          {t('home.protectionSettings.save')}
        </button>
      </form>

      <form onSubmit={saveDuress}>
        <h3>{t('home.protectionSettings.duressPassphrase2')}</h3>
        <p className="hint" id="duress-hint">
          {t('home.protectionSettings.aSecondPassphraseFor')}
        </p>
        <p role="status" data-testid="duress-status">
          {describeDuress(protection)}
        </p>
        <FolderField
          id="decoy-dir"
          label={t('home.protectionSettings.decoyVaultFolder')}
          value={decoyDir}
          purpose="open"
          onChange={setDecoyDir}
        />
        <div className="field">
          <label htmlFor="duress-passphrase">{t('home.protectionSettings.duressPassphraseTheDecoy')}</label>
          <input
            id="duress-passphrase"
            type="password"
            autoComplete="off"
            value={duressPassphrase}
            onChange={(e) => setDuressPassphrase(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="duress-repeat">{t('home.protectionSettings.repeatIt')}</label>
          <input
            id="duress-repeat"
            type="password"
            autoComplete="off"
            value={duressRepeat}
            onChange={(e) => setDuressRepeat(e.target.value)}
          />
        </div>
        <fieldset className="choices">
          <legend>{t('home.protectionSettings.whenItIsTyped')}</legend>
          <label className="check">
            <input type="radio" name="duress-action" checked={action === 'decoy'} onChange={() => setAction('decoy')} />{' '}
            {t('home.protectionSettings.openTheDecoyVault')}
          </label>
          <label className="check">
            <input type="radio" name="duress-action" checked={action === 'wipe'} onChange={() => setAction('wipe')} />{' '}
            {t('home.protectionSettings.eraseThisVaultThen')}
          </label>
          {action === 'wipe' ? (
            <label className="check">
              <input type="checkbox" checked={keepRecovery} onChange={(e) => setKeepRecovery(e.target.checked)} />{' '}
              {t('home.protectionSettings.keepTheRecoveryKeys')}
            </label>
          ) : null}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy || !decoyDir || !duressPassphrase || !duressRepeat}>
            {t('home.protectionSettings.setDuressPassphrase')}
          </button>
          {protection.duress.on ? (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  show(await api['vault:deleteDuress']({}))
                  return t('home.protectionSettings.duressPassphraseTurnedOff')
                })
              }
            >
              {t('home.protectionSettings.turnOff')}
            </button>
          ) : null}
        </div>
      </form>

      <ErrorMessage message={error} />
      {message ? (
        <p className="notice" role="status" data-testid="protection-message">
          {message}
        </p>
      ) : null}
    </section>
  )
}
