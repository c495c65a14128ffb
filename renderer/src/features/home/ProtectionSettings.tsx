// Renderer: Security → "If the laptop is taken" (admins): erase the keys after N wrong passphrases in a row, and a duress
// passphrase that opens a decoy vault (or erases this one first). Each says plainly what it does and what it cannot do;
// the vault checks every value (docs/CRYPTO.md sections 13 and 14).
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultProtection } from '../../../../shared/ipc/channels/vaultChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { FolderField } from '../vault/FolderField'

const WIPE_CHOICES = [3, 5, 10, 15, 20] as const

/** One sentence for what is set now, in the user's words. */
export function describeWipe(protection: VaultProtection): string {
  if (protection.wipeAfter === null) return 'Off: wrong passphrases only slow a guesser down.'
  return protection.wipeIncludesRecovery
    ? `On: after ${protection.wipeAfter} wrong tries in a row, this vault is erased for good — the recovery keys too. Nobody will be able to open it again; only a backup can bring it back.`
    : `On: after ${protection.wipeAfter} wrong tries in a row, the passphrases of this vault are erased. The recovery keys still open it.`
}

export function describeDuress(protection: VaultProtection): string {
  const { duress } = protection
  if (!duress.on) return 'Not set.'
  return duress.action === 'wipe'
    ? `Set: it erases this vault${duress.keepRecovery ? ' (the recovery keys still open it)' : ' for good'}, then opens your decoy vault.`
    : 'Set: it opens your decoy vault instead of this one.'
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
      setError('The two duress passphrases are not the same.')
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
      return `Duress passphrase ${describeDuress(next).charAt(0).toLowerCase()}${describeDuress(next).slice(1)}`
    })
  }

  if (!protection) return <ErrorMessage message={error} />
  return (
    <section className="subform protection" aria-labelledby="protection-title" data-testid="protection-settings">
      <h2 id="protection-title">If the laptop is taken</h2>

      <form onSubmit={saveWipe}>
        <h3>Erase after wrong passphrases</h3>
        <p className="hint" id="wipe-hint">
          After this many wrong passphrases or recovery keys in a row, Custodia erases the keys of this vault on this computer, so nobody
          can keep guessing here. The lock screen warns before the last try, and a right passphrase starts the count again. It does not help
          against someone who copied the vault folder first: they can guess on their copy as long as they like, so a long passphrase matters
          most. Someone who can change the files can also reset the count.
        </p>
        <p role="status" data-testid="wipe-status">
          {describeWipe(protection)}
        </p>
        <div className="field">
          <label htmlFor="wipe-after">Erase after</label>
          <select
            id="wipe-after"
            aria-describedby="wipe-hint"
            value={wipeAfter}
            disabled={busy}
            onChange={(e) => setWipeAfter(e.target.value)}
          >
            <option value="off">Never</option>
            {WIPE_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {n} wrong tries in a row
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
          Erase the recovery keys too. Then nobody — not you either, not even with a recovery key — can ever open this vault again; only a
          backup can bring it back.
        </label>
        <button type="submit" disabled={busy}>
          Save
        </button>
      </form>

      <form onSubmit={saveDuress}>
        <h3>Duress passphrase</h3>
        <p className="hint" id="duress-hint">
          A second passphrase for when someone forces you to unlock. Typed on the lock screen, it looks and takes as long as a normal
          unlock, but opens a decoy vault you prepared — another Custodia vault with harmless content — and, if you choose, erases this
          vault first. Create the decoy first, then type its passphrase here. Nothing in this vault’s files shows that a duress passphrase
          is set, but the size of the folders can show that this vault holds more than the decoy. Changing your passphrase turns it off.
        </p>
        <p role="status" data-testid="duress-status">
          {describeDuress(protection)}
        </p>
        <FolderField id="decoy-dir" label="Decoy vault folder" value={decoyDir} purpose="open" onChange={setDecoyDir} />
        <div className="field">
          <label htmlFor="duress-passphrase">Duress passphrase (the decoy vault’s passphrase)</label>
          <input
            id="duress-passphrase"
            type="password"
            autoComplete="off"
            value={duressPassphrase}
            onChange={(e) => setDuressPassphrase(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="duress-repeat">Repeat it</label>
          <input
            id="duress-repeat"
            type="password"
            autoComplete="off"
            value={duressRepeat}
            onChange={(e) => setDuressRepeat(e.target.value)}
          />
        </div>
        <fieldset className="choices">
          <legend>When it is typed</legend>
          <label className="check">
            <input type="radio" name="duress-action" checked={action === 'decoy'} onChange={() => setAction('decoy')} /> Open the decoy
            vault
          </label>
          <label className="check">
            <input type="radio" name="duress-action" checked={action === 'wipe'} onChange={() => setAction('wipe')} /> Erase this vault,
            then open the decoy vault
          </label>
          {action === 'wipe' ? (
            <label className="check">
              <input type="checkbox" checked={keepRecovery} onChange={(e) => setKeepRecovery(e.target.checked)} /> Keep the recovery keys
              (they can still open this vault afterwards)
            </label>
          ) : null}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy || !decoyDir || !duressPassphrase || !duressRepeat}>
            Set duress passphrase
          </button>
          {protection.duress.on ? (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  show(await api['vault:deleteDuress']({}))
                  return 'Duress passphrase turned off.'
                })
              }
            >
              Turn off
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
