import type { PoolClient } from 'pg';
import type { ScopeAnswer, StreamBatch, StreamDefinition } from '../../streams/stream.js';
import type { StreamCounts } from '../sync.js';
import {
  PG_LAYOUT,
  type PgSharedLayout,
  type PgStreamLayout,
  pgType,
  recordOf,
  streamFields,
} from './layout.js';
import { inRounds, occurrences } from './rounds.js';
import { StageTable } from './stagePage.js';

/** The key a shared table's row is found by: an MD5 of its values, computed by PostgreSQL. */
function sharedKey(shared: PgSharedLayout, alias: string): string {
  return `md5(ROW(${shared.fields.map((f) => `${alias}.${f}`).join(', ')})::text)`;
}

/**
 * One stream's table in PostgreSQL, written a page at a time inside the page transaction, with the
 * semantics of the SQLite StreamTable (src/store/sqlite/streamTable.ts): the page's records are copied
 * into a staging table and moved by one `INSERT … SELECT … ON CONFLICT DO UPDATE`; `keepWhenNull`
 * fields keep their stored value when answered null; `changed_run` moves only when a compared value
 * changed; `seen_gen` only grows; rows of an answered scope not in the page are removed; kept scopes
 * are marked seen; each scope's answer is recorded. Descriptive fields go to the shared table once per
 * distinct set of values, before the rows that refer to them.
 */
export class PgStreamTable {
  readonly layout: PgStreamLayout;
  readonly #def: StreamDefinition;
  readonly #stage: StageTable;
  readonly #upsert: string;
  readonly #addShared: string | undefined;
  readonly #removeScope: string | undefined;
  readonly #keepScope: string;
  readonly #answer: string | undefined;

  constructor(def: StreamDefinition) {
    this.#def = def;
    const layout = PG_LAYOUT[def.name];
    this.layout = layout;
    const shared = layout.shared;
    this.#stage = new StageTable(
      `tb_stage_${def.name}`,
      streamFields(def).map((f) => ({ name: f.name, type: f.type, pgType: pgType(layout, f) })),
    );
    const sharedSet = new Set(shared?.fields ?? []);
    const own = streamFields(def)
      .map((f) => f.name)
      .filter((n) => !sharedSet.has(n) || def.primaryKey.includes(n));
    const targets = [...own, ...(shared ? [shared.ref] : [])];
    const values = [...own.map((c) => `s.${c}`), ...(shared ? ['d.id'] : [])];
    const join = shared ? `JOIN ${shared.table} d ON d.key = ${sharedKey(shared, 's')}` : '';
    this.#upsert = `WITH up AS (
        INSERT INTO ${layout.rowsTable} AS t (connection, ${targets.join(', ')}, seen_gen, created_run, changed_run)
        SELECT $1, ${values.join(', ')}, $2, $3, $3 FROM ${this.#stage.name} s ${join} WHERE s.round = $4
        ON CONFLICT (connection, ${def.primaryKey.join(', ')}) DO UPDATE SET ${this.#updateClause(own)}
        RETURNING t.created_run, t.changed_run)
      SELECT count(*) FILTER (WHERE created_run = $3)::int AS added,
             count(*) FILTER (WHERE changed_run = $3 AND created_run <> $3)::int AS updated FROM up`;
    this.#addShared = shared
      ? `INSERT INTO ${shared.table} (key, ${shared.fields.join(', ')})
         SELECT DISTINCT ON (k) k, ${shared.fields.join(', ')}
         FROM (SELECT ${sharedKey(shared, 's')} AS k, ${shared.fields.map((f) => `s.${f}`).join(', ')}
               FROM ${this.#stage.name} s) x
         WHERE NOT EXISTS (SELECT 1 FROM ${shared.table} d WHERE d.key = x.k)
         ORDER BY k ON CONFLICT (key) DO NOTHING`
      : undefined;
    if (def.scopeColumns.length > 2) throw new Error(`${def.name}: at most two scope columns`);
    // Streams without scopes keep a record by its key (an asset whose answer was refused).
    const kept = def.scopeColumns.length > 0 ? def.scopeColumns : def.primaryKey;
    const unnest = (columns: readonly string[], first: number) =>
      `unnest(${columns.map((_, i) => `$${first + i}::text[]`).join(', ')}) AS s(${columns.join(', ')})`;
    const match = (columns: readonly string[]) => columns.map((c) => `t.${c} = s.${c}`).join(' AND ');
    this.#removeScope =
      def.scopeColumns.length > 0
        ? `DELETE FROM ${layout.rowsTable} t USING ${unnest(def.scopeColumns, 3)}
           WHERE t.connection = $1 AND ${match(def.scopeColumns)} AND t.seen_gen < $2`
        : undefined;
    this.#keepScope = `UPDATE ${layout.rowsTable} t SET seen_gen = $2 FROM ${unnest(kept, 3)}
      WHERE t.connection = $1 AND ${match(kept)} AND t.seen_gen < $2`;
    this.#answer =
      def.scopeColumns.length > 0
        ? `INSERT INTO scope_answers AS t (connection, stream, endpoint_id, scope, status, answered_at,
             checked_at, seen_gen)
           SELECT $1, '${def.name}', a.e, a.sc, a.st, CASE WHEN a.st = 'answered' THEN a.at END, a.at, $2
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS a(e, sc, st, at)
           ON CONFLICT (connection, stream, endpoint_id, scope) DO UPDATE SET status = excluded.status,
             answered_at = CASE WHEN excluded.status = 'answered' THEN excluded.answered_at ELSE t.answered_at END,
             checked_at = excluded.checked_at, seen_gen = greatest(t.seen_gen, excluded.seen_gen)`
        : undefined;
  }

  get name(): string {
    return this.#def.name;
  }

  /** Writes one batch (call inside the page transaction, on its client). */
  async write(
    client: PoolClient,
    connection: string,
    batch: StreamBatch,
    generation: number,
    runId: number,
  ): Promise<StreamCounts> {
    const counts: StreamCounts = {
      added: 0,
      updated: 0,
      removed: 0,
      quarantined: 0,
      unknown: batch.unknown,
      rows: batch.rows.length,
    };
    const def = this.#def;
    if (batch.rows.length > 0) {
      const key = def.primaryKey;
      const fields = streamFields(def);
      const records = (batch.rows as unknown[]).map((row) => recordOf(fields, row));
      const { round, rounds } = occurrences(records, (row) =>
        key.length === 1 ? String(row[key[0]!]) : key.map((k) => String(row[k])).join('\u0000'),
      );
      await this.#stage.fill(client, records, rounds > 1 ? round : undefined);
      if (this.#addShared) await client.query(this.#addShared);
      for (let r = 0; r < rounds; r++) {
        const result = await client.query<{ added: number; updated: number }>(this.#upsert, [
          connection,
          generation,
          runId,
          r,
        ]);
        counts.added += result.rows[0]!.added;
        counts.updated += result.rows[0]!.updated;
      }
      if (def.name === 'assets') await this.#writeAddresses(client, connection, runId);
    }
    if (this.#removeScope && batch.replaced.length > 0) {
      const result = await client.query(this.#removeScope, [
        connection,
        generation,
        ...scopeArrays(batch.replaced, def.scopeColumns.length),
      ]);
      counts.removed += result.rowCount ?? 0;
    }
    if (batch.kept.length > 0) {
      const width = def.scopeColumns.length > 0 ? def.scopeColumns.length : def.primaryKey.length;
      await client.query(this.#keepScope, [connection, generation, ...scopeArrays(batch.kept, width)]);
    }
    if (this.#answer) await this.#recordAnswers(client, connection, batch, generation);
    return counts;
  }

  /** Each scope's status now; `answered_at` moves only with a real answer. Replaced, then kept. */
  async #recordAnswers(
    client: PoolClient,
    connection: string,
    batch: StreamBatch,
    generation: number,
  ): Promise<void> {
    const answers = [...batch.replaced, ...batch.kept];
    for (const round of inRounds(answers, ({ scope }) => `${scope[0]}\u0000${scope[1] ?? ''}`))
      await client.query(this.#answer!, [
        connection,
        generation,
        round.map((a) => a.scope[0]),
        round.map((a) => a.scope[1] ?? ''),
        round.map((a) => a.status),
        round.map((a) => a.at),
      ]);
  }

  /**
   * Posture lookups by address: every IP and MAC of an asset this run changed, replaced as a set per
   * kind. A list Tanium answered null (not known this time) leaves that kind's stored addresses alone.
   */
  async #writeAddresses(client: PoolClient, connection: string, runId: number): Promise<void> {
    const changed = `${this.#stage.name} s JOIN assets a ON a.connection = $1
      AND a.endpoint_id = s.endpoint_id AND a.changed_run = $2`;
    await client.query(
      `DELETE FROM asset_addresses x USING ${changed}
       WHERE x.connection = $1 AND x.endpoint_id = s.endpoint_id
         AND ((x.kind = 'ip' AND s.ip_addresses IS NOT NULL) OR (x.kind = 'mac' AND s.mac_addresses IS NOT NULL))`,
      [connection, runId],
    );
    await client.query(
      `INSERT INTO asset_addresses (connection, endpoint_id, address, kind)
       SELECT $1, s.endpoint_id, v.address, v.kind FROM ${changed}
       CROSS JOIN LATERAL (
         SELECT jsonb_array_elements_text(s.ip_addresses), 'ip'
         UNION ALL SELECT s.ip_address, 'ip' WHERE s.ip_address <> ''
         UNION ALL SELECT jsonb_array_elements_text(s.mac_addresses), 'mac') AS v(address, kind)
       ON CONFLICT DO NOTHING`,
      [connection, runId],
    );
  }

  /** After a complete full pass: removes the connection's rows the pass did not see, and their answers. */
  async sweep(client: PoolClient, connection: string, generation: number): Promise<number> {
    const removed = await client.query(
      `DELETE FROM ${this.layout.rowsTable} WHERE connection = $1 AND seen_gen < $2`,
      [connection, generation],
    );
    if (this.#answer)
      await client.query(
        `DELETE FROM scope_answers WHERE connection = $1 AND stream = $2 AND seen_gen < $3`,
        [connection, this.#def.name, generation],
      );
    return removed.rowCount ?? 0;
  }

  /** Shared values no row of any connection refers to any more (hold the shared-table lock). */
  async sweepShared(client: PoolClient): Promise<void> {
    const shared = this.layout.shared;
    if (!shared) return;
    await client.query(
      `DELETE FROM ${shared.table} d WHERE NOT EXISTS
         (SELECT 1 FROM ${this.layout.rowsTable} f WHERE f.${shared.ref} = d.id)`,
    );
  }

  /**
   * The upsert's SET clause: new values replace stored ones, except that `keepWhenNull` fields keep
   * theirs when the new value is null; `changed_run` moves only when a compared value really changed.
   */
  #updateClause(own: readonly string[]): string {
    const def = this.#def;
    const keep = new Set(def.keepWhenNull ?? []);
    const uncompared = new Set(def.uncompared ?? []);
    const asText = new Set(this.layout.jsonText ?? []);
    const nonKey = own.filter((c) => !def.primaryKey.includes(c));
    const set = nonKey.map((c) =>
      keep.has(c) ? `${c} = coalesce(excluded.${c}, t.${c})` : `${c} = excluded.${c}`,
    );
    // `json` has no equality: its text is compared (as SQLite compares the JSON text).
    const v = (alias: string, c: string) => (asText.has(c) ? `${alias}.${c}::text` : `${alias}.${c}`);
    const changed =
      nonKey
        .filter((c) => !uncompared.has(c))
        .map((c) =>
          keep.has(c)
            ? `(excluded.${c} IS NOT NULL AND ${v('t', c)} IS DISTINCT FROM ${v('excluded', c)})`
            : `${v('t', c)} IS DISTINCT FROM ${v('excluded', c)}`,
        )
        .join(' OR ') || 'false';
    return [
      ...set,
      // A row's generation only grows: a slower, older pass never makes a newer pass's row sweepable.
      'seen_gen = greatest(t.seen_gen, excluded.seen_gen)',
      `changed_run = CASE WHEN ${changed} THEN excluded.changed_run ELSE t.changed_run END`,
    ].join(', ');
  }
}

/** The scopes' values as one text array per scope column (for `unnest`). */
function scopeArrays(answers: readonly ScopeAnswer[], width: number): string[][] {
  return Array.from({ length: width }, (_, i) => answers.map((a) => a.scope[i]!));
}
