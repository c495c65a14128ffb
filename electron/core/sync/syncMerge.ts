// Main process / CLI (Node only): how sync combines the heads of one record's revision graph into the content every
// replica shows, as a function of the graph alone (never of the order change-sets arrived in): letters and documents
// show the latest head whole (the other head is kept in the history, a conflict); dossiers and annotations merge
// field by field from the heads' latest common ancestor and conflict only where both sides changed one field.
// Pure: no vault, no files. docs/SYNC.md "Merging".

/** One node of a record's revision graph, as the merge sees it. */
export interface MergeNode {
  readonly parents: readonly string[]
  readonly savedAt: string
}

/** JSON with object keys sorted, so two replicas compare values by content, never by key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** Heads in the order every replica uses: oldest save first, ties by node id; the last is the one a whole-record kind shows. */
export function orderHeads(nodes: Readonly<Record<string, MergeNode>>, heads: readonly string[]): string[] {
  return [...heads].sort((a, b) => {
    const sa = nodes[a]!.savedAt
    const sb = nodes[b]!.savedAt
    return sa === sb ? (a < b ? -1 : 1) : sa < sb ? -1 : 1
  })
}

function ancestorsOf(nodes: Readonly<Record<string, MergeNode>>, node: string): Set<string> {
  const seen = new Set<string>()
  const stack = [node]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id) || !nodes[id]) continue
    seen.add(id)
    stack.push(...nodes[id].parents)
  }
  return seen
}

/**
 * The latest common ancestor of two nodes (each counts as its own ancestor): among the common ancestors, one that is
 * no other common ancestor's ancestor; if several, the latest save (ties: greater id). null when they share none.
 */
export function commonAncestor(nodes: Readonly<Record<string, MergeNode>>, a: string, b: string): string | null {
  const ofA = ancestorsOf(nodes, a)
  const common = [...ancestorsOf(nodes, b)].filter((id) => ofA.has(id))
  if (common.length === 0) return null
  const dominated = new Set<string>()
  for (const id of common) for (const above of ancestorsOf(nodes, id)) if (above !== id) dominated.add(above)
  const best = orderHeads(
    nodes,
    common.filter((id) => !dominated.has(id)),
  )
  return best[best.length - 1]!
}

/** The result of merging two sides field by field: the merged fields and the fields both sides changed differently. */
export interface FieldMerge {
  readonly merged: Record<string, unknown>
  readonly conflicts: string[]
}

/**
 * Three-way merge of top-level fields: a field changed on one side only takes that side's value; changed on both to
 * the same value takes it; changed on both differently is a conflict and takes `theirs` (the later head: the same
 * choice everywhere). `base` null (no common ancestor): every differing field is a conflict.
 */
export function mergeFields(
  base: Record<string, unknown> | null,
  ours: Record<string, unknown>,
  theirs: Record<string, unknown>,
): FieldMerge {
  const merged: Record<string, unknown> = {}
  const conflicts: string[] = []
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base ?? {})])].sort()
  for (const key of keys) {
    const o = canonicalJson(ours[key])
    const t = canonicalJson(theirs[key])
    const b = base === null ? undefined : canonicalJson(base[key])
    let pick: 'ours' | 'theirs'
    if (o === t || t === b) pick = 'ours'
    else if (o === b) pick = 'theirs'
    else {
      pick = 'theirs'
      conflicts.push(key)
    }
    const value = pick === 'ours' ? ours[key] : theirs[key]
    if (value !== undefined) merged[key] = value
  }
  return { merged, conflicts }
}
