import type { Database, Statement } from 'better-sqlite3';
import type { ScopeAnswer, StreamBatch, StreamDefinition, StreamRecord } from '../../streams/stream.js';
import type { StreamCounts } from '../sync.js';
import { type Encoding, encodeValue, encodings } from './fieldCodec.js';
import { LAYOUT } from './layout.js';
import { RowBatch, valueRows } from './rowBatch.js';

/** Shared value sets remembered per table (about 300 bytes each), so memory stays bounded. */
const MAX_KNOWN = 20_000;

/** The page's endpoints' rows before it is written (`#countBefore`); `query` counts them again after. */
interface PageBefore {
  query: Record<string, unknown>;
  added: number;
  updated: number;
  /** Rows whose generation mark is older than the pass's. */
  older: number;
}

/** What every row of a page is written with besides its own values. */
interface RowMarks {
  connection: string;
  generation: number;
  runId: number;
}

/** A record a page added or changed; `added` when no row of its key was stored before it. */
export interface ChangedRow {
  row: StreamRecord;
  added: boolean;
}

/** What writing one stream's part of a page did; `changed` holds the records added or changed (assets only). */
export interface TableWrite {
  counts: StreamCounts;
  changed: ChangedRow[];
}

/**
 * One stream's table in SQLite, written a batch at a time inside the page transaction.
 *
 * Rows are upserted with their generation mark (`seen_gen`) and the run that created or changed them.
 * A mark only ever grows: a writer of an older pass (one that lost its lease while a page was in flight)
 * cannot make a row look unseen to a later pass, whose sweep would then remove it.
 * Streams with descriptive fields keep each distinct set of them once (`cve_details`, `compliance_rules`,
 * src/store/sqlite/layout.ts) and store a reference: a compliance row shrinks from about 420 bytes to about 140, which is what the
 * page transaction's time is made of. Streams scoped by endpoint alone count their added and updated
 * rows with two queries per page (before and after it) instead of `RETURNING` on every row (a quarter of
 * the write time), and so upsert many rows per statement (rowBatch.ts).
 * Records arrive with native values and are encoded here (fieldCodec.ts); the field order of each
 * statement is worked out once, in the constructor.
 */
export class StreamTable {
  /** Where rows are stored (`LAYOUT[stream].rows`). */
  readonly #table: string;
  /** Fields stored in the rows table, in statement order, and their encodings. */
  readonly #own: string[];
  readonly #ownCodes: Encoding[];
  /** Fields stored in the shared details table, in statement order, and their encodings. */
  readonly #shared: string[];
  readonly #sharedCodes: Encoding[];
  /** Streams counting their rows per page (`#countPage`) upsert many rows per statement (rowBatch.ts). */
  readonly #upsert: Statement | undefined;
  readonly #upserts: RowBatch | undefined;
  /** The connection and key among an upsert's arguments. */
  readonly #keyArgs: (args: readonly unknown[]) => unknown[];
  readonly #countPage: Statement | undefined;
  /** A row's `created_run` and `changed_run` before it is written (streams counted row by row). */
  readonly #before: Statement | undefined;
  readonly #removeScope: Statement | undefined;
  readonly #keepScope: Statement;
  /** Records how each scope was answered (`scope_answers`); scoped streams only. */
  readonly #answer: Statement | undefined;
  readonly #sweepAnswers: Statement | undefined;
  readonly #sweep: Statement;
  readonly #findShared: Statement | undefined;
  readonly #addShared: Statement | undefined;
  readonly #sweepShared: Statement | undefined;
  /** Shared value sets known to exist (native values), by their first value: id of each. */
  readonly #known = new Map<unknown, { values: unknown[]; id: number }[]>();
  #knownCount = 0;

  constructor(db: Database, def: StreamDefinition) {
    const layout = LAYOUT[def.name];
    const shared = layout.details;
    this.#table = layout.rows;
    const sharedNames = shared ? (def.descriptiveFields ?? []) : [];
    const sharedSet = new Set(sharedNames);
    const ownFields = def.fields.filter((f) => !sharedSet.has(f.name) || def.primaryKey.includes(f.name));
    const field = (name: string) => def.fields.find((f) => f.name === name)!;
    this.#own = ownFields.map((f) => f.name);
    this.#ownCodes = encodings(ownFields);
    this.#shared = [...sharedNames];
    this.#sharedCodes = encodings(sharedNames.map(field));
    const own = [...this.#own, ...(shared ? [shared.ref] : [])];
    const byEndpoint = def.scopeColumns.length === 1 && def.scopeColumns[0] === 'endpoint_id';
    const upsert = (rows: number) =>
      `INSERT INTO ${this.#table} AS t (connection, ${own.join(', ')}, seen_gen, created_run, changed_run)
       VALUES ${valueRows(own.length + 4, rows)}
       ON CONFLICT (${['connection', ...def.primaryKey].join(', ')}) DO UPDATE SET ${updateClause(def, own)}
       ${byEndpoint ? '' : 'RETURNING created_run, changed_run'}`;
    this.#upserts = byEndpoint ? new RowBatch(db, upsert) : undefined;
    this.#upsert = byEndpoint ? undefined : db.prepare(upsert(1)).raw(true);
    this.#countPage = byEndpoint
      ? db
          .prepare(
            `SELECT count(*) FILTER (WHERE created_run = @run),
                    count(*) FILTER (WHERE changed_run = @run AND created_run <> @run),
                    count(*) FILTER (WHERE seen_gen < @generation)
             FROM ${this.#table} WHERE connection = @connection AND endpoint_id IN (SELECT value FROM json_each(@ids))`,
          )
          .raw(true)
      : undefined;
    this.#before = byEndpoint
      ? undefined
      : db
          .prepare(
            `SELECT created_run, changed_run FROM ${this.#table}
             WHERE ${['connection', ...def.primaryKey].map((c) => `${c} = ?`).join(' AND ')}`,
          )
          .raw(true);
    const key = def.primaryKey.map((name) => this.#own.indexOf(name) + 1);
    this.#keyArgs = (args) => [args[0], ...key.map((i) => args[i])];
    const scope = def.scopeColumns.map((c) => `${c} = ?`).join(' AND ');
    this.#removeScope = scope
      ? db.prepare(`DELETE FROM ${this.#table} WHERE connection = ? AND ${scope} AND seen_gen < ?`)
      : undefined;
    // Streams without scopes keep a record by its key (an asset whose answer was refused).
    const kept = (scope || def.primaryKey.map((c) => `${c} = ?`).join(' AND ')) as string;
    this.#keepScope = db.prepare(
      `UPDATE ${this.#table} SET seen_gen = max(seen_gen, ?) WHERE connection = ? AND ${kept}`,
    );
    if (def.scopeColumns.length > 2) throw new Error(`${def.name}: at most two scope columns`);
    this.#answer = scope
      ? db.prepare(
          `INSERT INTO scope_answers AS t (connection, stream, endpoint_id, scope, status, answered_at, checked_at, seen_gen)
           VALUES (?, '${def.name}', ?, ?, ?, ?, ?, ?)
           ON CONFLICT (connection, stream, endpoint_id, scope) DO UPDATE SET status = excluded.status,
             answered_at = CASE WHEN excluded.status = 'answered' THEN excluded.answered_at ELSE t.answered_at END,
             checked_at = excluded.checked_at, seen_gen = max(t.seen_gen, excluded.seen_gen)`,
        )
      : undefined;
    this.#sweepAnswers = scope
      ? db.prepare(
          `DELETE FROM scope_answers WHERE connection = ? AND stream = '${def.name}' AND seen_gen < ?`,
        )
      : undefined;
    this.#sweep = db.prepare(`DELETE FROM ${this.#table} WHERE connection = ? AND seen_gen < ?`);
    if (shared) {
      this.#findShared = db.prepare(`SELECT id FROM ${shared.table} WHERE key = ?`).pluck();
      this.#addShared = db
        .prepare(
          `INSERT INTO ${shared.table} (key, ${sharedNames.join(', ')})
           VALUES (?, ${sharedNames.map(() => '?').join(', ')}) RETURNING id`,
        )
        .pluck();
      this.#sweepShared = db.prepare(
        `DELETE FROM ${shared.table} WHERE id NOT IN (SELECT ${shared.ref} FROM ${this.#table})`,
      );
    }
  }

  /** Writes one batch (call inside the page transaction). */
  write(
    connection: string,
    batch: StreamBatch,
    generation: number,
    runId: number,
    keepChanged: boolean,
  ): TableWrite {
    const counts: StreamCounts = {
      added: 0,
      updated: 0,
      removed: 0,
      quarantined: 0,
      unknown: batch.unknown,
      rows: 0,
    };
    const changed: ChangedRow[] = [];
    const refs = this.#shared.length > 0 ? this.#refs(batch.rows) : undefined;
    const marks = { connection, generation, runId };
    const pageBefore = this.#countBefore(connection, batch, generation, runId);
    if (this.#upserts) this.#upsertMany(this.#upserts, batch.rows, refs, marks);
    else
      for (let r = 0; r < batch.rows.length; r++) {
        const row = batch.rows[r]!;
        const args = this.#values([], row, refs?.[r], marks);
        // A row the run writes twice (a page read again after some of its chunks were committed, a key
        // repeated in a page) was counted the first time: added when it was new, updated when it changed.
        const before = this.#before!.get(this.#keyArgs(args)) as [number, number] | undefined;
        const [, updated] = this.#upsert!.get(args) as [number, number];
        if (before === undefined) counts.added++;
        else if (updated === runId && before[0] !== runId && before[1] !== runId) counts.updated++;
        if (keepChanged && updated === runId) changed.push({ row, added: before === undefined });
      }
    counts.rows = batch.rows.length;
    // The upsert only raises marks to the pass's generation, so when none of the page's endpoints had a
    // row of an older one before it (a first sync), no answered scope has a row left to remove.
    if (this.#removeScope && (!pageBefore || pageBefore.older > 0))
      for (const { scope } of batch.replaced)
        counts.removed += this.#removeScope.run(connection, ...scope, generation).changes;
    for (const { scope } of batch.kept) this.#keepScope.run(generation, connection, ...scope);
    if (this.#answer) {
      for (const answer of batch.replaced) this.#recordAnswer(connection, answer, generation);
      for (const answer of batch.kept) this.#recordAnswer(connection, answer, generation);
    }
    if (pageBefore) {
      const [added, updated] = this.#countPage!.get(pageBefore.query) as [number, number];
      counts.added += added - pageBefore.added;
      counts.updated += updated - pageBefore.updated;
    }
    return { counts, changed };
  }

  /**
   * Streams counted per page: the page's endpoints' rows this run already added and updated, before the
   * page is written, so that rows it writes again (a page read again after some of its chunks were
   * committed) are not counted twice, and their rows of older generations; undefined when the page has
   * no rows or the stream counts per row.
   */
  #countBefore(
    connection: string,
    batch: StreamBatch,
    generation: number,
    runId: number,
  ): PageBefore | undefined {
    if (!this.#countPage || batch.rows.length === 0) return undefined;
    const ids = JSON.stringify([...batch.replaced, ...batch.kept].map(({ scope }) => scope[0]));
    const query = { run: runId, connection, ids, generation };
    const [added, updated, older] = this.#countPage.get(query) as [number, number, number];
    return { query, added, updated, older };
  }

  /** Upserts rows many to a statement; their added and updated counts come from `#countPage`. */
  #upsertMany(
    upserts: RowBatch,
    rows: readonly StreamRecord[],
    refs: readonly number[] | undefined,
    marks: RowMarks,
  ): void {
    upserts.clear();
    for (let r = 0; r < rows.length; r++) {
      this.#values(upserts.values, rows[r]!, refs?.[r], marks);
      upserts.row();
    }
    upserts.flush();
  }

  /** Pushes one row's statement values onto `into` (the upsert's column order) and answers `into`. */
  #values(into: unknown[], row: StreamRecord, ref: number | undefined, marks: RowMarks): unknown[] {
    const own = this.#own;
    const codes = this.#ownCodes;
    into.push(marks.connection);
    for (let i = 0; i < own.length; i++) into.push(encodeValue(codes[i]!, row[own[i]!]));
    if (ref !== undefined) into.push(ref);
    into.push(marks.generation, marks.runId, marks.runId);
    return into;
  }

  /** The scope's status now; `answered_at` moves only with a real answer. */
  #recordAnswer(connection: string, answer: ScopeAnswer, generation: number): void {
    const { scope, status, at } = answer;
    this.#answer!.run(
      connection,
      scope[0],
      scope[1] ?? '',
      status,
      status === 'answered' ? at : null,
      at,
      generation,
    );
  }

  /**
   * The shared-table id of every row's shared values, added when new. Ids are remembered across pages
   * (most pages repeat the same CVEs and rules); `forget()` drops them when they may be stale.
   */
  #refs(rows: readonly StreamRecord[]): number[] {
    const refs: number[] = new Array(rows.length);
    const names = this.#shared;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const bucket = this.#known.get(row[names[0]!]);
      let id: number | undefined;
      if (bucket)
        for (const entry of bucket) {
          let k = 1; // the bucket's key is the first value
          while (k < names.length && entry.values[k] === row[names[k]!]) k++;
          if (k === names.length) {
            id = entry.id;
            break;
          }
        }
      refs[r] = id ?? this.#lookup(row);
    }
    return refs;
  }

  /** The id of the row's shared values; `key` is the JSON array of their encoded values (migration 6). */
  #lookup(row: StreamRecord): number {
    const values = this.#shared.map((name) => row[name]);
    const encoded = values.map((v, k) => encodeValue(this.#sharedCodes[k]!, v));
    const key = JSON.stringify(encoded);
    const id =
      (this.#findShared!.get(key) as number | undefined) ?? (this.#addShared!.get(key, ...encoded) as number);
    if (this.#knownCount >= MAX_KNOWN) this.forget();
    const bucket = this.#known.get(values[0]);
    if (bucket) bucket.push({ values, id });
    else this.#known.set(values[0], [{ values, id }]);
    this.#knownCount++;
    return id;
  }

  /**
   * Drops remembered shared ids: after a rollback (ids added in it are gone), a sweep, or a commit by
   * another connection (`PRAGMA data_version` moved), which may have swept.
   */
  forget(): void {
    this.#known.clear();
    this.#knownCount = 0;
  }

  /** After a complete full pass: removes rows the pass did not see, and shared values no row uses. */
  sweep(connection: string, generation: number): number {
    const removed = this.#sweep.run(connection, generation).changes;
    this.#sweepAnswers?.run(connection, generation);
    if (this.#sweepShared) {
      this.#sweepShared.run();
      this.forget();
    }
    return removed;
  }
}

/**
 * The upsert's SET clause: new values replace stored ones, except that `keepWhenNull` columns keep theirs
 * when the new value is null; `changed_run` moves only when a compared value really changed.
 */
function updateClause(def: StreamDefinition, own: readonly string[]): string {
  const keep = new Set(def.keepWhenNull ?? []);
  const uncompared = new Set(def.uncompared ?? []);
  const nonKey = own.filter((c) => !def.primaryKey.includes(c));
  const set = nonKey.map((c) =>
    keep.has(c) ? `${c} = coalesce(excluded.${c}, t.${c})` : `${c} = excluded.${c}`,
  );
  const changed =
    nonKey
      .filter((c) => !uncompared.has(c))
      .map((c) =>
        keep.has(c)
          ? `(excluded.${c} IS NOT NULL AND t.${c} IS NOT excluded.${c})`
          : `t.${c} IS NOT excluded.${c}`,
      )
      .join(' OR ') || '0';
  return [
    ...set,
    // A row's generation only grows: a slower, older pass never makes a newer pass's row sweepable.
    'seen_gen = max(t.seen_gen, excluded.seen_gen)',
    `changed_run = CASE WHEN ${changed} THEN excluded.changed_run ELSE t.changed_run END`,
  ].join(', ');
}

const tables = new WeakMap<
  Database,
  { version: Statement; seen: number; byStream: Map<string, StreamTable> }
>();

/**
 * The stream tables of one database handle, shared by every repository on it so that remembered shared
 * ids are forgotten in one place. Call at the start of each page transaction: a commit by another
 * connection since the last call forgets them.
 */
export function streamTables(
  db: Database,
  definitions: readonly StreamDefinition[],
): Map<string, StreamTable> {
  let entry = tables.get(db);
  if (!entry) {
    const version = db.prepare('PRAGMA data_version').pluck();
    const byStream = new Map(definitions.map((d) => [d.name, new StreamTable(db, d)]));
    entry = { version, seen: version.get() as number, byStream };
    tables.set(db, entry);
    return byStream;
  }
  const now = entry.version.get() as number;
  if (now !== entry.seen) {
    entry.seen = now;
    for (const table of entry.byStream.values()) table.forget();
  }
  return entry.byStream;
}
