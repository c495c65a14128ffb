// Renderer: text with highlighted ranges, rendered as React <mark> elements from [start, end) offsets — never
// as HTML, so a search hit can show any text it likes without becoming markup.
import type { ReactNode } from 'react'

/** Splits `text` at the (possibly unsorted, overlapping or out-of-range) marks into plain and marked runs. */
export function splitMarks(text: string, marks: readonly (readonly [number, number])[]): { text: string; marked: boolean }[] {
  const ranges = marks
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  const runs: { text: string; marked: boolean }[] = []
  let at = 0
  for (const [start, end] of ranges) {
    if (end <= at) continue
    const from = Math.max(start, at)
    if (from > at) runs.push({ text: text.slice(at, from), marked: false })
    const last = runs.at(-1)
    // Touching or overlapping ranges become one <mark>.
    if (last?.marked && from === at) last.text += text.slice(from, end)
    else runs.push({ text: text.slice(from, end), marked: true })
    at = end
  }
  if (at < text.length) runs.push({ text: text.slice(at), marked: false })
  return runs
}

export function Highlighted({ text, marks }: { text: string; marks: readonly (readonly [number, number])[] }): ReactNode {
  return splitMarks(text, marks).map((run, i) => (run.marked ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>))
}
