import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Field, StreamRecord } from '../../streams/stream.js';
import type { PgSharedLayout } from './layout.js';

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
 * before are added (`key`: an MD5 of the values as JSON) and read back, once per page.
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
  readonly #insert: string;
  readonly #select: string;
  /** The descriptive fields' names, in the shared table's order. */
  readonly #fields: readonly string[];

  constructor(layout: PgSharedLayout, descriptive: readonly Field[]) {
    this.#fields = descriptive.map((f) => f.name);
    const arrays = descriptive.map((f, i) => `$${i + 2}::${ARRAY_TYPES[f.type] ?? 'text[]'}`);
    this.#insert = `INSERT INTO ${layout.table} (key, ${this.#fields.join(', ')})
      SELECT * FROM unnest($1::text[], ${arrays.join(', ')}) ORDER BY 1 ON CONFLICT (key) DO NOTHING`;
    this.#select = `SELECT id, key FROM ${layout.table} WHERE key = ANY($1::text[])`;
  }

  /** The shared-table id of every record's values, adding the sets not stored yet. */
  async refs(client: PoolClient, records: readonly StreamRecord[]): Promise<number[]> {
    const fields = this.#fields;
    const refs = new Array<number>(records.length);
    const missing = new Map<string, { values: unknown[]; rows: number[] }>();
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      const id = this.#find(record);
      if (id !== undefined) {
        refs[r] = id;
        continue;
      }
      const values = fields.map((f) => record[f] ?? null);
      const key = createHash('md5').update(JSON.stringify(values)).digest('hex');
      const entry = missing.get(key);
      if (entry) entry.rows.push(r);
      else missing.set(key, { values, rows: [r] });
    }
    if (missing.size === 0) return refs;
    const keys = [...missing.keys()];
    const sets = [...missing.values()];
    await client.query(this.#insert, [
      keys,
      ...fields.map((_, f) => sets.map((s) => this.#param(s.values[f], f))),
    ]);
    const { rows } = await client.query<{ id: number; key: string }>(this.#select, [keys]);
    for (const { id, key } of rows) {
      const set = missing.get(key)!;
      for (const r of set.rows) refs[r] = id;
      this.#remember(set.values, id);
    }
    return refs;
  }

  /** JSON values travel as JSON text in a `jsonb[]`. */
  #param(value: unknown, _field: number): unknown {
    return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
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
