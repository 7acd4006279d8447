import { describe, expect, it } from 'vitest';
import { keyOccurrences, occurrences } from './rounds.js';

/** The numbers `occurrences` gives for the key values joined by NUL (what the writer used before). */
function joined(records: readonly Record<string, unknown>[], key: readonly string[]) {
  return occurrences(records, (row) => key.map((k) => String(row[k])).join('\u0000'));
}

describe('key occurrences', () => {
  it('numbers repeated keys as the joined key text does, for one, two and three fields', () => {
    const records = [
      { e: '1', c: 'A', s: 'x' },
      { e: '1', c: 'B', s: 'x' },
      { e: '2', c: 'A', s: 'x' },
      { e: '1', c: 'A', s: 'y' },
      { e: '2', c: 'A', s: 'x' },
      { e: '1', c: 'A', s: 'x' },
      { e: null, c: 'A', s: 'x' },
      { e: 'null', c: 'A', s: 'x' },
      { e: undefined, c: undefined, s: 'x' },
      { e: 3, c: 'A', s: 'x' },
      { e: '3', c: 'A', s: 'x' },
    ];
    for (const key of [['e'], ['e', 'c'], ['e', 'c', 's']])
      expect(keyOccurrences(records, key)).toEqual(joined(records, key));
    expect(keyOccurrences(records, ['e', 'c']).rounds).toBe(3);
  });

  it('gives no rounds for no records and one when every key is distinct', () => {
    expect(keyOccurrences([], ['e', 'c'])).toEqual({ round: [], rounds: 0 });
    expect(
      keyOccurrences(
        [
          { e: '1', c: 'A' },
          { e: '1', c: 'B' },
        ],
        ['e', 'c'],
      ),
    ).toEqual({ round: [0, 0], rounds: 1 });
  });
});
