import type { PoolClient } from 'pg';
import { STREAMS } from '../../streams/index.js';
import type { Quarantined, StreamName, StreamRecord } from '../../streams/stream.js';
import { type LeaseClaim, LeaseLostError } from '../leases.js';
import { PartitionsOpenError } from '../partitionsOpen.js';
import type { ScopeAnswer } from '../scopeAnswers.js';
import {
  type Checkpoint,
  DEFAULT_SYNC_SETTINGS,
  type PageWrite,
  type PassMode,
  type PassStart,
  type QuarantineRecord,
  type RunStatus,
  type SeenTouch,
  type StreamCounts,
  type SyncRepository,
  type SyncRunRecord,
  type SyncSettings,
} from '../sync.js';
import { GrowthStatistics } from './growthStatistics.js';
import { jsonbText } from './jsonbText.js';
import { renewLease, renewLeaseText } from './leases.js';
import { PageBatch } from './pageBatch.js';
import { readFields, streamRows } from './readRows.js';
import { inRounds } from './rounds.js';
import { scopeAnswers } from './scopeAnswers.js';
import { type PgSession, PoolSession } from './session.js';
import { arrayLiteral, bind, literal } from './sqlLiteral.js';
import { PgStreamTable, type StreamOpening } from './streamTable.js';
import { touchSeenRows } from './touchSeen.js';

interface CheckpointRow {
  stream: StreamName;
  generation: number;
  mode: PassMode;
  status: 'running' | 'complete';
  cursor: string | null;
  resume_key: string | null;
  since: string | null;
  pass_max_seen: string | null;
  watermark: string | null;
  incrementals: number;
  page_size: number;
  pages: number;
  run_id: number;
  last_full_at: string | null;
  updated_at: string;
  partitions: number;
}

interface PartitionRow {
  stream: StreamName;
  part: number;
  cursor: string | null;
  resume_key: string | null;
  pages: number;
  done: boolean;
}

interface RunRow {
  id: number;
  connection: string;
  mode: string;
  streams: StreamName[];
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  summary: unknown;
  error: string | null;
  owner: string | null;
  pages: number;
  heartbeat_at: string | null;
}

function runRecord(row: RunRow): SyncRunRecord {
  return {
    id: row.id,
    connection: row.connection,
    mode: row.mode,
    streams: row.streams,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: row.summary,
    error: row.error,
    owner: row.owner,
    pages: row.pages,
    heartbeatAt: row.heartbeat_at,
  };
}

/** Inside a guarded transaction: throws (rolling it back) when the lease is no longer the writer's. */
async function checkLease(client: PoolClient, lease: LeaseClaim | undefined, what: string): Promise<void> {
  if (lease && !(await renewLease(client, lease))) throw new LeaseLostError(lease.key, what);
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * The database's clock as the ISO text the other times are kept in: a run's heartbeat says when the
 * database last heard from it, whatever the clock of the machine that runs it says.
 */
const DB_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Page writers of streams with shared tables hold this advisory lock shared; the sweep of the shared
 * tables holds it alone, so it never removes a CVE or rule that a page being written refers to.
 */
const SHARED_TABLES_LOCK = 0x7462_5348; // "tbSH"

/**
 * Takes the shared-tables lock (shared) and reads the sweeps count holding it (the select list is
 * evaluated in order).
 */
const LOCK_SHARED = `SELECT pg_advisory_xact_lock_shared(${SHARED_TABLES_LOCK}), pg_sequence_last_value('shared_sweeps') AS n`;

/** beginPass of one connection at a time (the generation is read, then written). */
const passLock = (client: PoolClient, connection: string) =>
  client.query(`SELECT pg_advisory_xact_lock(hashtext('tanium-bridge:pass:' || $1))`, [connection]);

/**
 * Stream tables, checkpoints, runs and quarantine on PostgreSQL. A page is one transaction: the lease
 * checked and renewed on the database's clock, each stream's records copied into a staging table and
 * moved by one upsert (src/store/postgres/streamTable.ts), then the checkpoints and the run's progress.
 */
export class PgSync implements SyncRepository {
  readonly #tables: Map<StreamName, PgStreamTable>;
  /** The `shared_sweeps` count the remembered shared ids were read under. */
  #sweeps: number | undefined;
  readonly #statistics: GrowthStatistics;
  /** A page's transaction is mostly the server's work: the runner maps the next chunk meanwhile. */
  readonly overlapsCommits = true;

  constructor(private readonly session: PgSession) {
    this.#statistics = new GrowthStatistics(session, session instanceof PoolSession);
    this.#tables = new Map(Object.values(STREAMS).map((def) => [def.name, new PgStreamTable(def)]));
  }

  async settings(connection: string): Promise<SyncSettings> {
    const { rows } = await this.session.query<{
      sensors: string[];
      margin_ms: string;
      reconcile_every: number;
      headers_timeout_ms: number | null;
      body_timeout_ms: number | null;
    }>(
      `SELECT sensors, margin_ms, reconcile_every, headers_timeout_ms, body_timeout_ms
       FROM sync_settings WHERE connection = $1`,
      [connection],
    );
    const row = rows[0];
    if (!row) return { ...DEFAULT_SYNC_SETTINGS, sensors: [] };
    return {
      sensors: row.sensors,
      marginMs: Number(row.margin_ms),
      reconcileEvery: row.reconcile_every,
      ...(row.headers_timeout_ms === null ? {} : { headersTimeoutMs: row.headers_timeout_ms }),
      ...(row.body_timeout_ms === null ? {} : { bodyTimeoutMs: row.body_timeout_ms }),
    };
  }

  async saveSettings(connection: string, settings: SyncSettings, now: string): Promise<void> {
    await this.session.query(
      `INSERT INTO sync_settings (connection, sensors, margin_ms, reconcile_every, headers_timeout_ms,
         body_timeout_ms, updated_at)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7)
       ON CONFLICT (connection) DO UPDATE SET sensors = excluded.sensors, margin_ms = excluded.margin_ms,
         reconcile_every = excluded.reconcile_every, headers_timeout_ms = excluded.headers_timeout_ms,
         body_timeout_ms = excluded.body_timeout_ms, updated_at = excluded.updated_at`,
      [
        connection,
        jsonbText(settings.sensors),
        settings.marginMs,
        settings.reconcileEvery,
        settings.headersTimeoutMs ?? null,
        settings.bodyTimeoutMs ?? null,
        now,
      ],
    );
  }

  async checkpoints(connection: string): Promise<Checkpoint[]> {
    const { rows } = await this.session.query<CheckpointRow>(
      'SELECT * FROM sync_checkpoints WHERE connection = $1 ORDER BY stream',
      [connection],
    );
    const parts = (
      await this.session.query<PartitionRow>(
        `SELECT p.stream, p.part, p.cursor, p.resume_key, p.pages, p.done FROM sync_partitions p
         JOIN sync_checkpoints c ON c.connection = p.connection AND c.stream = p.stream
           AND c.generation = p.generation
         WHERE p.connection = $1 ORDER BY p.stream, p.part`,
        [connection],
      )
    ).rows;
    return rows.map((row) => ({
      stream: row.stream,
      generation: row.generation,
      mode: row.mode,
      status: row.status,
      cursor: row.cursor,
      resumeKey: row.resume_key,
      since: row.since,
      passMaxSeen: row.pass_max_seen,
      watermark: row.watermark,
      incrementals: row.incrementals,
      pageSize: row.page_size,
      pages: row.pages,
      runId: row.run_id,
      lastFullAt: row.last_full_at,
      updatedAt: row.updated_at,
      partitions: row.partitions,
      parts: parts
        .filter((p) => p.stream === row.stream)
        .map((p) => ({
          part: p.part,
          cursor: p.cursor,
          resumeKey: p.resume_key,
          pages: p.pages,
          done: p.done,
        })),
    }));
  }

  async startRun(
    connection: string,
    mode: string,
    streams: readonly StreamName[],
    now: string,
    owner?: string,
  ): Promise<number> {
    const { rows } = await this.session.query<{ id: number }>(
      `INSERT INTO sync_runs (connection, mode, streams, status, started_at, owner, heartbeat_at)
       VALUES ($1, $2, $3::jsonb, 'running', $4, $5, ${DB_NOW}) RETURNING id`,
      [connection, mode, jsonbText(streams), now, owner ?? null],
    );
    return rows[0]!.id;
  }

  async finishRun(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    summary: unknown,
    error: string | null,
    now: string,
    lease?: LeaseClaim,
  ): Promise<void> {
    const text = `UPDATE sync_runs SET status = $1, summary = $2::jsonb, error = $3, finished_at = $4
       WHERE id = $5 AND status = 'running'`;
    const values = [status, summary === undefined ? null : jsonbText(summary), error, now, id];
    if (!lease) {
      await this.session.query(text, values);
      return;
    }
    await this.session.atomic(async (client) => {
      await checkLease(client, lease, `run ${id} was not recorded ${status}`);
      await client.query(text, values);
    });
  }

  async interruptRuns(connection: string, reason: string, now: string): Promise<number[]> {
    const { rows } = await this.session.query<{ id: number }>(
      `UPDATE sync_runs SET status = 'interrupted', error = $1, finished_at = $2
       WHERE connection = $3 AND status = 'running' RETURNING id`,
      [reason, now, connection],
    );
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async runningRun(connection: string, owner?: string): Promise<SyncRunRecord | undefined> {
    const { rows } = await this.session.query<RunRow>(
      `SELECT * FROM sync_runs WHERE connection = $1 AND status = 'running'
         AND ($2::text IS NULL OR owner = $2) ORDER BY id DESC LIMIT 1`,
      [connection, owner ?? null],
    );
    return rows[0] && runRecord(rows[0]);
  }

  /** The heartbeat is the database's clock (DB_NOW), not the caller's `now`. */
  async heartbeat(id: number, _now: string): Promise<void> {
    await this.session.query(
      `UPDATE sync_runs SET heartbeat_at = ${DB_NOW} WHERE id = $1 AND status = 'running'`,
      [id],
    );
  }

  async runs(connection: string, limit: number): Promise<SyncRunRecord[]> {
    const { rows } = await this.session.query<RunRow>(
      'SELECT * FROM sync_runs WHERE connection = $1 ORDER BY id DESC LIMIT $2',
      [connection, limit],
    );
    return rows.map(runRecord);
  }

  async runById(connection: string, id: number): Promise<SyncRunRecord | undefined> {
    const { rows } = await this.session.query<RunRow>(
      'SELECT * FROM sync_runs WHERE connection = $1 AND id = $2',
      [connection, id],
    );
    return rows[0] && runRecord(rows[0]);
  }

  beginPass(
    connection: string,
    streams: readonly StreamName[],
    pass: PassStart,
    now: string,
  ): Promise<number> {
    return this.session.atomic(async (client) => {
      await passLock(client, connection);
      await checkLease(client, pass.lease, `the pass of run ${pass.runId} was not restarted`);
      const { rows } = await client.query<{ next: number }>(
        'SELECT coalesce(max(generation), 0) + 1 AS next FROM sync_checkpoints WHERE connection = $1',
        [connection],
      );
      const next = rows[0]!.next;
      await client.query(
        `INSERT INTO sync_checkpoints (connection, stream, generation, mode, status, cursor, resume_key,
           since, pass_max_seen, page_size, pages, run_id, updated_at, partitions)
         SELECT $1, stream, $2, $3, 'running', NULL, NULL, $4, NULL, $5, 0, $6, $7, $9
         FROM unnest($8::text[]) AS stream
         ON CONFLICT (connection, stream) DO UPDATE SET generation = excluded.generation,
           mode = excluded.mode, status = 'running', cursor = NULL, resume_key = NULL, since = excluded.since,
           pass_max_seen = NULL, page_size = excluded.page_size, pages = 0, run_id = excluded.run_id,
           updated_at = excluded.updated_at, partitions = excluded.partitions`,
        [
          connection,
          next,
          pass.mode,
          pass.since,
          pass.pageSize,
          pass.runId,
          now,
          [...new Set(streams)],
          pass.partitions ?? 1,
        ],
      );
      await client.query('DELETE FROM sync_partitions WHERE connection = $1 AND stream = ANY($2::text[])', [
        connection,
        [...new Set(streams)],
      ]);
      return next;
    });
  }

  /** Forgets remembered shared ids (a page rolled back, or a sweep may have removed them). */
  #forgetShared(): void {
    for (const table of this.#tables.values()) table.shared?.forget();
  }

  /**
   * Forgets remembered ids when a sweep ran since they were read: `n` is the `shared_sweeps` count
   * read holding the shared-tables lock (LOCK_SHARED). Says whether ids remembered before may be gone.
   */
  #sawSweeps(n: number | null): boolean {
    const moved = this.#sweeps !== undefined && (n ?? 0) !== this.#sweeps;
    if ((n ?? 0) !== this.#sweeps) this.#forgetShared();
    this.#sweeps = n ?? 0;
    return moved;
  }

  async writePage(page: PageWrite, now: string): Promise<Record<string, StreamCounts>> {
    let result: Record<string, StreamCounts>;
    try {
      result = await this.#writePage(page, now);
    } catch (error) {
      this.#forgetShared();
      throw error;
    }
    await this.#analyzeGrowing(page);
    return result;
  }

  /**
   * One page in three round trips plus one COPY per stream with rows: the BEGIN with the lease's
   * renewal, the shared-tables lock and each stream's opening (details new to this writer stored and
   * their ids read, the page's endpoints already stored looked up: streamTable.ts); the COPYs, of new
   * rows straight into their tables and of the others into the staging tables; every other statement
   * of the page in one batch (pageBatch.ts); the COMMIT. The commit waits for its WAL to reach disk: a
   * page acknowledged but lost to a server crash would not be read again by the same run, whose later
   * pages move the checkpoint on, and the pass's sweep would then remove its rows.
   */
  #writePage(page: PageWrite, now: string): Promise<Record<string, StreamCounts>> {
    const { connection, runId, generation } = page;
    const staged = page.streams.filter(({ batch }) => batch.rows.length > 0);
    const shared = staged.some(({ name }) => this.#tables.get(name)!.shared);
    const opening = new PageBatch();
    const openings = new Map<StreamName, StreamOpening>(
      staged.map(({ name, batch }) => [name, this.#tables.get(name)!.open(opening, connection, batch.rows)]),
    );
    const begin = [
      ...(page.lease ? [renewLeaseText(page.lease)] : []),
      ...(shared ? [LOCK_SHARED] : []),
      ...(opening.size > 0 ? [opening.text] : []),
    ].join(';\n');
    return this.session.atomic(async (client, begun) => {
      let at = 0;
      if (page.lease && (begun[at++]!.rowCount ?? 0) === 0)
        throw new LeaseLostError(page.lease.key, `page ${page.pages} of run ${runId} was not written`);
      if (shared && this.#sawSweeps((begun[at++]!.rows[0] as { n: number | null }).n))
        await this.#reopen(client, page, openings);
      opening.deliver(begun.slice(at));
      const batch = new PageBatch();
      const result: Record<string, StreamCounts> = {};
      for (const { name, batch: records } of page.streams) {
        const counts = await this.#tables
          .get(name)!
          .write(client, batch, connection, records, generation, runId, openings.get(name) ?? EMPTY_OPENING);
        counts.quarantined += quarantine(batch, connection, records.quarantined, runId, now);
        result[name] = counts;
      }
      if (page.quarantined.length > 0) {
        const first = page.streams[0]?.name;
        const n = quarantine(batch, connection, page.quarantined, runId, now);
        if (first && result[first]) result[first].quarantined += n;
      }
      batch.add(positionText(page, now));
      if (page.partition) batch.add(partitionText(page, page.partition));
      await batch.run(client);
      return result;
    }, begin);
  }

  /**
   * A sweep of the details tables ran since the opening's remembered ids were read: the rows that used
   * them resolve their details again, in one more round trip (the opening's own reads are current).
   */
  async #reopen(
    client: PoolClient,
    page: PageWrite,
    openings: Map<StreamName, StreamOpening>,
  ): Promise<void> {
    const again = new PageBatch();
    for (const { name, batch } of page.streams) {
      const opening = openings.get(name);
      if (opening?.remembered) this.#tables.get(name)!.reopen(opening, again, batch.rows);
    }
    await again.run(client);
  }

  /** Counts the rows a committed page wrote, for the writer's statistics (growthStatistics.ts). */
  #analyzeGrowing(page: PageWrite): Promise<void> {
    return this.#statistics.wrote(
      page.streams
        .filter(({ batch }) => batch.rows.length > 0)
        .map(({ name, batch }) => ({
          table: this.#tables.get(name)!.layout.rowsTable,
          rows: batch.rows.length,
          ...(name === 'assets' ? { with: ['asset_addresses'] } : {}),
        })),
    );
  }

  /** Records check-ins (SyncRepository.touchSeen) in one lease-checked transaction (touchSeen.ts). */
  touchSeen(touch: SeenTouch, _now: string): Promise<number> {
    return this.session.atomic(async (client) => {
      await checkLease(client, touch.lease, `the check-ins of run ${touch.runId} were not recorded`);
      const touched = await touchSeenRows(client, touch);
      await client.query(`UPDATE sync_runs SET heartbeat_at = ${DB_NOW} WHERE id = $1`, [touch.runId]);
      return touched;
    });
  }

  /** Cancels this writer's background statistics before the store's pool ends (growthStatistics.ts). */
  async stop(): Promise<void> {
    await this.#statistics.stop();
  }

  /** Nothing to do between pages: PostgreSQL's own background processes checkpoint and vacuum. */
  async idle(): Promise<void> {}

  async completePass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; generation: number; passMaxSeen: string | null; lease?: LeaseClaim },
    now: string,
  ): Promise<Record<string, number>> {
    const removed = await this.#completePass(connection, streams, pass, now);
    await this.#statistics.settled();
    await this.#analyze(streams);
    return removed;
  }

  /**
   * Statistics for the tables a pass wrote, after its commit: the planner otherwise plans reads and
   * posture's fact refresh for the empty tables it last saw (autovacuum's analyse comes later, and later
   * still on a busy server). Sampling keeps it short on large tables.
   */
  async #analyze(streams: readonly StreamName[]): Promise<void> {
    const tables = new Set<string>(['scope_answers']);
    for (const stream of streams) {
      const { layout } = this.#tables.get(stream)!;
      tables.add(layout.rowsTable);
      if (layout.shared) tables.add(layout.shared.table);
      if (stream === 'assets') tables.add('asset_addresses');
    }
    await this.session.query(`ANALYZE ${[...tables].join(', ')}`);
  }

  #completePass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; generation: number; passMaxSeen: string | null; lease?: LeaseClaim },
    now: string,
  ): Promise<Record<string, number>> {
    return this.session.atomic(async (client) => {
      const removed: Record<string, number> = {};
      await checkLease(client, pass.lease, 'the pass was not completed and nothing was swept');
      const full = pass.mode === 'full';
      if (full) {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SHARED_TABLES_LOCK]);
        await client.query(`SELECT nextval('shared_sweeps')`);
      }
      await closePartitions(client, connection, streams, pass.generation);
      for (const stream of streams) {
        removed[stream] = 0;
        if (full) {
          const table = this.#tables.get(stream)!;
          removed[stream] = await table.sweep(client, connection, pass.generation);
          await table.sweepShared(client);
          if (stream === 'assets')
            await client.query(
              `DELETE FROM asset_addresses x WHERE x.connection = $1 AND NOT EXISTS
                 (SELECT 1 FROM assets a WHERE a.connection = $1 AND a.endpoint_id = x.endpoint_id)`,
              [connection],
            );
        }
        const { rows } = await client.query<{
          watermark: string | null;
          incrementals: number;
          last_full_at: string | null;
        }>(
          'SELECT watermark, incrementals, last_full_at FROM sync_checkpoints WHERE connection = $1 AND stream = $2',
          [connection, stream],
        );
        const previous = rows[0];
        await client.query(
          `UPDATE sync_checkpoints SET status = 'complete', cursor = NULL, resume_key = NULL, watermark = $1,
             incrementals = $2, last_full_at = $3, updated_at = $4
           WHERE connection = $5 AND stream = $6 AND generation = $7`,
          [
            full ? pass.passMaxSeen : later(previous?.watermark ?? null, pass.passMaxSeen),
            full ? 0 : (previous?.incrementals ?? 0) + 1,
            full ? now : (previous?.last_full_at ?? null),
            now,
            connection,
            stream,
            pass.generation,
          ],
        );
      }
      return removed;
    });
  }

  async count(connection: string, stream: StreamName): Promise<number> {
    const { rows } = await this.session.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.#tables.get(stream)!.layout.view} WHERE connection = $1`,
      [connection],
    );
    return rows[0]!.n;
  }

  rows(connection: string, stream: StreamName, chunk = 1000): AsyncGenerator<StreamRecord> {
    return streamRows(this.session, connection, STREAMS[stream], readFields(STREAMS[stream]), chunk);
  }

  scopeAnswers(connection: string, stream: StreamName, chunk = 1000): AsyncGenerator<ScopeAnswer> {
    return scopeAnswers(this.session, connection, stream, chunk);
  }

  async quarantined(connection: string, stream?: StreamName): Promise<QuarantineRecord[]> {
    const { rows } = await this.session.query<{
      stream: StreamName;
      record_key: string;
      reason: string;
      raw: unknown;
      run_id: number;
      created_at: string;
    }>(
      `SELECT stream, record_key, reason, raw, run_id, created_at FROM quarantine
       WHERE connection = $1 AND ($2::text IS NULL OR stream = $2) ORDER BY stream, record_key`,
      [connection, stream ?? null],
    );
    return rows.map((row) => ({
      stream: row.stream,
      key: row.record_key,
      reason: row.reason,
      raw: row.raw,
      runId: row.run_id,
      createdAt: row.created_at,
    }));
  }
}

/** The opening of a stream without rows in the page (nothing to copy). */
const EMPTY_OPENING: StreamOpening = {
  round: [],
  rounds: 0,
  remembered: false,
  stored: new Set(),
  storedAddresses: new Set(),
  prepared: false,
};

/** Records refused by validation, kept with the latest reason per key (added to `batch`). Returns how many. */
function quarantine(
  batch: PageBatch,
  connection: string,
  records: readonly Quarantined[],
  runId: number,
  now: string,
): number {
  for (const round of inRounds(records, (r) => `${r.stream}\u0000${r.key}`))
    batch.add(
      bind(
        `INSERT INTO quarantine (connection, stream, record_key, reason, raw, run_id, created_at)
         SELECT $1, q.stream, q.record_key, q.reason, q.raw::json, $2, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS q(stream, record_key, reason, raw)
         ON CONFLICT (connection, stream, record_key) DO UPDATE SET reason = excluded.reason,
           raw = excluded.raw, run_id = excluded.run_id, created_at = excluded.created_at`,
        [
          literal(connection),
          literal(runId),
          literal(now),
          ...[
            round.map((r) => r.stream),
            round.map((r) => r.key),
            round.map((r) => r.reason),
            // json, unlike jsonb, keeps a NUL or lone surrogate escape as written: no jsonbText here.
            round.map((r) => JSON.stringify(r.raw) ?? 'null'),
          ].map((values) => arrayLiteral(values, 'text[]')),
        ],
      ),
    );
  return records.length;
}

/** The page's position in its checkpoints and its run's progress, as SQL text. */
function positionText(page: PageWrite, now: string): string {
  return bind(
    `WITH checkpoint AS (
        UPDATE sync_checkpoints SET cursor = $1, resume_key = coalesce($2, resume_key), pass_max_seen = $3,
          page_size = $4, pages = $5, run_id = $6, updated_at = $7
        WHERE connection = $8 AND stream = ANY($9::text[]) AND generation = $10)
      UPDATE sync_runs SET pages = $5, heartbeat_at = ${DB_NOW} WHERE id = $6`,
    [
      // A partition's position is its own; the pass's cursor stays unset (the partitions decide).
      literal(page.partition ? null : page.cursor),
      `${literal(page.partition ? null : (page.resumeKey ?? null))}::text`,
      `${literal(page.passMaxSeen)}::text`,
      literal(page.pageSize),
      literal(page.pages),
      literal(page.runId),
      literal(now),
      literal(page.connection),
      arrayLiteral(
        page.streams.map((s) => s.name),
        'text[]',
      ),
      literal(page.generation),
    ],
  );
}

/** A partitioned page's position for every stream of the page, as SQL text (an upsert). */
function partitionText(page: PageWrite, part: { part: number; pages: number }): string {
  return bind(
    `INSERT INTO sync_partitions (connection, stream, part, generation, cursor, resume_key, pages, done)
      SELECT $1, stream, $2, $3, $4, $5, $6, $7 FROM unnest($8::text[]) AS stream
      ON CONFLICT (connection, stream, part) DO UPDATE SET generation = excluded.generation,
        cursor = excluded.cursor, resume_key = coalesce(excluded.resume_key, sync_partitions.resume_key),
        pages = excluded.pages, done = excluded.done`,
    [
      literal(page.connection),
      literal(part.part),
      literal(page.generation),
      `${literal(page.cursor)}::text`,
      `${literal(page.resumeKey ?? null)}::text`,
      literal(part.pages),
      literal(page.cursor === null),
      arrayLiteral(
        page.streams.map((s) => s.name),
        'text[]',
      ),
    ],
  );
}

/**
 * Before a pass completes: every partition of a partitioned pass must have read its last page (else
 * PartitionsOpenError, nothing swept); then the partition positions are cleared.
 */
async function closePartitions(
  client: PoolClient,
  connection: string,
  streams: readonly StreamName[],
  generation: number,
): Promise<void> {
  const { rows } = await client.query<{ stream: string; open: number }>(
    `SELECT c.stream, c.partitions - (SELECT count(*) FROM sync_partitions p WHERE p.connection = c.connection
       AND p.stream = c.stream AND p.generation = c.generation AND p.done)::int AS open
     FROM sync_checkpoints c
     WHERE c.connection = $1 AND c.stream = ANY($2::text[]) AND c.generation = $3 AND c.partitions > 1`,
    [connection, [...streams], generation],
  );
  const open = rows.find((row) => row.open > 0);
  if (open) throw new PartitionsOpenError(open.stream, open.open);
  await client.query('DELETE FROM sync_partitions WHERE connection = $1 AND stream = ANY($2::text[])', [
    connection,
    [...streams],
  ]);
}
