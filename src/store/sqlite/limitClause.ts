/**
 * `LIMIT n` with the number in the SQL text. A bound `LIMIT ?` made SQLite's point lookups about four
 * times slower here (23 against 5.5 µs per one-row read of the assets table; docs/server.md,
 * "Performance"). Only a checked positive whole number reaches the text, never user input as such.
 * `extraRows` reads past the limit, e.g. one more row to learn whether a next page exists.
 */
export function limitClause(what: string, limit: number, extraRows = 0): string {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`${what} limit ${limit} is not a positive whole number`);
  return `LIMIT ${limit + extraRows}`;
}
