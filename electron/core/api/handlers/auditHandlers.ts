// Main process (and the e2e harness): handlers of the vault's activity log — the chain check, the log in words, and
// the signed report (JSON signed with the vault's exchange identity, or a PDF printed by the platform).
import { CustodiaError } from '../../../../shared/errors'
import type { auditChannels } from '../../../../shared/ipc/channels/auditChannels'
import { listActivity, type ActivityFilter } from '../../activity/activityLog'
import { buildActivityPayload, buildActivityReportHtml, signActivityReport } from '../../activity/activityReport'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createAuditHandlers(ctx: HandlerContext): AreaHandlers<typeof auditChannels> {
  const { session } = ctx
  const list = (filter: ActivityFilter) => listActivity(session.requireVault(), session.member()?.role ?? null, filter)
  return {
    'audit:verify': () => {
      const result = session.requireVault().audit.verify()
      return { ok: result.ok, entries: result.entries, firstBrokenSeq: result.ok ? null : result.firstBrokenSeq }
    },
    'audit:list': (filter) => list(filter),
    'audit:exportReport': async ({ filter, format }) => {
      const vault = session.requireVault()
      // Built before asking, so a failing export shows no dialog and writes nothing.
      const listing = list(filter)
      const payload = buildActivityPayload(vault, listing, filter)
      const day = payload.generatedAt.slice(0, 10)
      if (format === 'json') {
        const { text, fingerprint } = signActivityReport(vault, payload)
        const dest = await ctx.platform.chooseSaveLocation(`Activity report ${day}.json`)
        if (dest === null) return { saved: false, fingerprint }
        writeUserFileSync(dest, text)
        vault.audit.append('activity.exported', { format, entries: payload.entries.length })
        return { saved: true, fingerprint }
      }
      if (!ctx.platform.renderPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available in this window.')
      const pdf = await ctx.platform.renderPdf(buildActivityReportHtml(payload, listing, null), 'A4')
      const dest = await ctx.platform.chooseSaveLocation(`Activity report ${day}.pdf`)
      if (dest === null) return { saved: false, fingerprint: null }
      writeUserFileSync(dest, pdf)
      vault.audit.append('activity.exported', { format, entries: payload.entries.length })
      return { saved: true, fingerprint: null }
    },
  }
}
