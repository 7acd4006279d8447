import type { JobKind, JobRecord } from '../store/jobs.js';

/** One scheduled job as interfaces show it (`GET /v1/jobs`). */
export interface JobView extends JobRecord {
  /** The interval in force: the connection's own, else the scheduler's default. */
  effectiveEveryMs: number;
  /** True while this or another process runs it. */
  running: boolean;
}

/**
 * Runs each connection's jobs when due. Two implementations share this interface and the job
 * definitions (jobs.ts): the in-process scheduler of `serve` on one machine, and distributed workers
 * on PostgreSQL with pg-boss (workers/pgBossScheduler.ts).
 */
export interface Scheduler {
  start(): void;
  /** Stops starting jobs, interrupts running syncs at their next page boundary, waits for them. */
  stop(): Promise<void>;
  list(): Promise<JobView[]>;
  /** Sets a connection's own interval for a job (null: back to the default). */
  setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void>;
}
