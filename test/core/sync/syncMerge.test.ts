// Core (Node): sync's merge rules on their own — the latest common ancestor of two heads in a revision graph (criss-
// cross merges included), the three-way field merge and its conflicts, and key order never mattering.
import { describe, expect, it } from 'vitest'
import { canonicalJson, commonAncestor, mergeFields, orderHeads, type MergeNode } from '../../../electron/core/sync/syncMerge'

const at = (minute: number) => `2026-12-04T10:${String(minute).padStart(2, '0')}:00.000Z`

describe('sync merge', () => {
  it('finds the latest common ancestor, not an older one, and none for unrelated nodes', () => {
    const nodes: Record<string, MergeNode> = {
      root: { parents: [], savedAt: at(0) },
      a1: { parents: ['root'], savedAt: at(1) },
      b1: { parents: ['root'], savedAt: at(2) },
      // Criss-cross: both sides merged both, then went on.
      m1: { parents: ['a1', 'b1'], savedAt: at(3) },
      m2: { parents: ['a1', 'b1'], savedAt: at(4) },
      a2: { parents: ['m1'], savedAt: at(5) },
      b2: { parents: ['m2'], savedAt: at(6) },
      other: { parents: [], savedAt: at(7) },
    }
    expect(commonAncestor(nodes, 'a1', 'b1')).toBe('root')
    expect(commonAncestor(nodes, 'a2', 'a1')).toBe('a1')
    // a1 and b1 are both common ancestors and neither is above the other: the later save is taken.
    expect(commonAncestor(nodes, 'a2', 'b2')).toBe('b1')
    expect(commonAncestor(nodes, 'a2', 'other')).toBeNull()
    expect(orderHeads(nodes, ['b2', 'a2', 'other'])).toEqual(['a2', 'b2', 'other'])
  })

  it('takes a field changed on one side, conflicts only where both changed it differently, and ignores key order', () => {
    const base = { region: 'Kherson', gender: 'unknown', note: { a: 1, b: 2 }, gone: 'x' }
    const ours = { region: 'Zaporizhzhia', gender: 'unknown', note: { b: 2, a: 1 }, gone: 'x' }
    const theirs = { region: 'Kherson', gender: 'male', note: { a: 1, b: 2 } }
    expect(mergeFields(base, ours, theirs)).toEqual({
      merged: { region: 'Zaporizhzhia', gender: 'male', note: { b: 2, a: 1 } },
      conflicts: [],
    })
    const both = mergeFields(base, { ...base, region: 'From Oslo' }, { ...base, region: 'From Kyiv' })
    expect(both).toEqual({ merged: { ...base, region: 'From Kyiv' }, conflicts: ['region'] })
    expect(mergeFields(base, { ...base, region: 'Same' }, { ...base, region: 'Same' }).conflicts).toEqual([])
    // No common ancestor: every field that differs is a conflict.
    expect(mergeFields(null, { region: 'A', gender: 'm' }, { region: 'B', gender: 'm' }).conflicts).toEqual(['region'])
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}')
  })
})
