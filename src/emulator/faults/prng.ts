/** The seed used when `--seed` is not given: a fixed value, so runs repeat by default. */
export const DEFAULT_SEED = 1;

/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence of numbers in [0, 1).
 * Not for cryptography; only for repeatable fault decisions.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Derives an independent 32-bit stream seed from a run seed (any safe integer) and a stream number. */
export function streamSeed(seed: number, stream: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4_294_967_296) >>> 0;
  let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(high + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) ^ Math.imul(stream + 1, 0x846ca68b);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
