// E2E helper: axe-core run inside the page (Chromium), as the accessibility check of every screen. The library's
// source is evaluated through the DevTools protocol, which the page's CSP does not govern, so nothing is loosened for
// it; only serious and critical findings fail a test (moderate and minor ones are reported by name for the record).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeFinding {
  id: string
  impact: string | null
  help: string
  /** CSS selectors of the first few offending elements. */
  targets: string[]
}

/** Every axe violation on the page as it is now (WCAG 2.x A and AA rules plus axe's best practices). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> } }).axe
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
    }
    const results = await axe.run(document, { resultTypes: ['violations'] })
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }))
  })
}

/** The serious and critical findings only: what a screen must not have. */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  return (await axeFindings(page)).filter((finding) => finding.impact === 'serious' || finding.impact === 'critical')
}
