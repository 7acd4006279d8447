import type { JobKind, JobRecord, JobRepository } from '../jobs.js';
import type { PgSession } from './session.js';

const COLUMNS = `connection, job, every_ms AS "everyMs", next_run_at AS "nextRunAt",
  last_started_at AS "lastStartedAt", last_finished_at AS "lastFinishedAt", last_outcome AS "lastOutcome",
  last_error AS "lastError", failures`;

/**
 * The in-process scheduler's job table, stored as the scheduler writes it: `nextRunAt` is the epoch
 * ms the scheduler computed from its own clock (see JobRecord.nextRunAt). Distributed workers schedule
 * through pg-boss instead, whose cron runs on the database's clock.
 */
export class PgJobs implements JobRepository {
  constructor(private readonly db: PgSession) {}

  async list(): Promise<JobRecord[]> {
    const result = await this.db.query<JobRecord>(`SELECT ${COLUMNS} FROM jobs ORDER BY connection, job`);
    return result.rows;
  }

  async get(connection: string, job: JobKind): Promise<JobRecord | undefined> {
    const result = await this.db.query<JobRecord>({
      name: 'jobs.get',
      text: `SELECT ${COLUMNS} FROM jobs WHERE connection = $1 AND job = $2`,
      values: [connection, job],
    });
    return result.rows[0];
  }

  async put(record: JobRecord): Promise<void> {
    await this.db.query({
      name: 'jobs.put',
      text: `INSERT INTO jobs (connection, job, every_ms, next_run_at, last_started_at, last_finished_at,
                 last_outcome, last_error, failures)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (connection, job) DO UPDATE SET every_ms = excluded.every_ms,
                 next_run_at = excluded.next_run_at, last_started_at = excluded.last_started_at,
                 last_finished_at = excluded.last_finished_at, last_outcome = excluded.last_outcome,
                 last_error = excluded.last_error, failures = excluded.failures`,
      values: [
        record.connection,
        record.job,
        record.everyMs,
        record.nextRunAt,
        record.lastStartedAt,
        record.lastFinishedAt,
        record.lastOutcome,
        record.lastError,
        record.failures,
      ],
    });
  }
}
