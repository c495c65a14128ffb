// Renderer: the TipTap extension that draws annotation highlights as ProseMirror inline decorations. The panel sets
// the ranges (already mapped from text offsets to positions); while the user types, the decorations move with the
// text (mapped through each transaction) until the panel sets them again.
import { Extension } from '@tiptap/react'
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

export interface HighlightRange {
  id: string
  from: number
  to: number
  resolved: boolean
}

export const annotationHighlightKey = new PluginKey<DecorationSet>('annotationHighlights')

interface HighlightSpec {
  id: string
  resolved: boolean
}

function decorate(from: number, to: number, spec: HighlightSpec, flash: boolean): Decoration {
  const cls = ['anno-hl', spec.resolved ? 'resolved' : '', flash ? 'flash' : ''].filter(Boolean).join(' ')
  return Decoration.inline(from, to, { class: cls, 'data-annotation-id': spec.id }, spec)
}

function buildDecorations(state: EditorState, ranges: readonly HighlightRange[]): DecorationSet {
  const size = state.doc.content.size
  const decorations = ranges
    .filter((r) => r.from >= 0 && r.to <= size && r.from < r.to)
    .map((r) => decorate(r.from, r.to, { id: r.id, resolved: r.resolved }, false))
  return DecorationSet.create(state.doc, decorations)
}

/**
 * Turns the flash of one highlight on or off. A class set by hand on the DOM would be undone by ProseMirror's next
 * redraw, so the flash is part of the decoration itself.
 */
export function flashHighlight(tr: Transaction, id: string, on: boolean): Transaction {
  return tr.setMeta(flashKey, { id, on }).setMeta('addToHistory', false)
}
const flashKey = new PluginKey('annotationFlash')

/** Replaces every highlight (a transaction that changes no content and adds no undo step). */
export function setHighlights(tr: Transaction, ranges: readonly HighlightRange[]): Transaction {
  return tr.setMeta(annotationHighlightKey, ranges).setMeta('addToHistory', false)
}

/** Where the highlight of an annotation is now (after the edits since it was set), or null. */
export function findHighlight(state: EditorState, id: string): { from: number; to: number } | null {
  const set = annotationHighlightKey.getState(state)
  const found = set?.find(undefined, undefined, (spec) => (spec as { id?: string }).id === id) ?? []
  if (found.length === 0) return null
  return { from: Math.min(...found.map((d) => d.from)), to: Math.max(...found.map((d) => d.to)) }
}

export const AnnotationHighlights = Extension.create({
  name: 'annotationHighlights',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: annotationHighlightKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, old, _oldState, newState) => {
            const ranges = tr.getMeta(annotationHighlightKey) as HighlightRange[] | undefined
            if (ranges) return buildDecorations(newState, ranges)
            const mapped = tr.docChanged ? old.map(tr.mapping, tr.doc) : old
            const flash = tr.getMeta(flashKey) as { id: string; on: boolean } | undefined
            if (!flash) return mapped
            const found = mapped.find(undefined, undefined, (spec) => (spec as Partial<HighlightSpec>).id === flash.id)
            const replaced = found.map((d) => decorate(d.from, d.to, d.spec as HighlightSpec, flash.on))
            return mapped.remove(found).add(newState.doc, replaced)
          },
        },
        props: {
          decorations: (state) => annotationHighlightKey.getState(state),
        },
      }),
    ]
  },
})
