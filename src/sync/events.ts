import type { PassMode, StreamCounts } from '../store/sync.js';
import type { StreamName } from '../streams/stream.js';
import type { SyncHolder } from './syncStatus.js';

export interface StreamSummary extends StreamCounts {
  /** Wall time of the pass that fed the stream (streams of one pass share their pages). */
  durationMs: number;
}

export interface SyncSummary {
  connection: string;
  runId: number;
  mode: PassMode;
  resumed: boolean;
  since: string | null;
  pages: number;
  endpoints: number;
  /** Times the cursor was gone and the pass went on after the last endpoint id it had committed. */
  resumes: number;
  /** Times the pass had to begin again (the tenant refused the id order, or nothing was committed). */
  restarts: number;
  /** The disjoint collections the pass was read as (parallel cursors; absent or 1: one). */
  partitions?: number;
  durationMs: number;
  streams: Partial<Record<StreamName, StreamSummary>>;
  /** Streams not synced, with the reason (no sensors chosen). */
  skipped: Partial<Record<StreamName, string>>;
  /** Optional fields the tenant's Gateway lacks, and what stays null for it (one line per field). */
  warnings: string[];
  /**
   * An incremental pass's check-in pass (ids and eidLastSeen of the endpoints seen since `since`, their
   * check-ins recorded), and whether the pass then read only the endpoints whose data changed
   * (`endpoints` counts those; false when the tenant refused the change filter). Absent for full passes.
   */
  checkIns?: CheckInSummary;
}

export interface CheckInSummary {
  /** endpoints that checked in since `since` */
  endpoints: number;
  /** stored assets whose check-in was recorded */
  touched: number;
  /** check-ins handed to the recording beside the pages (of endpoints whose data had not changed) */
  early: number;
  pages: number;
  durationMs: number;
  /** the pass read only what changed (the tenant took the change filter) */
  changesOnly: boolean;
}

/** Progress, one object per line with `sync --json`. */
export type SyncEvent =
  | {
      event: 'start';
      connection: string;
      runId: number;
      mode: PassMode;
      streams: StreamName[];
      since: string | null;
      resumed: boolean;
      reason: string;
      /** Runs left `running` by processes that died, marked interrupted by this start. */
      interrupted: number[];
    }
  | { event: 'waiting'; holder: SyncHolder }
  | {
      event: 'page';
      page: number;
      /** The partition the page came from (a pass read as parallel cursors, docs/sync.md). */
      partition?: number;
      endpoints: number;
      rows: number;
      totalRecords: number | null;
      pageSize: number;
      /** request to parsed answer */
      ms: number;
      /** time the runner waited for this page (0 when it arrived while the previous one was stored) */
      waitMs: number;
      /** the page's transaction */
      storeMs: number;
      endpointsPerSecond: number;
      etaSeconds: number | null;
    }
  | { event: 'check-ins'; endpoints: number; touched: number; early: number; pages: number; ms: number }
  | { event: 'resume'; reason: string; afterId: string }
  | { event: 'restart'; reason: string }
  | { event: 'retry'; reason: string; pageSize: number }
  | { event: 'skipped'; stream: StreamName; reason: string }
  /** An optional field the tenant's schema lacks: its columns stay null (once per field and run). */
  | { event: 'warning'; field: string; message: string }
  | { event: 'done'; summary: SyncSummary };
