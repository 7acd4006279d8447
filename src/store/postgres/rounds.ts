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

/**
 * `occurrences` of records by the values of `key` (one or more fields), with the same numbers as
 * `occurrences` of the values joined by NUL, which no key value holds. Keys of one or two fields (every
 * stream but sensors) are counted by value, the first value's counts found once per run of equal first
 * values (a page's rows come endpoint by endpoint), without a joined text per row: building and hashing
 * that text was most of a page opening's key counting, for every row of the page.
 */
export function keyOccurrences(
  records: readonly Record<string, unknown>[],
  key: readonly string[],
): { round: number[]; rounds: number } {
  if (key.length > 2) return occurrences(records, (row) => key.map((k) => String(row[k])).join('\u0000'));
  const [a, b] = key as [string, string | undefined];
  const round = new Array<number>(records.length);
  let rounds = records.length > 0 ? 1 : 0;
  const firsts = new Map<string, Map<string, number>>();
  let lastFirst: string | undefined;
  let counts: Map<string, number> | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const first = String(record[a]);
    if (counts === undefined || first !== lastFirst) {
      counts = firsts.get(first);
      if (!counts) {
        counts = new Map();
        firsts.set(first, counts);
      }
      lastFirst = first;
    }
    const second = b === undefined ? '' : String(record[b]);
    const n = counts.get(second) ?? 0;
    counts.set(second, n + 1);
    round[i] = n;
    if (n + 1 > rounds) rounds = n + 1;
  }
  return { round, rounds };
}
