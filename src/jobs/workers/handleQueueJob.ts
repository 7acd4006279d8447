import { newJob } from '../../store/jobs.js';
import { newOwner } from '../../store/leaseOwner.js';
import { withJobsLease } from '../jobsLease.js';
import { type JobRunContext, type RunResult, runJob } from '../runJob.js';
import { kindOf } from './queues.js';

/**
 * Runs one job a worker took from a queue: the stored job of that connection and kind, recorded as
 * the in-process scheduler records it. A job whose connection was removed meanwhile, or whose data is
 * not ours, ends without doing anything (logged once). The job runs under the connection's jobs lease,
 * as in serve's scheduler, so a connection's rotation and sync never overlap: when another job of the
 * connection holds it, this one is `skipped` (still due, the dispatcher queues it again next tick). A
 * throw (the store unreachable while recording) fails the queue job, and pg-boss retries it.
 */
export async function handleQueueJob(
  run: JobRunContext,
  queue: string,
  data: unknown,
): Promise<RunResult | 'skipped' | 'dropped'> {
  const job = kindOf(queue, data);
  if (!job) {
    run.log.warn({ ...run.logFields }, 'queue job with unknown data dropped');
    return 'dropped';
  }
  const { store } = run.env.ctx;
  if (!(await store.connections.get(job.connection))) {
    run.log.info(
      { ...run.logFields, connection: job.connection, job: job.kind },
      'connection removed: job dropped',
    );
    return 'dropped';
  }
  const held = await withJobsLease(store, job.connection, newOwner(), async () => {
    const record = (await store.jobs.get(job.connection, job.kind)) ?? newJob(job.connection, job.kind);
    return runJob(run, record);
  });
  if (held.ran) return held.value;
  run.log.debug(
    { ...run.logFields, connection: job.connection, job: job.kind },
    'connection busy: job skipped',
  );
  return 'skipped';
}
