import { isProblem, Problem } from '../../common/problem.js';
import { redactTokens } from '../../common/redact.js';
import { rotateConnection } from '../../rotation/service.js';
import { newOwner } from '../../store/leaseOwner.js';
import { withJobsLease } from '../jobsLease.js';
import type { JobRunContext } from '../runJob.js';
import type { RequestedJob } from './requestedJob.js';

/** What a requested job ended with: the queue job's output, read back through `GET /v1/queue/…`. */
export interface RequestedResult {
  /** `ok` for a sync that ran, the rotation's outcome (`rotated`, `not_due`, …), or `failed`. */
  outcome: string;
  /** The sync run (`/v1/connections/:name/runs/:id`). */
  runId?: number | null;
  summary?: unknown;
  report?: unknown;
  error?: { code: string; message: string; fix: string };
}

const busy = (connection: string) =>
  new Problem({
    code: 'connection_busy',
    kind: 'conflict',
    message: `Another job of "${connection}" runs now.`,
    fix: 'pg-boss retries the job a few times (from 5 s apart, doubling); if it still ends failed, ask for the sync again once the other job has ended.',
  });

/**
 * Runs a job asked for through the API, on a worker, as serve runs the same request itself. A sync
 * runs under the connection's jobs lease, as every sync runs (so it never overlaps the connection's
 * scheduled jobs); a rotation does not take it, as `POST …/rotate` in serve does not: rotations are
 * kept one at a time per connection by their own rotation lease (docs/rotation.md), and a rotation
 * next to a sync is safe (the sync's requests read the stored token, docs/rotation.md), so a rotation
 * asked for while a sync runs is not kept waiting for the sync's whole run. What the request itself
 * refuses (no such connection, a sync lease held elsewhere, Tanium's answer) ends the job with
 * `failed` and the problem, as serve would have answered it. It throws, so that pg-boss retries it
 * (docs/scale.md), when a sync finds the connection's jobs lease held, when the store or Tanium
 * cannot be reached, and when this worker stops mid-sync: the sync resumes from its last committed page.
 */
export async function runRequested(run: JobRunContext, job: RequestedJob): Promise<RequestedResult> {
  const kind = job.queue === 'rotate' ? 'rotate' : job.full ? 'reconcile' : 'sync';
  const fields = { ...run.logFields, connection: job.connection, job: kind, actor: job.actor };
  run.log.info(fields, 'requested job started');
  const result =
    job.queue === 'rotate'
      ? await settled(run, () => requestedRotation(run, job))
      : await underLease(run, job);
  const error = result.error ? redactTokens(result.error.message) : null;
  run.log.info({ ...fields, outcome: result.outcome, error }, 'requested job finished');
  return result;
}

async function underLease(run: JobRunContext, job: Extract<RequestedJob, { queue: 'sync' }>) {
  const held = await withJobsLease(run.env.ctx.store, job.connection, newOwner(), () =>
    settled(run, () => requestedSync(run, job)),
  );
  if (!held.ran) throw busy(job.connection);
  return held.value;
}

/** The request's own refusal ends the job `failed`; what may pass (an outage, a stop) is thrown. */
async function settled(run: JobRunContext, fn: () => Promise<RequestedResult>): Promise<RequestedResult> {
  try {
    return await fn();
  } catch (error) {
    if (!isProblem(error) || error.kind === 'unavailable' || run.stopping()) throw error;
    return { outcome: 'failed', error: error.toJSON() };
  }
}

async function requestedSync(
  run: JobRunContext,
  job: Extract<RequestedJob, { queue: 'sync' }>,
): Promise<RequestedResult> {
  const { syncs, ctx } = run.env;
  const wait = run.env.syncWaitMs === undefined ? {} : { waitMs: run.env.syncWaitMs };
  const request = { full: job.full, ...(job.streams ? { streams: job.streams } : {}), ...wait };
  const started = await syncs.start(job.connection, request, job.actor);
  const running = syncs.finished(job.connection);
  // A run that ended before it could be awaited left its summary in the store.
  const summary = running
    ? await running
    : started.runId === null
      ? null
      : ((await ctx.store.sync.runById(job.connection, started.runId))?.summary ?? null);
  return { outcome: 'ok', runId: started.runId, summary };
}

async function requestedRotation(
  run: JobRunContext,
  job: Extract<RequestedJob, { queue: 'rotate' }>,
): Promise<RequestedResult> {
  const report = await rotateConnection(run.env.ctx, job.connection, {
    ...(job.method === undefined ? {} : { method: job.method }),
    ifDue: job.ifDue,
  });
  return { outcome: report.outcome, report };
}
