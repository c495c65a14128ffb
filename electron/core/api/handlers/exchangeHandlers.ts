// Main process (and the e2e harness): handlers of the exchange area — our identity, contacts, bundle export with
// progress events and cancel, bundle import through an opened (verified) bundle kept in the vault's tmp/ folder.
// Export jobs and the opened bundle are held by the session until the lock, which aborts or disposes them.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../../shared/errors'
import { checkBundlePassphrase } from '../../../../shared/passphrasePolicy'
import type { bundlesChannels } from '../../../../shared/ipc/channels/exchangeChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { listDocuments } from '../../library/documentService'
import { listDossierLists, listDossierSummaries } from '../../dossiers/dossierService'
import { addContact, listContacts, removeContact, setContactVerified, type Contact } from '../../exchange/contacts'
import { exportBundle, planExport, type ExportRequest } from '../../exchange/exportService'
import {
  describeOwnIdentity,
  exportOwnIdentityFile,
  parseIdentityFile,
  renameOwnIdentity,
  type PublicIdentity,
} from '../../exchange/identity'
import { importBundleItems, openBundleForImport, type ImportKeys, type ImportResult, type OpenedImport } from '../../exchange/importService'
import { listRecordOrigins } from '../../exchange/recordOrigins'
import type { Vault } from '../../vault/vault'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import { encodePassphrase } from '../../session/passphrase'
import { lockedError } from '../../session/vaultSession'

const MAX_IDENTITY_FILE = 8 * 1024
const MAX_KEY_FILE = 64 * 1024
const PROGRESS_INTERVAL_MS = 100

function toIdentityView(i: PublicIdentity) {
  return {
    name: i.name,
    organisation: i.organisation,
    recipient: i.recipient,
    fingerprint: i.fingerprint,
    recipientFingerprint: i.recipientFingerprint,
  }
}

function toContactView(c: Contact) {
  return { ...toIdentityView(c), id: c.id, verified: c.verified, addedAt: c.addedAt }
}

/** Reads a small text file chosen in a dialog; larger files are refused before reading (they are not what was asked for). */
function readSmallTextFile(file: string, limit: number, what: string): string {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw new CustodiaError('NOT_FOUND', `The ${what} cannot be read`)
  }
  if (!stat.isFile()) throw new CustodiaError('VALIDATION', `The ${what} is not a file`)
  if (stat.size > limit)
    throw new CustodiaError('VALIDATION', `This is not ${what === 'identity file' ? 'an identity file' : 'a key file'}: it is too large`)
  return fs.readFileSync(file, 'utf8')
}

function buildRequest(req: {
  selection: { recordIds?: string[] | undefined; all?: boolean | undefined }
  contactIds: string[]
  partnerNames: string[]
  profile: ExportRequest['profile']
  readable: boolean
  includeHistory: boolean
}): ExportRequest {
  return {
    selection: { ...(req.selection.recordIds ? { recordIds: req.selection.recordIds } : {}), ...(req.selection.all ? { all: true } : {}) },
    contactIds: req.contactIds,
    partnerNames: req.partnerNames,
    ...(req.profile ? { profile: req.profile } : {}),
    readable: req.readable,
    includeHistory: req.includeHistory,
  }
}

export function createBundlesHandlers(ctx: HandlerContext): AreaHandlers<typeof bundlesChannels> {
  const { session, platform } = ctx
  const exports = new Map<string, AbortController>()
  // One opened bundle at a time: its plaintext sits in <vault>/tmp until imported, closed or the vault locks. At a
  // lock its disposer forgets it and starts removing its folder; the session then empties tmp/ synchronously, so the
  // files are gone when lock() returns.
  let openedImport: { token: string; vault: Vault; opened: OpenedImport; release: () => void } | null = null

  const closeImport = async (): Promise<void> => {
    const current = openedImport
    openedImport = null
    if (!current) return
    current.release()
    await current.opened.dispose()
  }
  const requireImport = (token: string): OpenedImport => {
    const vault = session.requireVault()
    if (!openedImport || openedImport.token !== token || openedImport.vault !== vault) {
      throw new CustodiaError('NOT_FOUND', 'This bundle is no longer open: open it again')
    }
    return openedImport.opened
  }
  const chooseSave = (name: string, kind: 'bundle' | 'identity'): Promise<string | null> =>
    platform.chooseBundleSaveLocation ? platform.chooseBundleSaveLocation(name, kind) : platform.chooseSaveLocation(name)

  return {
    'exchange:getIdentity': () => toIdentityView(describeOwnIdentity(session.requireVault())),
    'exchange:renameIdentity': ({ name, organisation }) =>
      toIdentityView(renameOwnIdentity(session.requireVault(), { name, organisation })),
    'exchange:getIdentityFile': () => ({ text: exportOwnIdentityFile(session.requireVault()) }),
    'exchange:exportIdentityFile': async () => {
      const text = exportOwnIdentityFile(session.requireVault())
      const dest = await chooseSave('custodia-identity.txt', 'identity')
      if (dest === null) return { saved: false }
      // 0600 like every file we write, although it holds no secret: the name and organisation say who works with
      // Custodia, and the user hands the file on deliberately (by mail, on a stick), not by leaving it readable.
      writeUserFileSync(dest, text)
      return { saved: true }
    },
    'contacts:list': () => ({ contacts: listContacts(session.requireVault()).map(toContactView) }),
    'contacts:openIdentityFile': async () => {
      session.requireVault()
      const [file] = await platform.chooseFiles('identity')
      return { text: file === undefined ? null : readSmallTextFile(file, MAX_IDENTITY_FILE, 'identity file') }
    },
    'contacts:add': ({ text, verified }) => toContactView(addContact(session.requireVault(), parseIdentityFile(text), { verified })),
    'contacts:setVerified': ({ id, verified }) => toContactView(setContactVerified(session.requireVault(), id, verified)),
    'contacts:remove': ({ id }) => {
      removeContact(session.requireVault(), id)
      return {}
    },
    'bundles:listSources': () => {
      const vault = session.requireVault()
      return {
        documents: listDocuments(vault).map((d) => ({ id: d.id, kind: d.kind, title: d.title, date: d.date, status: d.status })),
        dossiers: listDossierSummaries(vault).map((d) => ({
          id: d.id,
          name: d.summary.name,
          consent: d.summary.consent,
          status: d.summary.status,
          savedAt: d.savedAt,
        })),
        lists: listDossierLists(vault).map((l) => ({ id: l.id, name: l.name, count: l.dossierIds.length })),
      }
    },
    'bundles:planExport': (req) => {
      // Only whether a passphrase will be used matters for the plan (no named partner then, unless given).
      const plan = planExport(session.requireVault(), buildRequest(req))
      return {
        ...plan,
        items: [...plan.items],
        excluded: [...plan.excluded],
        audience:
          plan.audience.kind === 'public' ? { kind: 'public' as const } : { kind: 'partners' as const, names: [...plan.audience.names] },
      }
    },
    'bundles:export': async (req) => {
      session.requireVault()
      if (exports.has(req.jobId)) throw new CustodiaError('CONFLICT', 'This export is already running')
      // Refused before the save dialog, so nobody picks a place for a bundle that will not be written (exportBundle
      // enforces the same policy for every caller).
      const passphraseProblem = req.passphrase === undefined ? null : checkBundlePassphrase(req.passphrase)
      if (passphraseProblem) throw new CustodiaError('VALIDATION', passphraseProblem)
      const dest = await chooseSave(`custodia-bundle-${new Date().toISOString().slice(0, 10)}.custodia`, 'bundle')
      if (dest === null) return { saved: false as const }
      const vault = session.requireVault()
      const controller = new AbortController()
      let lockedOut = false
      // A lock aborts the job: the bundle writer removes its partial file in the abort itself, before lock() returns.
      const releaseJob = session.holdUntilLock(() => {
        lockedOut = true
        controller.abort()
      })
      exports.set(req.jobId, controller)
      const passphrase = req.passphrase === undefined ? undefined : encodePassphrase(req.passphrase)
      let last = 0
      try {
        const result = await exportBundle(
          vault,
          { ...buildRequest(req), ...(passphrase ? { passphrase } : {}) },
          {
            outPath: dest,
            signal: controller.signal,
            onProgress: (p) => {
              const now = Date.now()
              if (now - last < PROGRESS_INTERVAL_MS && p.bytesDone < p.bytesTotal) return
              last = now
              platform.emitEvent?.('bundles:progress', { jobId: req.jobId, ...p })
            },
          },
        )
        return {
          saved: true as const,
          fileName: path.basename(dest),
          items: result.items,
          attachments: result.attachments,
          excluded: result.excluded.length,
          bytes: result.bytes,
          recipientFingerprints: [...result.recipientFingerprints],
        }
      } catch (error) {
        if (lockedOut) throw lockedError()
        throw error
      } finally {
        releaseJob()
        passphrase?.fill(0)
        exports.delete(req.jobId)
      }
    },
    'bundles:cancel': ({ jobId }) => {
      exports.get(jobId)?.abort()
      return {}
    },
    'bundles:open': async ({ keys }) => {
      session.requireVault()
      const [file] = await platform.chooseFiles('bundle')
      if (file === undefined) return { opened: false as const }
      const importKeys: ImportKeys = {}
      if (keys.kind === 'identityFile') {
        const [keyFile] = await platform.chooseFiles('identity')
        if (keyFile === undefined) return { opened: false as const }
        Object.assign(importKeys, { identityFileText: readSmallTextFile(keyFile, MAX_KEY_FILE, 'key file') })
      } else if (keys.kind === 'passphrase') {
        Object.assign(importKeys, { passphrase: encodePassphrase(keys.passphrase) })
      }
      await closeImport()
      const vault = session.requireVault()
      // A lock while the bundle is being decrypted aborts it; openBundle then removes what it wrote.
      const opening = new AbortController()
      const releaseOpening = session.holdUntilLock(() => opening.abort())
      let opened: OpenedImport
      try {
        opened = await openBundleForImport(vault, file, importKeys, { signal: opening.signal })
      } catch (error) {
        if (opening.signal.aborted) throw lockedError()
        throw error
      } finally {
        releaseOpening()
        importKeys.passphrase?.fill(0)
      }
      const token = crypto.randomBytes(16).toString('hex')
      // Locked in the meantime: holdUntilLock disposes the bundle at once and answers VAULT_LOCKED.
      const release = session.holdUntilLock(() => {
        if (openedImport?.opened === opened) openedImport = null
        void opened.dispose().catch(() => undefined)
      })
      openedImport = { token, vault, opened, release }
      const preview = opened.preview
      return {
        opened: true as const,
        token,
        fileName: path.basename(file),
        preview: { ...preview, signer: { ...preview.signer }, items: preview.items.map((i) => ({ ...i })) },
      }
    },
    'bundles:import': async ({ token, ids, asRevisions, trustUnknownSigner }) => {
      const opened = requireImport(token)
      // Refusals (e.g. an unknown signer not yet trusted) keep the bundle open so the user can decide and retry.
      let result: ImportResult
      try {
        result = await importBundleItems(session.requireVault(), opened, { ids, asRevisions, trustUnknownSigner })
      } catch (error) {
        // Locked midway: the bundle was closed under the import, which is not the problem to report.
        if (!session.isUnlocked()) throw lockedError()
        throw error
      }
      await closeImport()
      return {
        created: [...result.created],
        revised: [...result.revised],
        keptInHistory: [...result.keptInHistory],
        attachments: result.attachments,
        skipped: [...result.skipped],
      }
    },
    'bundles:close': async ({ token }) => {
      if (openedImport?.token === token) await closeImport()
      return {}
    },
    'bundles:listOrigins': ({ recordId }) => ({ origins: listRecordOrigins(session.requireVault(), recordId) }),
  }
}
