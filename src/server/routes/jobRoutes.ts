import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../common/duration.js';
import { Problem } from '../../common/problem.js';
import { requireConnection } from '../../connections/editConnection.js';
import { JOB_ID, QUEUES, type QueueName } from '../../jobs/workers/queues.js';
import type { JobKind } from '../../store/jobs.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';
import { queuedReply, queuedReplySchema } from './queuedReply.js';

const noScheduler = () =>
  new Problem({
    code: 'scheduler_off',
    kind: 'unavailable',
    message: 'This service runs without its scheduler (--no-scheduler).',
    fix: 'Start serve without --no-scheduler, or let the workers run the jobs.',
  });

const noQueue = () =>
  new Problem({
    code: 'job_queue_off',
    kind: 'unavailable',
    message: 'This service queues no job for workers: it runs the jobs asked of it itself.',
    fix: 'Follow a sync through its progress stream and its runs; the job queue is used by serve with --no-scheduler on PostgreSQL.',
  });

const noSuchJob = (queue: string, id: string) =>
  new Problem({
    code: 'queue_job_not_found',
    kind: 'not_found',
    message: `The ${queue} queue has no job ${id.slice(0, 40)}.`,
    fix: "Use the id and queue a queued request answered with; finished jobs are kept for pg-boss's retention only.",
  });

const invalidJobId = (id: string) =>
  new Problem({
    code: 'invalid_job_id',
    kind: 'malformed',
    message: `"${id.slice(0, 40)}" is not a queue job id.`,
    fix: 'Use the id (a UUID) or the status URL that the 202 answer of the queued request gave.',
  });

const MIN_EVERY_MS = 1_000;

function every(text: string | null | undefined, field: string): number | null | undefined {
  if (text === undefined || text === null) return text;
  const ms = parseDuration(text);
  if (ms < MIN_EVERY_MS)
    throw new Problem({
      code: 'invalid_interval',
      kind: 'invalid',
      message: `The ${field} interval "${text}" is shorter than a second.`,
      fix: 'Use a duration such as 15m, 1h or 1d.',
    });
  return ms;
}

/** The scheduler's jobs (last and next run, outcome) and each connection's own intervals. */
export function jobRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get(
    '/v1/jobs',
    { schema: { tags: ['jobs'], summary: 'Every scheduled job with its last and next run and outcome' } },
    async () => {
      if (!deps.scheduler) throw noScheduler();
      const jobs = await deps.scheduler.list();
      return {
        jobs: jobs.map((j) => ({
          ...j,
          nextRunAt: j.nextRunAt === null ? null : new Date(j.nextRunAt).toISOString(),
        })),
      };
    },
  );

  app.get<{ Params: { queue: QueueName; id: string } }>(
    '/v1/queue/:queue/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job queued for the workers: its state and, once it ended, its result',
        params: {
          type: 'object',
          required: ['queue', 'id'],
          properties: {
            queue: { type: 'string', enum: [...QUEUES] },
            id: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: queuedReplySchema, ...errors(400, 404, 503) },
      },
    },
    async (request) => {
      if (!deps.jobQueue) throw noQueue();
      const { queue, id } = request.params;
      if (!JOB_ID.test(id)) throw invalidJobId(id);
      const job = await deps.jobQueue.get(queue, id);
      if (!job) throw noSuchJob(queue, id);
      // The object the 202 answered, with its state now: a client follows one shape (docs/server.md).
      return queuedReply(job);
    },
  );

  app.patch<{
    Params: { name: string };
    Body: { syncEvery?: string | null; fullEvery?: string | null; rotateEvery?: string | null };
  }>(
    '/v1/connections/:name/schedule',
    {
      schema: {
        tags: ['jobs'],
        summary: "Set a connection's own intervals (null: back to the service's default)",
        params: nameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            syncEvery: { type: ['string', 'null'], maxLength: 20, description: 'incremental sync, e.g. 1h' },
            fullEvery: { type: ['string', 'null'], maxLength: 20, description: 'full reconcile, e.g. 24h' },
            rotateEvery: {
              type: ['string', 'null'],
              maxLength: 20,
              description: 'rotate-if-due check, e.g. 1h',
            },
          },
        },
        response: errors(400, 404, 422, 503),
      },
    },
    async (request) => {
      if (!deps.scheduler) throw noScheduler();
      const name = (await requireConnection(deps.ctx, request.params.name)).name;
      const changes: [JobKind, number | null | undefined][] = [
        ['sync', every(request.body.syncEvery, 'sync')],
        ['reconcile', every(request.body.fullEvery, 'full')],
        ['rotate', every(request.body.rotateEvery, 'rotate')],
      ];
      for (const [job, ms] of changes) if (ms !== undefined) await deps.scheduler.setEvery(name, job, ms);
      return { jobs: (await deps.scheduler.list()).filter((j) => j.connection === name) };
    },
  );
}
