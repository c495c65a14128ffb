// Main process (and the e2e harness): handlers of the vault's audit log.
import type { auditChannels } from '../../../../shared/ipc/channels/auditChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createAuditHandlers(ctx: HandlerContext): AreaHandlers<typeof auditChannels> {
  const { session } = ctx
  return {
    'audit:verify': () => {
      const result = session.requireVault().audit.verify()
      return { ok: result.ok, entries: result.entries, firstBrokenSeq: result.ok ? null : result.firstBrokenSeq }
    },
  }
}
