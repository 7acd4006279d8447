import type { Quarantined, StreamBatch, StreamName, StreamRecord } from '../streams/stream.js';
import type { LeaseClaim } from './leases.js';
import type { ScopeAnswer } from './scopeAnswers.js';

/** Per-connection sync settings, stored with the connection (`sync --sensors`, `--margin`, `--reconcile-every`). */
export interface SyncSettings {
  /** Sensor names for the sensors stream, as the user gave them. */
  sensors: string[];
  /** Incremental runs read what changed after (watermark - marginMs). */
  marginMs: number;
  /** Every Nth run after a full pass is a full pass again (reconcile), whatever was asked. */
  reconcileEvery: number;
  /** Request timeouts for this connection (`sync --header-timeout`, `--body-timeout`); absent: the SDK's. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
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
  /**
   * The last endpoint id committed by this pass (the pass reads endpoints in id order): when the cursor
   * is gone, the pass continues with the endpoints after it.
   */
  resumeKey: string | null;
  /** The eidLastSeen lower bound of an incremental pass (null for full). */
  since: string | null;
  /**
   * The pass's watermark: the largest eidLastSeen of its first page, a Tanium time no later than any read
   * of the pass (docs/sync.md, "Incremental"). Set by the first page, then kept.
   */
  passMaxSeen: string | null;
  /** The watermark of the last completed pass: the next incremental starts there (minus the margin). */
  watermark: string | null;
  /** Incremental passes completed since the last full pass. */
  incrementals: number;
  /** The page size the runner last used (a restart starts there). */
  pageSize: number;
  pages: number;
  runId: number;
  lastFullAt: string | null;
  updatedAt: string;
  /**
   * The disjoint collections the pass reads at once (docs/sync.md, "Parallel cursors"); 1: one
   * collection, whose position is `cursor` and `resumeKey` above.
   */
  partitions: number;
  /** With partitions: each partition that committed a page in this pass, with its own position. */
  parts: PartitionCheckpoint[];
}

/** Where one partition of a partitioned pass stands (its last committed page). */
export interface PartitionCheckpoint {
  part: number;
  /** The partition's Gateway cursor after its last committed page; null once its last page is in. */
  cursor: string | null;
  /** The last endpoint id the partition committed (it reads in id order). */
  resumeKey: string | null;
  pages: number;
  done: boolean;
}

/** How `SyncRepository.beginPass` starts a pass. */
export interface PassStart {
  mode: PassMode;
  since: string | null;
  runId: number;
  pageSize: number;
  /** Disjoint collections the pass is read as (default 1). */
  partitions?: number;
  /** The writer's lease, checked and renewed in the same transaction. */
  lease?: LeaseClaim;
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
  /** The last endpoint id of the page (see Checkpoint.resumeKey); null keeps the previous one. */
  resumeKey?: string | null;
  passMaxSeen: string | null;
  pageSize: number;
  pages: number;
  /** The sync lease the writer holds: checked and renewed in the page's transaction. */
  lease?: LeaseClaim;
  /**
   * A page of one partition of a partitioned pass: `cursor` and `resumeKey` are that partition's
   * (its checkpoint, done once `cursor` is null); `pages` stays the pass's page count.
   */
  partition?: { part: number; pages: number };
}

/**
 * Check-ins recorded without reading the endpoints' data: an incremental pass first reads which endpoints
 * checked in (ids and eidLastSeen) and records for the ones already stored what a full read of an
 * unchanged endpoint would change (docs/sync.md, "Incremental").
 */
export interface SeenTouch {
  connection: string;
  runId: number;
  /** The pass's streams: `assets` gets `last_seen`; the scoped streams their scopes' times. */
  streams: readonly StreamName[];
  /** The chosen sensors: the `sensors` stream's scopes to touch. */
  sensors: readonly string[];
  /** eidLastSeen per endpoint, as the Gateway answered it (RFC 3339). */
  seen: readonly { endpointId: string; lastSeen: string }[];
  /** The sync lease the writer holds: checked and renewed in the same transaction. */
  lease?: LeaseClaim;
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

/** `interrupted`: the process running it died or lost its lease before it finished. */
export type RunStatus = 'running' | 'complete' | 'failed' | 'interrupted';

export interface SyncRunRecord {
  id: number;
  connection: string;
  mode: string;
  streams: StreamName[];
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  summary: unknown;
  error: string | null;
  /** The sync lease owner that ran it (`host:pid:uuid`); null for runs of older versions. */
  owner: string | null;
  /** Pages committed so far (the pass's page number when the run resumed a pass). */
  pages: number;
  /** When the run last committed a page or renewed its lease. */
  heartbeatAt: string | null;
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
  startRun(
    connection: string,
    mode: string,
    streams: readonly StreamName[],
    now: string,
    owner?: string,
  ): Promise<number>;
  /**
   * Ends a run that is still `running` (a run already marked interrupted keeps that status). With
   * `lease`, one transaction guarded like `writePage`: a lease no longer ours throws LeaseLostError and
   * nothing is recorded (the process that took the lease over marked the run interrupted when it started).
   */
  finishRun(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    summary: unknown,
    error: string | null,
    now: string,
    lease?: LeaseClaim,
  ): Promise<void>;
  /**
   * Marks the connection's runs still `running` as interrupted (call holding the sync lease: none of
   * them can still be going). Returns their ids.
   */
  interruptRuns(connection: string, reason: string, now: string): Promise<number[]>;
  /** The connection's run marked `running` by `owner` (or the newest running one), if any. */
  runningRun(connection: string, owner?: string): Promise<SyncRunRecord | undefined>;
  /** Records that the run is alive (lease renewed while waiting for the Gateway). */
  heartbeat(id: number, now: string): Promise<void>;
  runs(connection: string, limit: number): Promise<SyncRunRecord[]>;
  /** One run of the connection by its id, if it exists. */
  runById(connection: string, id: number): Promise<SyncRunRecord | undefined>;
  /**
   * Starts a pass (a new collection) for these streams: a fresh generation, status running, no cursor,
   * `partitions` collections (default 1) with no partition position yet. Earlier watermarks and
   * counters are kept. Returns the generation. With `lease`, guarded like `writePage`: a writer that
   * lost its lease cannot restart the new holder's pass (its checkpoints would no longer match).
   */
  beginPass(
    connection: string,
    streams: readonly StreamName[],
    pass: PassStart,
    now: string,
  ): Promise<number>;
  /**
   * Upserts the page's rows of every stream, its quarantined records and the checkpoints, atomically.
   * With `lease`, first checks and renews it: a lease no longer ours throws LeaseLostError, nothing written.
   */
  writePage(page: PageWrite, now: string): Promise<Record<string, StreamCounts>>;
  /**
   * True when `writePage` mostly waits on a database server (PostgreSQL): the runner then reads and
   * maps the next chunk while a page commits (src/sync/commitAhead.ts). Absent on SQLite, whose
   * write runs synchronously inside the call.
   */
  readonly overlapsCommits?: boolean;
  /**
   * Records check-ins of stored endpoints, in one transaction guarded by `lease` like `writePage`:
   * `assets.last_seen` and each scope's `checked_at` become the new eidLastSeen, and its `answered_at`
   * too where the scope's status is `answered` (the answer is the same, given again). Never moves a
   * time backwards; endpoints not stored are left alone. Returns the assets touched.
   */
  touchSeen(touch: SeenTouch, now: string): Promise<number>;
  /**
   * Spare time: the runner is waiting for the next page. Does housekeeping that would otherwise run
   * inside a later page's commit (SQLite: copies the write-ahead log into the database file).
   */
  idle(): Promise<void>;
  /**
   * Ends a pass: for a full pass, removes rows not seen by it (generation below `generation`); moves the
   * watermark; marks the checkpoints complete. One transaction, guarded by `lease` like `writePage`.
   * Rows of a later generation (a pass begun after this one) are never removed. Returns rows removed
   * per stream.
   */
  completePass(
    connection: string,
    streams: readonly StreamName[],
    pass: { mode: PassMode; generation: number; passMaxSeen: string | null; lease?: LeaseClaim },
    now: string,
  ): Promise<Record<string, number>>;
  count(connection: string, stream: StreamName): Promise<number>;
  /**
   * Every record of a stream in key order, a chunk at a time (bounded memory), with the fields readers
   * see (`readFields`: scoped streams add `answered_at` and `status`), values native as the stream gave
   * them (booleans true/false, json fields as lists and objects).
   */
  rows(connection: string, stream: StreamName, chunk?: number): AsyncGenerator<StreamRecord>;
  /**
   * How each scope of a scoped stream was last answered, in (endpoint, scope) order, a chunk at a time.
   * Unlike `rows`, it includes scopes that hold no rows: an endpoint whose first answer was null or
   * TSE-Error, or that has no findings. Nothing for a stream without scopes (assets).
   */
  scopeAnswers(connection: string, stream: StreamName, chunk?: number): AsyncGenerator<ScopeAnswer>;
  quarantined(connection: string, stream?: StreamName): Promise<QuarantineRecord[]>;
}
