import { createHash } from 'node:crypto';
import type { Field, StreamRecord } from '../../streams/stream.js';
import type { PgSharedLayout } from './layout.js';
import type { PageBatch } from './pageBatch.js';
import { arrayLiteral } from './sqlLiteral.js';
import type { StagedRefs } from './stagePage.js';

/** Shared value sets remembered per table (a few hundred bytes each), so memory stays bounded. */
const MAX_KNOWN = 20_000;

/** PostgreSQL array types for `unnest`, by field type. */
const ARRAY_TYPES: Record<string, string> = {
  integer: 'bigint[]',
  real: 'float8[]',
  boolean: 'boolean[]',
  json: 'jsonb[]',
};

/**
 * The ids of a stream's descriptive values (a CVE's description, a compliance rule) in their shared
 * table, one row per distinct set of values. Most pages repeat the same CVEs and rules, so the ids are
 * remembered across pages and a page's rows reach the database as a reference only; sets not seen
 * before are added (`key`: an MD5 of the values as JSON) in the page's statements, its rows refer to
 * them by key, and their ids are read back, all in the page's one batch (pageBatch.ts).
 *
 * Remembered ids go stale when a sweep removes unused sets: every sweep of the shared tables counts
 * itself in the `shared_sweeps` sequence, and a writer that sees the count move forgets its ids (it
 * reads the count holding the shared-tables lock, so no sweep runs meanwhile). A rolled-back page
 * forgets too: ids it added are gone.
 */
export class SharedDetails {
  /** Value sets known to exist, by their first value: the id of each. */
  readonly #known = new Map<unknown, { values: unknown[]; id: number }[]>();
  #knownCount = 0;
  /** The insert up to its arrays, which follow in the page's text; the select up to its keys. */
  readonly #insert: string;
  readonly #select: string;
  /** Each descriptive field's array type. */
  readonly #types: readonly string[];
  /** The descriptive fields' names, in the shared table's order. */
  readonly #fields: readonly string[];

  constructor(layout: PgSharedLayout, descriptive: readonly Field[]) {
    this.#fields = descriptive.map((f) => f.name);
    this.#types = descriptive.map((f) => ARRAY_TYPES[f.type] ?? 'text[]');
    this.#insert = `INSERT INTO ${layout.table} (key, ${this.#fields.join(', ')}) SELECT * FROM unnest(`;
    this.#select = `SELECT id, key FROM ${layout.table} WHERE key = ANY(`;
  }

  /**
   * The shared-table id of every record's values, or for sets this writer does not know yet their
   * key; adds to `page` the statements that store those sets (before the rows that refer to them by
   * key) and read their ids back, remembered and filled into the returned ids once `page` has run.
   */
  resolve(records: readonly StreamRecord[], page: PageBatch): StagedRefs {
    const fields = this.#fields;
    const ids = new Array<number | null>(records.length).fill(null);
    const keys = new Array<string | null>(records.length).fill(null);
    const missing = new Map<string, unknown[]>();
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      const id = this.#find(record);
      if (id !== undefined) {
        ids[r] = id;
        continue;
      }
      const values = fields.map((f) => record[f] ?? null);
      const key = createHash('md5').update(JSON.stringify(values)).digest('hex');
      keys[r] = key;
      if (!missing.has(key)) missing.set(key, values);
    }
    if (missing.size === 0) return { ids, keys };
    const newKeys = arrayLiteral([...missing.keys()], 'text[]');
    const sets = [...missing.values()];
    const arrays = this.#types.map((type, f) =>
      arrayLiteral(
        sets.map((values) => values[f]),
        type,
      ),
    );
    page.add(`${this.#insert} ${newKeys}, ${arrays.join(', ')}) ORDER BY 1 ON CONFLICT (key) DO NOTHING`);
    page.add(`${this.#select}${newKeys})`, ({ rows }) => {
      const added = new Map<string, number>();
      for (const { id, key } of rows as { id: number; key: string }[]) {
        this.#remember(missing.get(key)!, id);
        added.set(key, id);
      }
      // Once `page` has run every row has its id: rows can then be copied straight into their table.
      for (let r = 0; r < records.length; r++) if (ids[r] === null) ids[r] = added.get(keys[r]!) ?? null;
    });
    return { ids, keys };
  }

  #find(record: StreamRecord): number | undefined {
    const fields = this.#fields;
    const bucket = this.#known.get(record[fields[0]!] ?? null);
    if (!bucket) return undefined;
    for (const entry of bucket) {
      let k = 1; // the bucket's key is the first value
      while (k < fields.length && entry.values[k] === (record[fields[k]!] ?? null)) k++;
      if (k === fields.length) return entry.id;
    }
    return undefined;
  }

  #remember(values: unknown[], id: number): void {
    if (this.#knownCount >= MAX_KNOWN) this.forget();
    const bucket = this.#known.get(values[0]);
    if (bucket) bucket.push({ values, id });
    else this.#known.set(values[0], [{ values, id }]);
    this.#knownCount++;
  }

  forget(): void {
    this.#known.clear();
    this.#knownCount = 0;
  }
}
