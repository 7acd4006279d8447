/** The scheduler's jobs: per connection, rotate when due, an incremental sync, a full reconcile. */
export type JobKind = 'rotate' | 'sync' | 'reconcile';
export const JOB_KINDS: readonly JobKind[] = ['rotate', 'sync', 'reconcile'];

/** One job of one connection: its interval (null: the scheduler's default) and how it last went. */
export interface JobRecord {
  connection: string;
  job: JobKind;
  everyMs: number | null;
  /**
   * Epoch ms, as the in-process scheduler computed it from its own clock; null: due now (never run).
   * Stored as given on both dialects (one scheduler process compares it with its own clock);
   * distributed workers schedule through pg-boss instead, whose cron runs on the database's clock.
   */
  nextRunAt: number | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  /** `ok`, `failed`, `interrupted`, `skipped` or a job's own outcome (e.g. `not_due`). */
  lastOutcome: string | null;
  /** One redacted line. */
  lastError: string | null;
  /** Failures in a row, for the backoff. */
  failures: number;
}

export interface JobRepository {
  list(): Promise<JobRecord[]>;
  get(connection: string, job: JobKind): Promise<JobRecord | undefined>;
  /** Inserts or overwrites. The connection must exist (foreign key). */
  put(record: JobRecord): Promise<void>;
}

export function newJob(connection: string, job: JobKind): JobRecord {
  return {
    connection,
    job,
    everyMs: null,
    nextRunAt: null,
    lastStartedAt: null,
    lastFinishedAt: null,
    lastOutcome: null,
    lastError: null,
    failures: 0,
  };
}
