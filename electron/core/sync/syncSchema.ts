// Main process / CLI (Node only): the dossier schema (custom fields and lists of choices: facilities, regions, …)
// travels as one record the whole team shares. Each vault made its own schema record under a random id before it
// joined; sync gives it the team's id (derived from the team key), so every replica's schema is one record with one
// revision graph, and edits made in different offices merge element by element: a field, a list or a choice added
// anywhere is kept, a rename or retirement on one side is taken, and only the same label renamed differently on both
// sides is a conflict. Ids of fields and choices never change (DOSSIERS.md), so dossiers keep their meaning.
// docs/SYNC.md "The dossier schema".
import { DossierSchemaConfigSchema, DOSSIER_SCHEMA_RECORD_KIND, type DossierSchemaConfig } from '../../../shared/dossiers/dossierSchema'
import type { Vault } from '../vault/vault'
import { ChangeSetRefusal } from './syncFormat'
import { commonAncestor, mergeFields, orderHeads, type MergeNode } from './syncMerge'
import { deriveSyncId, teamKeyOf, type SyncContext, type TeamState } from './syncState'

/** The id every replica of the team gives its dossier schema record: BLAKE2b-128 keyed with the team's first key. */
export function teamSchemaId(ctx: SyncContext, team: TeamState): string {
  const key = teamKeyOf(team)
  try {
    return deriveSyncId(ctx.sodium, key, 'dossier-schema', team.teamId)
  } finally {
    ctx.sodium.memzero(key)
  }
}

/**
 * Moves this vault's schema record, if it has one under another id, to the team's id (same content, in one
 * transaction: the new record is made and the old one deleted). Its old id never travelled, so nothing else refers to
 * it; dossiers refer to field and choice ids, which stay. Returns true when it moved one.
 */
export function adoptTeamSchemaId(ctx: SyncContext, team: TeamState): boolean {
  const { vault } = ctx
  const rows = vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND })
  const teamId = teamSchemaId(ctx, team)
  const own = rows.find((row) => row.id !== teamId)
  if (own === undefined) return false
  vault.transaction(() => {
    const record = vault.getRecord(own.id)
    if (!vault.hasRecord(teamId))
      vault.createRecord(DOSSIER_SCHEMA_RECORD_KIND, { summary: { v: 1 }, body: record.body }, { id: teamId, author: record.author })
    vault.deleteRecord(own.id)
  })
  return true
}

/** True when a change names the dossier schema under the team's id (any other id is refused: it would be a second schema). */
export function isTeamSchema(ctx: SyncContext, team: TeamState, recordId: string): boolean {
  return recordId === teamSchemaId(ctx, team)
}

/** What a schema's heads combine into, and the labels renamed differently on both sides. */
export interface SchemaMerge {
  readonly body: DossierSchemaConfig | null
  readonly conflicts: string[]
}

/**
 * Merges the heads of the schema's graph (ordered as orderHeads does, so every replica gets the same result): each
 * field, list and choice is compared on its own, three-way from the heads' latest common ancestor (none: the empty
 * schema, so each side's additions are kept). The order of fields, lists and choices is the first head's, then what
 * later heads added, in their order. null when the merged schema breaks a rule across elements (the caller then shows
 * the latest head whole).
 */
export function mergeSchemaHeads(
  nodes: Readonly<Record<string, MergeNode>>,
  heads: readonly string[],
  bodyOf: (node: string) => unknown,
): SchemaMerge {
  const ordered = orderHeads(nodes, heads)
  const bodies = ordered.map((node) => bodyOf(node) as DossierSchemaConfig)
  let merged = flattenSchema(bodies[0]!)
  const conflicts = new Set<string>()
  ordered.slice(1).forEach((head, index) => {
    const baseNode = commonAncestor(nodes, ordered[0]!, head)
    const base = baseNode === null ? {} : flattenSchema(bodyOf(baseNode) as DossierSchemaConfig)
    const result = mergeFields(base, merged, flattenSchema(bodies[index + 1]!))
    result.conflicts.forEach((key) => conflicts.add(key))
    merged = result.merged
  })
  const body = joinSchema(merged, bodies)
  return { body, conflicts: [...conflicts].sort() }
}

// Flat keys, one per thing that can change on its own: a field's definition (type and list: fixed once made), its
// label and its retirement; a list's label; a choice's label and retirement.
function flattenSchema(schema: DossierSchemaConfig): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  for (const field of schema.fields) {
    flat[`field ${field.id}`] = { type: field.type, vocabulary: field.vocabulary ?? null }
    flat[`field ${field.id} label`] = field.label
    if (field.retired) flat[`field ${field.id} retired`] = true
  }
  for (const list of schema.vocabularies) {
    flat[`list ${list.id} label`] = list.label
    for (const entry of list.entries) {
      flat[`list ${list.id} choice ${entry.id} label`] = entry.label
      if (entry.retired) flat[`list ${list.id} choice ${entry.id} retired`] = true
    }
  }
  return flat
}

function firstSeen<T>(lists: readonly (readonly T[])[], idOf: (item: T) => string): string[] {
  const ids: string[] = []
  const seen = new Set<string>()
  for (const list of lists)
    for (const item of list) {
      const id = idOf(item)
      if (!seen.has(id)) ids.push(id)
      seen.add(id)
    }
  return ids
}

function joinSchema(flat: Record<string, unknown>, bodies: readonly DossierSchemaConfig[]): DossierSchemaConfig | null {
  const fields = firstSeen(
    bodies.map((b) => b.fields),
    (f) => f.id,
  )
    .filter((id) => flat[`field ${id}`] !== undefined)
    .map((id) => {
      const def = flat[`field ${id}`] as { type: DossierSchemaConfig['fields'][number]['type']; vocabulary: string | null }
      return {
        id,
        label: String(flat[`field ${id} label`]),
        type: def.type,
        ...(def.vocabulary === null ? {} : { vocabulary: def.vocabulary }),
        ...(flat[`field ${id} retired`] === true ? { retired: true } : {}),
      }
    })
  const vocabularies = firstSeen(
    bodies.map((b) => b.vocabularies),
    (v) => v.id,
  )
    .filter((id) => flat[`list ${id} label`] !== undefined)
    .map((id) => ({
      id,
      label: String(flat[`list ${id} label`]),
      entries: firstSeen(
        bodies.map((b) => b.vocabularies.find((v) => v.id === id)?.entries ?? []),
        (e) => e.id,
      )
        .filter((entryId) => flat[`list ${id} choice ${entryId} label`] !== undefined)
        .map((entryId) => ({
          id: entryId,
          label: String(flat[`list ${id} choice ${entryId} label`]),
          ...(flat[`list ${id} choice ${entryId} retired`] === true ? { retired: true } : {}),
        })),
    }))
  const parsed = DossierSchemaConfigSchema.safeParse({ v: 1, fields, vocabularies })
  return parsed.success ? parsed.data : null
}

/**
 * Checks a schema revision from another device against this vault's schema: a field keeps its type and list for
 * ever (dossiers hold values of that type), so a revision that changes one is refused. Ids it does not know yet are
 * additions. ChangeSetRefusal when it breaks the rule.
 */
export function checkSchemaRevision(vault: Vault, recordId: string, incoming: DossierSchemaConfig): void {
  if (!vault.hasRecord(recordId)) return
  const current = DossierSchemaConfigSchema.safeParse(vault.getRecord(recordId).body)
  if (!current.success) return
  for (const field of incoming.fields) {
    const known = current.data.fields.find((f) => f.id === field.id)
    if (known && (known.type !== field.type || (known.vocabulary ?? null) !== (field.vocabulary ?? null)))
      throw new ChangeSetRefusal(`changes what the dossier field “${known.label}” holds, which no one may do (retire it and add another)`)
  }
}
