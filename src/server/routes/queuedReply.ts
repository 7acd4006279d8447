import type { QueuedJob } from '../../jobs/workers/jobQueue.js';
import { QUEUES } from '../../jobs/workers/queues.js';
import { JOB_KINDS } from '../../store/jobs.js';

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

const text = { type: 'string' } as const;
const when = (description: string) =>
  ({ type: ['string', 'null'], format: 'date-time', description }) as const;

/**
 * The shape `queuedReply` answers, for the OpenAPI document (and fastify's serializer, so it lists
 * every field). `result` is loose: a requested job's own result (jobs/workers/runRequested.ts) or
 * `{message}` of a failure, described in docs/server.md.
 */
export const queuedReplySchema = {
  type: 'object',
  required: [
    'queued',
    'id',
    'queue',
    'connection',
    'job',
    'actor',
    'state',
    'createdAt',
    'startedAt',
    'completedAt',
    'retries',
    'result',
    'status',
  ],
  properties: {
    queued: { type: 'boolean', const: true },
    id: { type: 'string', description: 'The queue job id (a UUID).' },
    queue: { type: 'string', enum: [...QUEUES] },
    connection: text,
    job: { type: 'string', enum: [...JOB_KINDS] },
    actor: { type: ['string', 'null'], description: 'Who asked through the API; null for a scheduled job.' },
    state: {
      type: 'string',
      enum: ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'],
      description: "pg-boss's state: created is queued; retry waits for its next attempt.",
    },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: when('When a worker last took it.'),
    completedAt: when('When it ended.'),
    retries: { type: 'integer', minimum: 0 },
    result: {
      type: ['object', 'null'],
      additionalProperties: true,
      description:
        'Once completed, {outcome, runId, summary} of a sync or {outcome, report} of a rotation (or {outcome: "failed", error}); once failed, {message}; else null.',
    },
    status: { type: 'string', description: 'Where to follow this job: GET it.' },
    runs: { type: 'string', description: "A sync's runs, where its run appears once a worker starts it." },
  },
} as const;
