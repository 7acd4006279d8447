import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../common/duration.js';
import { Problem } from '../../common/problem.js';
import { requireConnection } from '../../connections/editConnection.js';
import type { JobKind } from '../../store/jobs.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';

const noScheduler = () =>
  new Problem({
    code: 'scheduler_off',
    kind: 'unavailable',
    message: 'This service runs without its scheduler (--no-scheduler).',
    fix: 'Start serve without --no-scheduler, or let the workers run the jobs.',
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
