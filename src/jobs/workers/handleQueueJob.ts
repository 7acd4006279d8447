import { newJob } from '../../store/jobs.js';
import { type JobRunContext, runJob } from '../runJob.js';
import { kindOf } from './queues.js';

/**
 * Runs one job a worker took from a queue: the stored job of that connection and kind, recorded as
 * the in-process scheduler records it. A job whose connection was removed meanwhile, or whose data is
 * not ours, ends without doing anything (logged once). A throw (the store unreachable while recording)
 * fails the queue job, and pg-boss retries it.
 */
export async function handleQueueJob(run: JobRunContext, queue: string, data: unknown): Promise<void> {
  const job = kindOf(queue, data);
  if (!job) {
    run.log.warn({ ...run.logFields }, 'queue job with unknown data skipped');
    return;
  }
  const { store } = run.env.ctx;
  if (!(await store.connections.get(job.connection))) {
    run.log.info(
      { ...run.logFields, connection: job.connection, job: job.kind },
      'connection removed: job skipped',
    );
    return;
  }
  const record = (await store.jobs.get(job.connection, job.kind)) ?? newJob(job.connection, job.kind);
  await runJob(run, record);
}
