import type { StreamName } from '../streams/stream.js';
import type { StreamSummary, SyncSummary } from './events.js';
import type { StartedRun } from './startRun.js';

/** A run's summary and per-stream totals as its pages commit, closed with the run's duration. */
export class RunTally {
  readonly summary: SyncSummary;
  readonly totals: Map<StreamName, StreamSummary>;
  readonly started = performance.now();

  constructor(connection: string, run: StartedRun, active: StreamName[], skipped: SyncSummary['skipped']) {
    this.summary = {
      connection,
      runId: run.runId,
      mode: run.plan.mode,
      resumed: run.plan.resume !== undefined,
      since: run.plan.since,
      pages: 0,
      endpoints: 0,
      resumes: 0,
      restarts: 0,
      durationMs: 0,
      streams: {},
      skipped,
      warnings: [],
    };
    if (run.partitions > 1) this.summary.partitions = run.partitions;
    this.totals = new Map(
      active.map((s) => [
        s,
        { added: 0, updated: 0, removed: 0, quarantined: 0, unknown: 0, rows: 0, durationMs: 0 },
      ]),
    );
  }

  /** The summary with the run's duration and every stream's totals. */
  finish(): SyncSummary {
    this.summary.durationMs = Math.round(performance.now() - this.started);
    for (const [stream, counts] of this.totals)
      this.summary.streams[stream] = { ...counts, durationMs: this.summary.durationMs };
    return this.summary;
  }
}
