// Test helper: a seeded xorshift32 generator, so a failing randomised case reproduces from its seed.

/** Next unsigned 32-bit value of xorshift32 (exact in 32-bit integer arithmetic). */
export function createXorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x
  }
}
