// Main process / CLI (Node only): the import ledger — one encrypted vault record (kind 'bundle-import') per bundle
// imported here, naming the bundle, its signer's fingerprint and the name its manifest gives the sender, and for each
// import when it happened and which items it stored (the item's id in the bundle, the record it became here, the
// sender's revision of it). It is how importing the same bundle twice is refused, and how an older revision from a
// sender is kept from overwriting a newer one (it is kept in the record's history instead, once).
// Like every record it is sealed: nothing about imports is readable without the vault key.
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { formatPlainDate } from '../../../shared/text/plainDate'
import type { Vault } from '../vault/vault'

export const IMPORT_LEDGER_RECORD_KIND = 'bundle-import'

const itemSchema = z.strictObject({ item: z.string(), record: z.string(), revision: z.number().int().min(0) })
const importSchema = z.strictObject({ at: z.string(), items: z.array(itemSchema) })
// senderName: the manifest's sender.name (1–200 characters), kept from this version on; absent in entries written
// before, which then name their sender by fingerprint only. Optional within v 1 so that those entries read unchanged.
const bodySchema = z.strictObject({
  v: z.literal(1),
  bundleId: z.string(),
  signer: z.string(),
  senderName: z.string().min(1).max(200).optional(),
  imports: z.array(importSchema).min(1),
})
// The summary is what a lookup decrypts for every ledger record; the item lists stay in the body.
const summarySchema = z.strictObject({ v: z.literal(1), bundleId: z.string(), signer: z.string(), firstImportedAt: z.string() })

/** One item stored by an import: its id in the bundle, the record it became here, the sender's revision number. */
export type LedgerItem = z.infer<typeof itemSchema>

export interface BundleLedger {
  /** The ledger record's id in the vault. */
  readonly recordId: string
  readonly bundleId: string
  /** Fingerprint of the key that signed the bundle. */
  readonly signer: string
  /** The sender as the bundle's manifest names itself (not verified); null for an entry written before it was kept. */
  readonly senderName: string | null
  /** Oldest first; `at` is ISO 8601 UTC. */
  readonly imports: readonly { readonly at: string; readonly items: readonly LedgerItem[] }[]
}

type LedgerSummary = z.infer<typeof summarySchema>

function listLedgerSummaries(vault: Vault): { id: string; summary: LedgerSummary }[] {
  return vault.listRecords({ kind: IMPORT_LEDGER_RECORD_KIND }).map((r) => {
    const parsed = summarySchema.safeParse(r.summary)
    if (!parsed.success) throw new CustodiaError('CORRUPT', 'The list of imported bundles is damaged')
    return { id: r.id, summary: parsed.data }
  })
}

function readLedger(vault: Vault, recordId: string): BundleLedger {
  const parsed = bodySchema.safeParse(vault.getRecord(recordId).body)
  if (!parsed.success) throw new CustodiaError('CORRUPT', 'The list of imported bundles is damaged')
  const { bundleId, signer, senderName, imports } = parsed.data
  return { recordId, bundleId, signer, senderName: senderName ?? null, imports }
}

/** This bundle's ledger (by the id computeBundleId gives it), or null when it was never imported here. */
export function findBundleLedger(vault: Vault, bundleId: string): BundleLedger | null {
  const found = listLedgerSummaries(vault).find((s) => s.summary.bundleId === bundleId)
  return found ? readLedger(vault, found.id) : null
}

/** When each item of a bundle was first imported here (ISO 8601), by its id in the bundle. */
export function listImportedItems(ledger: BundleLedger | null): Map<string, string> {
  const dates = new Map<string, string>()
  for (const { at, items } of ledger?.imports ?? []) for (const { item } of items) if (!dates.has(item)) dates.set(item, at)
  return dates
}

/**
 * Refuses (CONFLICT) to import again items of a bundle that were already imported here, naming the day in plain
 * words: "This bundle was already imported on 3 December 2026." when every one of `itemIds` was, else how many were.
 */
export function refuseReimport(ledger: BundleLedger | null, itemIds: Iterable<string>): void {
  const dates = listImportedItems(ledger)
  const chosen = [...new Set(itemIds)]
  const again = chosen.filter((id) => dates.has(id))
  if (again.length === 0) return
  const day = formatPlainDate(dates.get(again[0]!)!)
  if (again.length === chosen.length) throw new CustodiaError('CONFLICT', `This bundle was already imported on ${day}.`)
  throw new CustodiaError(
    'CONFLICT',
    `${again.length} of the chosen items were already imported from this bundle on ${day}: choose only the others.`,
  )
}

/** What was imported from one signer for one record here: the newest revision, and every revision stored. */
export interface SenderRevisions {
  readonly newest: number
  readonly stored: ReadonlySet<number>
}

/**
 * For each record here (by its id here) that bundles signed by `signer` brought: the newest revision number imported,
 * and every revision number imported. Decrypts the ledger bodies of that signer's bundles only.
 */
export function readSenderRevisions(vault: Vault, signer: string): Map<string, SenderRevisions> {
  const found = new Map<string, { newest: number; stored: Set<number> }>()
  for (const { id, summary } of listLedgerSummaries(vault)) {
    if (summary.signer !== signer) continue
    for (const { items } of readLedger(vault, id).imports) {
      for (const { record, revision } of items) {
        const entry = found.get(record) ?? { newest: 0, stored: new Set<number>() }
        entry.newest = Math.max(entry.newest, revision)
        entry.stored.add(revision)
        found.set(record, entry)
      }
    }
  }
  return found
}

/**
 * Adds one import to the ledger: a new ledger record at a bundle's first import, a new revision of it afterwards.
 * Synchronous: call it inside the import's vault.transaction(), so the ledger and the records it names are written
 * together or not at all. `existing` is findBundleLedger's answer read inside that same transaction.
 */
export function noteBundleImport(
  vault: Vault,
  existing: BundleLedger | null,
  entry: { bundleId: string; signer: string; senderName: string; at: string; items: readonly LedgerItem[] },
): void {
  const imports = [...(existing?.imports ?? []), { at: entry.at, items: [...entry.items] }]
  const body = { v: 1, bundleId: entry.bundleId, signer: entry.signer, senderName: entry.senderName, imports }
  const summary: LedgerSummary = { v: 1, bundleId: entry.bundleId, signer: entry.signer, firstImportedAt: imports[0]!.at }
  if (existing) vault.updateRecord(existing.recordId, { summary, body })
  else vault.createRecord(IMPORT_LEDGER_RECORD_KIND, { summary, body })
}

/** One import that stored a record here: which bundle, signed by whom, when, and the sender's revision of it. */
export interface RecordImport {
  readonly bundleId: string
  /** Fingerprint of the key that signed the bundle. */
  readonly signer: string
  /** The sender as the bundle's manifest names itself (not verified); null for an import recorded before it was kept. */
  readonly senderName: string | null
  /** ISO 8601 UTC. */
  readonly importedAt: string
  /** The item's id in the bundle (the record's id at the sender). */
  readonly itemId: string
  /** The sender's revision number of the item. */
  readonly revision: number
  /** How many items that import stored in all. */
  readonly itemsInImport: number
}

/**
 * Every import that stored `recordId` here, newest first (empty for a record made here). Decrypts every ledger body:
 * the ledger keeps no index by record, so that nothing about a record's origin is readable from summaries alone.
 */
export function listRecordImports(vault: Vault, recordId: string): RecordImport[] {
  const found: RecordImport[] = []
  for (const { id } of listLedgerSummaries(vault)) {
    const ledger = readLedger(vault, id)
    for (const { at, items } of ledger.imports) {
      for (const { item, record, revision } of items) {
        if (record === recordId)
          found.push({
            bundleId: ledger.bundleId,
            signer: ledger.signer,
            senderName: ledger.senderName,
            importedAt: at,
            itemId: item,
            revision,
            itemsInImport: items.length,
          })
      }
    }
  }
  return found.sort((a, b) => b.importedAt.localeCompare(a.importedAt))
}
