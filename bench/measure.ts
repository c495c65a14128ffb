// Benchmarks (Node): shared measuring helpers — a figure row, percentiles, timing and peak-RSS sampling.

export interface Figure {
  name: string
  value: number
  unit: string
  goal?: string
}

export function percentile(sortedOrNot: number[], p: number): number {
  const sorted = [...sortedOrNot].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

export function median(values: number[]): number {
  return percentile(values, 50)
}

export async function timeMs(work: () => unknown | Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await work()
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Samples resident memory every `intervalMs` while `work` runs; returns the work's result and the peak in MiB. */
export async function withPeakRss<T>(
  work: () => Promise<T>,
  intervalMs = 25,
): Promise<{ result: T; peakMiB: number; baselineMiB: number }> {
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, intervalMs)
  try {
    const result = await work()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { result, peakMiB: peak / 2 ** 20, baselineMiB: baseline / 2 ** 20 }
  } finally {
    clearInterval(timer)
  }
}
