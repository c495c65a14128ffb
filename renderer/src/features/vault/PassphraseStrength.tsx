// Renderer: passphrase strength meter (zxcvbn-ts, loaded on first use: its dictionaries are large).
import { useEffect, useState } from 'react'
import { t } from '../../i18n/intl'

type Estimate = { score: 0 | 1 | 2 | 3 | 4; warning: string; suggestions: string[] }
type Estimator = (password: string) => Estimate

let estimatorPromise: Promise<Estimator> | null = null

function loadEstimator(): Promise<Estimator> {
  estimatorPromise ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ])
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    })
    return (password: string) => {
      const result = factory.check(password)
      return {
        score: result.score,
        warning: result.feedback.warning ?? '',
        suggestions: result.feedback.suggestions,
      }
    }
  })()
  return estimatorPromise
}

const LABELS = [
  t('vault.passphraseStrength.veryWeak'),
  t('vault.passphraseStrength.weak'),
  t('vault.passphraseStrength.fair'),
  t('vault.passphraseStrength.strong'),
  t('vault.passphraseStrength.veryStrong'),
] as const

export function PassphraseStrength({ passphrase }: { passphrase: string }) {
  const [estimate, setEstimate] = useState<Estimate | null>(null)
  useEffect(() => {
    let current = true
    if (!passphrase) {
      setEstimate(null)
      return
    }
    void loadEstimator().then((estimateOf) => {
      if (current) setEstimate(estimateOf(passphrase))
    })
    return () => {
      current = false
    }
  }, [passphrase])

  if (!estimate) return <div className="strength" aria-hidden="true" />
  return (
    <div className="strength" data-score={estimate.score} data-testid="strength">
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={estimate.score}
        aria-label={t('vault.passphraseStrength.passphraseStrength')}
      />
      <span className="strength-label">{LABELS[estimate.score]}</span>
      {estimate.warning ? <span className="hint">{estimate.warning}</span> : null}
      {estimate.score < 3 && estimate.suggestions[0] ? <span className="hint">{estimate.suggestions[0]}</span> : null}
    </div>
  )
}

/** The meter advises; creation is refused only below this score, so a long passphrase of plain words still passes. */
export const MIN_ACCEPTED_SCORE = 3
export async function scorePassphrase(passphrase: string): Promise<number> {
  return (await loadEstimator())(passphrase).score
}
