import type { Database } from 'better-sqlite3';
import type { JobKind, JobRecord, JobRepository } from '../jobs.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface Row {
  connection: string;
  job: JobKind;
  every_ms: number | null;
  next_run_at: number | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_outcome: string | null;
  last_error: string | null;
  failures: number;
}

const toRecord = (row: Row): JobRecord => ({
  connection: row.connection,
  job: row.job,
  everyMs: row.every_ms,
  nextRunAt: row.next_run_at,
  lastStartedAt: row.last_started_at,
  lastFinishedAt: row.last_finished_at,
  lastOutcome: row.last_outcome,
  lastError: row.last_error,
  failures: row.failures,
});

export class SqliteJobs implements JobRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  list(): Promise<JobRecord[]> {
    return this.run(() =>
      (prepared(this.db, 'SELECT * FROM jobs ORDER BY connection, job').all() as Row[]).map(toRecord),
    );
  }

  get(connection: string, job: JobKind): Promise<JobRecord | undefined> {
    return this.run(() => {
      const row = prepared(this.db, 'SELECT * FROM jobs WHERE connection = ? AND job = ?').get(
        connection,
        job,
      ) as Row | undefined;
      return row && toRecord(row);
    });
  }

  put(record: JobRecord): Promise<void> {
    return this.run(() => {
      prepared(
        this.db,
        `INSERT INTO jobs (connection, job, every_ms, next_run_at, last_started_at, last_finished_at,
             last_outcome, last_error, failures)
           VALUES (@connection, @job, @everyMs, @nextRunAt, @lastStartedAt, @lastFinishedAt, @lastOutcome,
             @lastError, @failures)
           ON CONFLICT (connection, job) DO UPDATE SET every_ms = excluded.every_ms,
             next_run_at = excluded.next_run_at, last_started_at = excluded.last_started_at,
             last_finished_at = excluded.last_finished_at, last_outcome = excluded.last_outcome,
             last_error = excluded.last_error, failures = excluded.failures`,
      ).run(record);
    });
  }
}
