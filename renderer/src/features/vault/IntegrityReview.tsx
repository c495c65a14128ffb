// Renderer: the review a person must answer when the unlock found the vault changed outside Custodia (a removed record,
// an edited setting, a cut activity log…). It stands in for the whole workspace until a choice is made: keep working
// with what is there (vault:acceptIntegrity, recorded in the activity log) or lock. Focus starts on the dialog,
// Escape locks (the choice that changes nothing), Tab stays inside.
import { useEffect, useEffectEvent, useRef, useState } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import type { IntegrityProblem } from '../../../../shared/ipc/channels/vaultChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { usePageTitle } from '../../hooks/usePageTitle'
import { t } from '../../i18n/intl'

/** Every visible string of the review, in one place (the renderer has no i18n catalog yet). */
export const INTEGRITY_TEXT = {
  title: t('vault.integrityReview.thisVaultWasChanged'),
  explanation: t('vault.integrityReview.sinceCustodiaLastUsed') + t('vault.integrityReview.whenAnOlderCopy'),
  nothingYet: t('vault.integrityReview.custodiaHasNotChanged'),
  foundHeading: t('vault.integrityReview.whatCustodiaFound'),
  affected: t('vault.integrityReview.affected'),
  more: (count: number) => t('vault.integrityReview.andMore', { count }),
  choiceHeading: t('vault.integrityReview.whatWouldYouLike'),
  lock: t('vault.integrityReview.lockTheVault'),
  lockHelp: t('vault.integrityReview.closesTheVaultAnd') + t('vault.integrityReview.computersForHelpCustodia'),
  keep: t('vault.integrityReview.keepWorkingWithWhat'),
  keepHelp: t('vault.integrityReview.acceptsTheVaultAs') + t('vault.integrityReview.yourChoiceIsRecorded'),
  keeping: t('vault.integrityReview.openingTheVault'),
  locking: t('vault.integrityReview.locking'),
} as const

/** How many ids of one problem are listed before "and N more". */
const MAX_IDS = 5
/** Record and attachment ids are 32 hex characters; the first 8 are enough to tell them apart on screen. */
const SHORT_ID_LENGTH = 8

export function IntegrityReview({ problems, onStatus }: { problems: readonly IntegrityProblem[]; onStatus: (status: VaultState) => void }) {
  const api = useApi()
  usePageTitle(INTEGRITY_TEXT.title)
  const boxRef = useRef<HTMLElement>(null)
  const [busy, setBusy] = useState<'keep' | 'lock' | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Set before the call starts, so a second Escape or click while it runs does nothing.
  const busyRef = useRef(false)

  const choose = async (choice: 'keep' | 'lock') => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(choice)
    setError(null)
    try {
      onStatus(await (choice === 'keep' ? api['vault:acceptIntegrity']({}) : api['vault:lock']({})))
    } catch (err) {
      setError(describeError(err))
      busyRef.current = false
      setBusy(null)
    }
  }

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    const box = boxRef.current
    if (!box) return
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      void choose('lock')
    } else if (e.key === 'Tab') {
      const buttons = [...box.querySelectorAll('button')].filter((b) => !b.disabled)
      const first = buttons[0]
      const last = buttons[buttons.length - 1]
      if (!first || !last) {
        e.preventDefault()
        return
      }
      const active = document.activeElement
      const outside = !active || active === box || !box.contains(active)
      if (e.shiftKey && (active === first || outside)) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && (active === last || outside)) {
        e.preventDefault()
        first.focus()
      }
    }
  })

  useEffect(() => {
    boxRef.current?.focus()
    const listener = (e: KeyboardEvent) => onKey(e)
    window.addEventListener('keydown', listener, true)
    return () => window.removeEventListener('keydown', listener, true)
  }, [])

  return (
    <main className="centered">
      <section
        className="card integrity-review"
        role="dialog"
        aria-modal="true"
        aria-labelledby="integrity-title"
        aria-describedby="integrity-explanation"
        tabIndex={-1}
        ref={boxRef}
        aria-busy={busy !== null}
        data-testid="integrity-review"
      >
        <h1 id="integrity-title">{INTEGRITY_TEXT.title}</h1>
        <p id="integrity-explanation">{INTEGRITY_TEXT.explanation}</p>
        <p className="lede">{INTEGRITY_TEXT.nothingYet}</p>

        <h2>{INTEGRITY_TEXT.foundHeading}</h2>
        <ul className="integrity-problems">
          {problems.map((problem, index) => (
            <li key={`${problem.area}-${index}`} data-testid="integrity-problem">
              <span>{problem.message}</span>
              {problem.ids.length > 0 ? <AffectedIds ids={problem.ids} /> : null}
            </li>
          ))}
        </ul>

        <h2>{INTEGRITY_TEXT.choiceHeading}</h2>
        <div className="integrity-choices">
          <div className="integrity-choice">
            <button type="button" onClick={() => void choose('lock')} disabled={busy !== null} aria-describedby="integrity-lock-help">
              {busy === 'lock' ? INTEGRITY_TEXT.locking : INTEGRITY_TEXT.lock}
            </button>
            <p id="integrity-lock-help" className="hint">
              {INTEGRITY_TEXT.lockHelp}
            </p>
          </div>
          <div className="integrity-choice">
            <button
              type="button"
              className="primary"
              onClick={() => void choose('keep')}
              disabled={busy !== null}
              aria-describedby="integrity-keep-help"
            >
              {busy === 'keep' ? INTEGRITY_TEXT.keeping : INTEGRITY_TEXT.keep}
            </button>
            <p id="integrity-keep-help" className="hint">
              {INTEGRITY_TEXT.keepHelp}
            </p>
          </div>
        </div>
        <ErrorMessage message={error} />
      </section>
    </main>
  )
}

/** The first ids of one problem, shortened, then how many more there are. */
function AffectedIds({ ids }: { ids: readonly string[] }) {
  const shown = ids.slice(0, MAX_IDS)
  const rest = ids.length - shown.length
  return (
    <span className="integrity-ids">
      {INTEGRITY_TEXT.affected}{' '}
      {shown.map((id, index) => (
        <span key={id}>
          <code title={id}>{id.slice(0, SHORT_ID_LENGTH)}</code>
          {index < shown.length - 1 ? ', ' : null}
        </span>
      ))}
      {rest > 0 ? ` ${INTEGRITY_TEXT.more(rest)}` : null}
    </span>
  )
}
