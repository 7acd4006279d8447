import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { redactTokens } from '../common/redact.js';
import { type JobKind, type JobRecord, newJob } from '../store/jobs.js';
import { JOBS, type JobEnv } from './jobs.js';
import { nextRunAt } from './nextRun.js';

/** What running one job needs: the same for the in-process scheduler and the workers. */
export interface JobRunContext {
  env: JobEnv;
  log: Logger;
  /** Default interval per job kind (the --rotate-every, --sync-every, --full-every flags). */
  defaults: Record<JobKind, number>;
  now: () => Date;
  /** True once the process is stopping: a sync cut short then counts as interrupted, not failed. */
  stopping: () => boolean;
  /** Called after every run (metrics). */
  onRun?: ((connection: string, job: JobKind, outcome: string) => void) | undefined;
  /** Extra fields of the job's log lines (a worker adds its queue job id). */
  logFields?: Record<string, unknown>;
}

export type RunResult = 'ok' | 'failed' | 'interrupted';

/** A stopped run: the sync was interrupted at a page boundary and resumes at the next start. */
function isInterruption(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || /interrupted|aborted/i.test(error.message))
  );
}

export const everyOf = (record: JobRecord, defaults: Record<JobKind, number>): number =>
  record.everyMs ?? defaults[record.job];

/**
 * Runs one job of one connection and records it in the store's jobs table: started, then how it
 * ended and when it runs next (docs/server.md: interval after a success, backoff after a failure, at
 * once after an interruption). A failure is recorded and logged as one line, never thrown.
 */
export async function runJob(run: JobRunContext, record: JobRecord): Promise<RunResult> {
  const { env, log, now } = run;
  const { store } = env.ctx;
  const started = now();
  const jobId = randomUUID();
  const fields = { jobId, ...run.logFields, connection: record.connection, job: record.job };
  await store.jobs.put({ ...record, lastStartedAt: started.toISOString(), lastFinishedAt: null });
  log.info(fields, 'job started');
  let result: RunResult;
  let outcome: string;
  let error: string | null = null;
  try {
    const ran = await JOBS[record.job].run(env, record.connection);
    result = ran.failed ? 'failed' : 'ok';
    outcome = ran.outcome;
    error = ran.error;
  } catch (thrown) {
    result = run.stopping() && isInterruption(thrown) ? 'interrupted' : 'failed';
    outcome = result;
    error = redactTokens(thrown instanceof Error ? thrown.message : String(thrown)).slice(0, 500);
  }
  const finished = now();
  const failures = result === 'failed' ? record.failures + 1 : 0;
  const next = nextRunAt(
    result,
    started.getTime(),
    finished.getTime(),
    everyOf(record, run.defaults),
    failures,
  );
  await store.jobs.put({
    ...record,
    lastStartedAt: started.toISOString(),
    lastFinishedAt: finished.toISOString(),
    lastOutcome: outcome,
    lastError: error,
    failures,
    nextRunAt: next,
  });
  if (record.job === 'reconcile' && result === 'ok') await postpone(run, record.connection, 'sync', finished);
  const line = { ...fields, outcome, error, nextRunAt: new Date(next).toISOString() };
  if (result === 'failed') log.warn(line, 'job failed');
  else log.info(line, 'job finished');
  run.onRun?.(record.connection, record.job, outcome);
  return result;
}

/** A full pass has just read everything: the incremental pass waits a full interval. */
async function postpone(run: JobRunContext, connection: string, job: JobKind, from: Date): Promise<void> {
  const { store } = run.env.ctx;
  const record = (await store.jobs.get(connection, job)) ?? newJob(connection, job);
  await store.jobs.put({ ...record, nextRunAt: from.getTime() + everyOf(record, run.defaults) });
}
