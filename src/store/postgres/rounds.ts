/**
 * Occurrence numbers of keys in a list: 0 for the first time a key appears, 1 for the second… One
 * `INSERT … ON CONFLICT DO UPDATE` may not touch a row twice, so work with a repeated key runs in
 * rounds, each holding at most one occurrence of every key, in the list's order. Returns the numbers
 * and the count of rounds (1 when every key is distinct, the usual case).
 */
export function occurrences<T>(
  items: readonly T[],
  key: (item: T) => string,
): { round: number[]; rounds: number } {
  const seen = new Map<string, number>();
  const round = new Array<number>(items.length);
  let rounds = items.length > 0 ? 1 : 0;
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]!);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    round[i] = n;
    if (n + 1 > rounds) rounds = n + 1;
  }
  return { round, rounds };
}

/** The items split by `occurrences`: round r holds the r-th occurrence of each key, in order. */
export function inRounds<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const { round, rounds } = occurrences(items, key);
  const out: T[][] = Array.from({ length: rounds }, () => []);
  for (let i = 0; i < items.length; i++) out[round[i]!]!.push(items[i]!);
  return out;
}
