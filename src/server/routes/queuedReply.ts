import type { QueuedJob } from '../../jobs/workers/jobQueue.js';

/**
 * The 202 answer to a job queued for the workers: the queue job, where to follow its state (`status`)
 * and, for a sync, where its run appears once a worker starts it (`runs`).
 */
export function queuedReply(job: QueuedJob) {
  const name = encodeURIComponent(job.connection);
  return {
    queued: true,
    ...job,
    status: `/v1/queue/${job.queue}/${job.id}`,
    ...(job.queue === 'sync' ? { runs: `/v1/connections/${name}/runs` } : {}),
  };
}
