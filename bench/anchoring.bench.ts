// Benchmark (Node, `npm run bench`): re-anchoring 1,000 annotations on a 200 KB letter after it was edited in many
// places. Returns figures; printing is left to the bench runner.
import { describeSelection, reanchorAll, type AnchorResult } from '../shared/annotations/anchor'

export interface BenchFigure {
  name: string
  value: number
  unit: string
  goal?: string
}

const WORDS = (
  'detainee transferred facility lawyer family notice arrest witness guard visit medical condition judge ' +
  'authorities whereabouts delegation camp station officer report статья задержан семья адвокат письмо суд ' +
  'café naïve Ærø the of and to in on at by for with without was were has been'
).split(' ')

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same document and edits. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function buildDocument(random: () => number, targetLength: number): string {
  const parts: string[] = []
  let length = 0
  let sentence = 0
  while (length < targetLength) {
    const words: string[] = []
    const count = 8 + Math.floor(random() * 14)
    for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(random() * WORDS.length)] as string)
    sentence++
    const s = `${sentence}. ${words.join(' ')}${sentence % 6 === 0 ? '.\n\n' : '. '}`
    parts.push(s)
    length += s.length
  }
  return parts.join('').slice(0, targetLength)
}

function computeMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

export async function runAnchoringBench(): Promise<BenchFigure[]> {
  const random = createRandom(0x0c057d1a)
  const text = buildDocument(random, 200 * 1024)
  const length = Array.from(text).length

  // 1,000 selections of 20–120 code points spread over the whole document.
  const annotations = Array.from({ length: 1000 }, () => {
    const size = 20 + Math.floor(random() * 100)
    const start = Math.floor(random() * (length - size))
    return describeSelection(text, start, start + size)
  })

  // 200 insertions spread over the last 90% of the text (the opening stays as it was, so some anchors stay exact),
  // plus a word added inside 20 annotated passages (these go fuzzy).
  const firstEdit = Math.floor(text.length / 10)
  const points = Array.from({ length: 200 }, () => firstEdit + Math.floor(random() * (text.length - firstEdit))).sort((a, b) => b - a)
  let edited = text
  for (const at of points) edited = edited.slice(0, at) + ' (see annex) ' + edited.slice(at)
  for (const a of annotations.slice(0, 20)) {
    const q = a.quote.exact
    const mid = q.indexOf(' ', Math.floor(q.length / 2))
    if (mid > 0) edited = edited.replace(q, q.slice(0, mid) + ' allegedly' + q.slice(mid))
  }

  const timings: number[] = []
  let results: AnchorResult[] = []
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now()
    results = reanchorAll(edited, annotations)
    timings.push(performance.now() - t0)
  }
  const unchanged: number[] = []
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now()
    reanchorAll(text, annotations)
    unchanged.push(performance.now() - t0)
  }
  const count = (status: AnchorResult['status']) => results.filter((r) => r.status === status).length

  return [
    {
      name: 'reanchorAll: 1,000 annotations, 200 KB, after 200 insertions (median of 5)',
      value: Math.round(computeMedian(timings) * 10) / 10,
      unit: 'ms',
      goal: '≤ 200 ms',
    },
    {
      name: 'reanchorAll: 1,000 annotations, 200 KB, unchanged text (median of 5)',
      value: Math.round(computeMedian(unchanged) * 10) / 10,
      unit: 'ms',
    },
    { name: 'anchors exact after edit', value: count('exact'), unit: 'annotations' },
    { name: 'anchors relocated after edit', value: count('relocated'), unit: 'annotations' },
    { name: 'anchors fuzzy after edit', value: count('fuzzy'), unit: 'annotations' },
    { name: 'anchors orphaned after edit', value: count('orphaned'), unit: 'annotations' },
  ]
}
