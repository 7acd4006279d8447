import type { Quarantined, StreamBatch, StreamName } from '../streams/stream.js';

/** Per-connection sync settings, stored with the connection (`sync --sensors`, `--margin`, `--reconcile-every`). */
export interface SyncSettings {
  /** Sensor names for the sensors stream, as the user gave them. */
  sensors: string[];
  /** Incremental runs read endpoints with eidLastSeen GT (watermark - marginMs). */
  marginMs: number;
  /** Every Nth run after a full pass is a full pass again (reconcile), whatever was asked. */
  reconcileEvery: number;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = { sensors: [], marginMs: 10 * 60_000, reconcileEvery: 24 };

export type PassMode = 'full' | 'incremental';

/** Where a stream stands: the pass in progress (or the last one completed) and its watermark. */
export interface Checkpoint {
  stream: StreamName;
  /** The collection generation rows seen by this pass are stamped with (the mark of mark-and-sweep). */
  generation: number;
  mode: PassMode;
  status: 'running' | 'complete';
  /** The Gateway cursor after the last committed page (null before the first page). */
  cursor: string | null;
  /** The eidLastSeen lower bound of an incremental pass (null for full). */
  since: string | null;
  /** The largest eidLastSeen seen by this pass so far. */
  passMaxSeen: string | null;
  /** The largest eidLastSeen of the last completed pass: the next incremental starts there. */
  watermark: string | null;
  /** Incremental passes completed since the last full pass. */
  incrementals: number;
  /** The page size the runner last used (a restart starts there). */
  pageSize: number;
  pages: number;
  runId: number;
  lastFullAt: string | null;
  updatedAt: string;
}

/** One page, written with its checkpoint in one transaction. */
export interface PageWrite {
  connection: string;
  runId: number;
  generation: number;
  streams: { name: StreamName; batch: StreamBatch }[];
  /** Records refused before any stream read them (an endpoint without an id). */
  quarantined: Quarantined[];
  cursor: string | null;
  passMaxSeen: string | null;
  pageSize: number;
  pages: number;
}

export interface StreamCounts {
  added: number;
  updated: number;
  removed: number;
  quarantined: number;
  /** endpoints whose answer for the stream was (partly) not known this time: what was stored stays */
  unknown: number;
  /** rows written (added, updated or unchanged) */
  rows: number;
}

export interface SyncRunRecord {
  id: number;
  connection: string;
  mode: string;
  streams: StreamName[];
  status: 'running' | 'complete' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  summary: unknown;
  error: string | null;
}

export interface QuarantineRecord {
  stream: StreamName;
  key: string;
  reason: string;
  raw: unknown;
  runId: number;
  createdAt: string;
}

/**
 * Stream tables, checkpoints, runs and quarantine. Async like every repository so that PostgreSQL can
 * implement it (COPY into a staging table, then one upsert per page); the SQLite implementation runs
 * each page as one synchronous IMMEDIATE transaction with prepared statements.
 */
export interface SyncRepository {
  settings(connection: string): Promise<SyncSettings>;
  saveSettings(connection: string, settings: SyncSettings, now: string): Promise<void>;
  checkpoints(connection: string): Promise<Checkpoint[]>;
  startRun(connection: string, mode: string, streams: readonly StreamName[], now: string): Promise<number>;
  finishRun(
    id: number,
    status: 'complete' | 'failed',
    summary: unknown,
    error: string | null,
    now: string,
  ): Promise<void>;
  runs(connection: string, limit: number): Promise<SyncRunRecord[]>;
  /**
   * Starts a pass (a new collection) for these streams: a fresh generation, status running, no cursor.
   * Earlier watermarks and counters are kept. Returns the generation.
   */
  beginPass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; since: string | null; runId: number; pageSize: number },
    now: string,
  ): Promise<number>;
  /** Upserts the page's rows of every stream, its quarantined records and the checkpoints, atomically. */
  writePage(page: PageWrite, now: string): Promise<Record<string, StreamCounts>>;
  /**
   * Spare time: the runner is waiting for the next page. Does housekeeping that would otherwise run
   * inside a later page's commit (SQLite: copies the write-ahead log into the database file).
   */
  idle(): Promise<void>;
  /**
   * Ends a pass: for a full pass, removes rows not seen by it (generation below `generation`); moves the
   * watermark; marks the checkpoints complete. One transaction. Returns rows removed per stream.
   */
  completePass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; generation: number; passMaxSeen: string | null },
    now: string,
  ): Promise<Record<string, number>>;
  count(connection: string, stream: StreamName): Promise<number>;
  /**
   * Every row of a stream in key order, a chunk at a time (bounded memory), with the columns readers see
   * (`readColumns`: scoped streams add `answered_at` and `status`).
   */
  rows(connection: string, stream: StreamName, chunk?: number): AsyncGenerator<Record<string, unknown>>;
  quarantined(connection: string, stream?: StreamName): Promise<QuarantineRecord[]>;
}
