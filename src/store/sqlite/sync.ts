import type { Database, Statement } from 'better-sqlite3';
import { STREAMS } from '../../streams/index.js';
import {
  type FieldValue,
  type Quarantined,
  readFields,
  type StreamName,
  type StreamRecord,
} from '../../streams/stream.js';
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
import type { Checkpointer } from './checkpointer.js';
import { decodeRow, encodings } from './fieldCodec.js';
import { immediate, immediatePage } from './immediate.js';
import { LAYOUT } from './layout.js';
import { renewLease } from './leases.js';
import { scopeAnswers } from './scopeAnswers.js';
import type { Runner } from './serial.js';
import { type ChangedRow, type StreamTable, streamTables } from './streamTable.js';
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
  done: number;
}

interface RunRow {
  id: number;
  connection: string;
  mode: string;
  streams: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
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
    streams: JSON.parse(row.streams) as StreamName[],
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: row.summary === null ? null : JSON.parse(row.summary),
    error: row.error,
    owner: row.owner,
    pages: row.pages,
    heartbeatAt: row.heartbeat_at,
  };
}

/** Inside a guarded transaction: throws (rolling it back) when the lease is no longer the writer's. */
function checkLease(db: Database, lease: LeaseClaim | undefined, what: string): void {
  if (lease && !renewLease(db, lease)) throw new LeaseLostError(lease.key, what);
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

export class SqliteSync implements SyncRepository {
  #statements: Map<string, Statement> = new Map();

  constructor(
    private readonly db: Database,
    private readonly run: Runner,
    private readonly checkpointer?: Checkpointer,
  ) {}

  #stmt(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Once per transaction, at its start (see `streamTables`). */
  #tables(): Map<string, StreamTable> {
    return streamTables(this.db, Object.values(STREAMS));
  }

  /** Forgets remembered shared ids when a page transaction rolls back: ids it added are gone. */
  #forgetOnRollback<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      for (const table of this.#tables().values()) table.forget();
      throw error;
    }
  }

  settings(connection: string): Promise<SyncSettings> {
    return this.run(() => {
      const row = this.#stmt(
        `SELECT sensors, margin_ms, reconcile_every, headers_timeout_ms, body_timeout_ms
         FROM sync_settings WHERE connection = ?`,
      ).get(connection) as
        | {
            sensors: string;
            margin_ms: number;
            reconcile_every: number;
            headers_timeout_ms: number | null;
            body_timeout_ms: number | null;
          }
        | undefined;
      if (!row) return { ...DEFAULT_SYNC_SETTINGS, sensors: [] };
      return {
        sensors: JSON.parse(row.sensors) as string[],
        marginMs: row.margin_ms,
        reconcileEvery: row.reconcile_every,
        ...(row.headers_timeout_ms === null ? {} : { headersTimeoutMs: row.headers_timeout_ms }),
        ...(row.body_timeout_ms === null ? {} : { bodyTimeoutMs: row.body_timeout_ms }),
      };
    });
  }

  saveSettings(connection: string, settings: SyncSettings, now: string): Promise<void> {
    return this.run(() => {
      this.#stmt(
        `INSERT INTO sync_settings (connection, sensors, margin_ms, reconcile_every, headers_timeout_ms,
           body_timeout_ms, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (connection) DO UPDATE SET sensors = excluded.sensors, margin_ms = excluded.margin_ms,
           reconcile_every = excluded.reconcile_every, headers_timeout_ms = excluded.headers_timeout_ms,
           body_timeout_ms = excluded.body_timeout_ms, updated_at = excluded.updated_at`,
      ).run(
        connection,
        JSON.stringify(settings.sensors),
        settings.marginMs,
        settings.reconcileEvery,
        settings.headersTimeoutMs ?? null,
        settings.bodyTimeoutMs ?? null,
        now,
      );
    });
  }

  checkpoints(connection: string): Promise<Checkpoint[]> {
    return this.run(() => {
      const parts = this.#stmt(
        `SELECT p.stream, p.part, p.cursor, p.resume_key, p.pages, p.done FROM sync_partitions p
         JOIN sync_checkpoints c ON c.connection = p.connection AND c.stream = p.stream
           AND c.generation = p.generation
         WHERE p.connection = ? ORDER BY p.stream, p.part`,
      ).all(connection) as PartitionRow[];
      return (
        this.#stmt('SELECT * FROM sync_checkpoints WHERE connection = ? ORDER BY stream').all(
          connection,
        ) as CheckpointRow[]
      ).map((row) => ({
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
            done: p.done === 1,
          })),
      }));
    });
  }

  startRun(
    connection: string,
    mode: string,
    streams: readonly StreamName[],
    now: string,
    owner?: string,
  ): Promise<number> {
    return this.run(() =>
      Number(
        this.#stmt(
          `INSERT INTO sync_runs (connection, mode, streams, status, started_at, owner, heartbeat_at)
           VALUES (?, ?, ?, 'running', ?, ?, ?)`,
        ).run(connection, mode, JSON.stringify(streams), now, owner ?? null, now).lastInsertRowid,
      ),
    );
  }

  finishRun(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    summary: unknown,
    error: string | null,
    now: string,
    lease?: LeaseClaim,
  ): Promise<void> {
    const end = () => {
      this.#stmt(
        `UPDATE sync_runs SET status = ?, summary = ?, error = ?, finished_at = ?
         WHERE id = ? AND status = 'running'`,
      ).run(status, JSON.stringify(summary), error, now, id);
    };
    if (!lease) return this.run(end);
    return this.run(() =>
      immediate(this.db, () => {
        checkLease(this.db, lease, `run ${id} was not recorded ${status}`);
        end();
      }),
    );
  }

  interruptRuns(connection: string, reason: string, now: string): Promise<number[]> {
    return this.run(() =>
      (
        this.#stmt(
          `UPDATE sync_runs SET status = 'interrupted', error = ?, finished_at = ?
           WHERE connection = ? AND status = 'running' RETURNING id`,
        ).all(reason, now, connection) as { id: number }[]
      )
        .map((row) => row.id)
        .sort((a, b) => a - b),
    );
  }

  runningRun(connection: string, owner?: string): Promise<SyncRunRecord | undefined> {
    return this.run(() => {
      const row = this.#stmt(
        `SELECT * FROM sync_runs WHERE connection = ? AND status = 'running' AND (? IS NULL OR owner = ?)
         ORDER BY id DESC LIMIT 1`,
      ).get(connection, owner ?? null, owner ?? null) as RunRow | undefined;
      return row && runRecord(row);
    });
  }

  heartbeat(id: number, now: string): Promise<void> {
    return this.run(() => {
      this.#stmt(`UPDATE sync_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`).run(now, id);
    });
  }

  runs(connection: string, limit: number): Promise<SyncRunRecord[]> {
    return this.run(() =>
      (
        this.#stmt('SELECT * FROM sync_runs WHERE connection = ? ORDER BY id DESC LIMIT ?').all(
          connection,
          limit,
        ) as RunRow[]
      ).map(runRecord),
    );
  }

  runById(connection: string, id: number): Promise<SyncRunRecord | undefined> {
    return this.run(() => {
      const row = this.#stmt('SELECT * FROM sync_runs WHERE connection = ? AND id = ?').get(connection, id);
      return row === undefined ? undefined : runRecord(row as RunRow);
    });
  }

  beginPass(
    connection: string,
    streams: readonly StreamName[],
    pass: PassStart,
    now: string,
  ): Promise<number> {
    return this.run(() =>
      immediate(this.db, () => {
        checkLease(this.db, pass.lease, `the pass of run ${pass.runId} was not restarted`);
        const { next } = this.#stmt(
          'SELECT coalesce(max(generation), 0) + 1 AS next FROM sync_checkpoints WHERE connection = ?',
        ).get(connection) as { next: number };
        const upsert = this.#stmt(
          `INSERT INTO sync_checkpoints (connection, stream, generation, mode, status, cursor, resume_key,
             since, pass_max_seen, page_size, pages, run_id, updated_at, partitions)
           VALUES (?, ?, ?, ?, 'running', NULL, NULL, ?, NULL, ?, 0, ?, ?, ?)
           ON CONFLICT (connection, stream) DO UPDATE SET generation = excluded.generation,
             mode = excluded.mode, status = 'running', cursor = NULL, resume_key = NULL, since = excluded.since,
             pass_max_seen = NULL, page_size = excluded.page_size, pages = 0, run_id = excluded.run_id,
             updated_at = excluded.updated_at, partitions = excluded.partitions`,
        );
        const clear = this.#stmt('DELETE FROM sync_partitions WHERE connection = ? AND stream = ?');
        for (const stream of streams) {
          const k = pass.partitions ?? 1;
          upsert.run(connection, stream, next, pass.mode, pass.since, pass.pageSize, pass.runId, now, k);
          clear.run(connection, stream);
        }
        return next;
      }),
    );
  }

  writePage(page: PageWrite, now: string): Promise<Record<string, StreamCounts>> {
    return this.run(() =>
      this.#forgetOnRollback(() =>
        immediatePage(this.db, () => {
          const result: Record<string, StreamCounts> = {};
          const { connection, runId, generation } = page;
          checkLease(this.db, page.lease, `page ${page.pages} of run ${runId} was not written`);
          const tables = this.#tables();
          for (const { name, batch } of page.streams) {
            const assets = name === 'assets';
            const { counts, changed } = tables.get(name)!.write(connection, batch, generation, runId, assets);
            if (changed.length > 0) this.#writeAddresses(connection, changed);
            counts.quarantined += this.#quarantine(connection, batch.quarantined, runId, now);
            result[name] = counts;
          }
          if (page.quarantined.length > 0) {
            const first = page.streams[0]?.name;
            const n = this.#quarantine(connection, page.quarantined, runId, now);
            if (first && result[first]) result[first].quarantined += n;
          }
          const checkpoint = this.#stmt(
            `UPDATE sync_checkpoints SET cursor = ?, resume_key = coalesce(?, resume_key), pass_max_seen = ?,
               page_size = ?, pages = ?, run_id = ?, updated_at = ?
             WHERE connection = ? AND stream = ? AND generation = ?`,
          );
          // A partition's position is its own; the pass's cursor stays unset (the partitions decide).
          const part = page.partition;
          if (part) this.#writePartition(page, part);
          for (const { name } of page.streams)
            checkpoint.run(
              part ? null : page.cursor,
              part ? null : (page.resumeKey ?? null),
              page.passMaxSeen,
              page.pageSize,
              page.pages,
              runId,
              now,
              connection,
              name,
              generation,
            );
          this.#stmt(`UPDATE sync_runs SET pages = ?, heartbeat_at = ? WHERE id = ?`).run(
            page.pages,
            now,
            runId,
          );
          return result;
        }),
      ),
    );
  }

  touchSeen(touch: SeenTouch, now: string): Promise<number> {
    return this.run(() =>
      immediatePage(this.db, () => {
        checkLease(this.db, touch.lease, `the check-ins of run ${touch.runId} were not recorded`);
        const touched = touchSeenRows(this.db, (sql) => this.#stmt(sql), touch);
        this.#stmt(`UPDATE sync_runs SET heartbeat_at = ? WHERE id = ?`).run(now, touch.runId);
        return touched;
      }),
    );
  }

  /** Upserts the page's partition position for every stream of the page (same transaction). */
  #writePartition(page: PageWrite, part: { part: number; pages: number }): void {
    const upsert = this.#stmt(
      `INSERT INTO sync_partitions (connection, stream, part, generation, cursor, resume_key, pages, done)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection, stream, part) DO UPDATE SET generation = excluded.generation,
         cursor = excluded.cursor, resume_key = coalesce(excluded.resume_key, resume_key),
         pages = excluded.pages, done = excluded.done`,
    );
    for (const { name } of page.streams)
      upsert.run(
        page.connection,
        name,
        part.part,
        page.generation,
        page.cursor,
        page.resumeKey ?? null,
        part.pages,
        page.cursor === null ? 1 : 0,
      );
  }

  /**
   * Asks the checkpoint thread to copy the log into the database file, and returns at once: the copy
   * runs beside the next page's reading and writing (checkpointer.ts). A database in memory has no log.
   */
  async idle(): Promise<void> {
    this.checkpointer?.ask();
  }

  /**
   * Posture lookups by address: every IP and MAC of a changed asset, replaced as a set per kind. A list
   * Tanium answered null (not known this time) leaves that kind's stored addresses as they are. A new
   * asset has none stored to replace: addresses go with their asset (the pass's sweep removes those of
   * the assets it removed, a removed connection both, migration 15).
   */
  #writeAddresses(connection: string, rows: readonly ChangedRow[]): void {
    const clear = this.#stmt(
      'DELETE FROM asset_addresses WHERE connection = ? AND endpoint_id = ? AND kind = ?',
    );
    const add = this.#stmt(
      `INSERT INTO asset_addresses (connection, address, endpoint_id, kind) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    for (const { row, added } of rows) {
      const id = row['endpoint_id'] as string;
      const ipList = row['ip_addresses'] as string[] | null;
      const macList = row['mac_addresses'] as string[] | null;
      const ip = row['ip_address'];
      if (ipList && !added) clear.run(connection, id, 'ip');
      if (macList && !added) clear.run(connection, id, 'mac');
      const addresses = new Set<string>(ipList ?? []);
      if (typeof ip === 'string' && ip !== '') addresses.add(ip);
      for (const address of addresses) add.run(connection, address, id, 'ip');
      for (const mac of macList ?? []) add.run(connection, mac, id, 'mac');
    }
  }

  #quarantine(connection: string, records: readonly Quarantined[], runId: number, now: string): number {
    const insert = this.#stmt(
      `INSERT INTO quarantine (connection, stream, record_key, reason, raw, run_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection, stream, record_key) DO UPDATE SET reason = excluded.reason,
         raw = excluded.raw, run_id = excluded.run_id, created_at = excluded.created_at`,
    );
    for (const record of records)
      insert.run(
        connection,
        record.stream,
        record.key,
        record.reason,
        JSON.stringify(record.raw) ?? 'null',
        runId,
        now,
      );
    return records.length;
  }

  completePass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; generation: number; passMaxSeen: string | null; lease?: LeaseClaim },
    now: string,
  ): Promise<Record<string, number>> {
    return this.run(() =>
      this.#forgetOnRollback(() =>
        immediate(this.db, () => {
          const removed: Record<string, number> = {};
          checkLease(this.db, pass.lease, 'the pass was not completed and nothing was swept');
          const tables = this.#tables();
          const read = this.#stmt(
            'SELECT watermark, incrementals, last_full_at FROM sync_checkpoints WHERE connection = ? AND stream = ?',
          );
          const update = this.#stmt(
            `UPDATE sync_checkpoints SET status = 'complete', cursor = NULL, resume_key = NULL, watermark = ?, incrementals = ?,
             last_full_at = ?, updated_at = ? WHERE connection = ? AND stream = ? AND generation = ?`,
          );
          const unfinished = this.#stmt(
            `SELECT c.partitions - (SELECT count(*) FROM sync_partitions p WHERE p.connection = c.connection
               AND p.stream = c.stream AND p.generation = c.generation AND p.done = 1) AS open
             FROM sync_checkpoints c WHERE c.connection = ? AND c.stream = ? AND c.generation = ? AND c.partitions > 1`,
          );
          const clear = this.#stmt('DELETE FROM sync_partitions WHERE connection = ? AND stream = ?');
          for (const stream of streams) {
            const open = (unfinished.get(connection, stream, pass.generation) as { open: number } | undefined)
              ?.open;
            if (open !== undefined && open > 0) throw new PartitionsOpenError(stream, open);
            clear.run(connection, stream);
          }
          for (const stream of streams) {
            removed[stream] = 0;
            if (pass.mode === 'full') {
              removed[stream] = tables.get(stream)!.sweep(connection, pass.generation);
              if (stream === 'assets')
                this.#stmt(
                  `DELETE FROM asset_addresses WHERE connection = ? AND endpoint_id NOT IN
                   (SELECT endpoint_id FROM assets WHERE connection = ?)`,
                ).run(connection, connection);
            }
            const previous = read.get(connection, stream) as
              | { watermark: string | null; incrementals: number; last_full_at: string | null }
              | undefined;
            const full = pass.mode === 'full';
            update.run(
              full ? pass.passMaxSeen : later(previous?.watermark ?? null, pass.passMaxSeen),
              full ? 0 : (previous?.incrementals ?? 0) + 1,
              full ? now : (previous?.last_full_at ?? null),
              now,
              connection,
              stream,
              pass.generation,
            );
          }
          return removed;
        }),
      ),
    );
  }

  count(connection: string, stream: StreamName): Promise<number> {
    return this.run(
      () =>
        (
          this.#stmt(`SELECT count(*) AS n FROM ${LAYOUT[stream].view} WHERE connection = ?`).get(
            connection,
          ) as { n: number }
        ).n,
    );
  }

  async *rows(connection: string, stream: StreamName, chunk = 1000): AsyncGenerator<StreamRecord> {
    const definition = STREAMS[stream];
    const fields = readFields(definition);
    const codes = encodings(fields);
    const key = definition.primaryKey;
    const select = `SELECT ${fields.map((f) => f.name).join(', ')} FROM ${LAYOUT[stream].view} WHERE connection = ?`;
    const order = `ORDER BY ${key.join(', ')} LIMIT ?`;
    // Raw mode: values in `fields` order, decoded by decodeRow.
    const first = this.#stmt(`${select} ${order}`).raw(true);
    const next = this.#stmt(
      `${select} AND (${key.join(', ')}) > (${key.map(() => '?').join(', ')}) ${order}`,
    ).raw(true);
    // A chunk below one would never end (LIMIT 0) or restart from the top (LIMIT -1 is no limit).
    const size = Math.max(1, Math.floor(chunk));
    let last: FieldValue[] | undefined;
    for (;;) {
      const rows = await this.run(() =>
        ((last ? next.all(connection, ...last, size) : first.all(connection, size)) as unknown[][]).map(
          (row) => decodeRow(fields, codes, row),
        ),
      );
      for (const row of rows) yield row;
      if (rows.length < size) return;
      const tail = rows.at(-1)!;
      // Key fields are text and integers: their decoded values bind as they were stored.
      last = key.map((k) => tail[k] ?? null);
    }
  }

  scopeAnswers(connection: string, stream: StreamName, chunk = 1000): AsyncGenerator<ScopeAnswer> {
    return scopeAnswers((sql) => this.#stmt(sql), this.run, connection, stream, chunk);
  }

  quarantined(connection: string, stream?: StreamName): Promise<QuarantineRecord[]> {
    return this.run(() =>
      (
        this.#stmt(
          `SELECT stream, record_key, reason, raw, run_id, created_at FROM quarantine
           WHERE connection = ? AND (? IS NULL OR stream = ?) ORDER BY stream, record_key`,
        ).all(connection, stream ?? null, stream ?? null) as {
          stream: StreamName;
          record_key: string;
          reason: string;
          raw: string;
          run_id: number;
          created_at: string;
        }[]
      ).map((row) => ({
        stream: row.stream,
        key: row.record_key,
        reason: row.reason,
        raw: JSON.parse(row.raw),
        runId: row.run_id,
        createdAt: row.created_at,
      })),
    );
  }
}
