/**
 * Seeded, stateless hashing: every random-looking value in the fleet is `mix` of (seed, salt, index, …),
 * so any value can be recomputed at any time without storing it. Never `Math.random`.
 */

const TWO_32 = 4294967296;

/** A 32-bit bijective integer mixer (Chris Wellons' "lowbias32"). */
export function mix(x: number): number {
  let a = x >>> 0;
  a ^= a >>> 16;
  a = Math.imul(a, 0x7feb352d);
  a ^= a >>> 15;
  a = Math.imul(a, 0x846ca68b);
  a ^= a >>> 16;
  return a >>> 0;
}

/** Turns a seed given as a number or a string into a 32-bit integer. */
export function seedToInt(seed: number | string): number {
  if (typeof seed === 'number' && Number.isInteger(seed)) {
    return mix((seed >>> 0) ^ mix(Math.floor(seed / TWO_32) >>> 0));
  }
  const text = String(seed);
  let a = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) a = Math.imul(a ^ text.charCodeAt(k), 0x01000193);
  return mix(a);
}

/** A per-fleet key for one purpose (salt); compute once, then use with `h1`/`h2`. */
export function key(seed: number, salt: number): number {
  return mix(mix(seed ^ 0x9e3779b9) ^ mix(salt + 0x632be5ab));
}

/** Hash of one index under a key. A bijection of `i`, so distinct indices give distinct values. */
export function h1(k: number, i: number): number {
  return mix(k ^ i);
}

/** Hash of two indices under a key (endpoint x slot, endpoint x rule, …). */
export function h2(k: number, i: number, j: number): number {
  return mix(mix(k ^ i) + Math.imul(j + 1, 0x9e3779b1));
}

/** Hash of three indices under a key. */
export function h3(k: number, i: number, j: number, n: number): number {
  return mix(h2(k, i, j) ^ Math.imul(n + 1, 0x85ebca77));
}

/** Maps a 32-bit hash to [0, 1). */
export function unit(x: number): number {
  return x / TWO_32;
}

/** An integer in [0, n) from a 32-bit hash. */
export function below(x: number, n: number): number {
  return Math.floor((x / TWO_32) * n);
}

/** An exponentially distributed value with the given mean, from a 32-bit hash. */
export function exponential(x: number, mean: number): number {
  return -mean * Math.log(1 - x / TWO_32);
}

/** Picks an element of a non-empty list by hash. */
export function pick<T>(x: number, list: readonly T[]): T {
  return list[below(x, list.length)] as T;
}

/** Picks an element by cumulative weight; weights need not sum to 1. */
export function pickWeighted<T extends { weight: number }>(x: number, list: readonly T[]): T {
  let total = 0;
  for (const item of list) total += item.weight;
  let target = unit(x) * total;
  for (const item of list) {
    target -= item.weight;
    if (target < 0) return item;
  }
  return list[list.length - 1] as T;
}

/** Greatest common divisor, for choosing strides that visit every element of a list once. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
