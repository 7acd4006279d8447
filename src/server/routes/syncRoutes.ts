import type { FastifyInstance } from 'fastify';
import { Problem } from '../../common/problem.js';
import { requireConnection } from '../../connections/editConnection.js';
import { STREAM_NAMES } from '../../streams/index.js';
import type { StreamedEvent } from '../../sync/activeSyncs.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';
import { activeSyncSchema, cancellingSchema } from './activeSyncSchema.js';
import { queuedReply, queuedReplySchema } from './queuedReply.js';

type Named = { Params: { name: string } };

const notRunning = (name: string) =>
  new Problem({
    code: 'sync_not_running',
    kind: 'not_found',
    message: `No sync of "${name}" is running in this service.`,
    fix: 'Start one first; a sync run by another process is stopped by that process.',
    details: { name },
  });

/** Sync: start, cancel, live progress (Server-Sent Events), and the runs recorded in the store. */
export function syncRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { ctx, syncs } = deps;
  const tags = ['sync'];

  app.post<Named & { Body: { streams?: string[]; full?: boolean } | undefined }>(
    '/v1/connections/:name/sync',
    {
      schema: {
        tags,
        summary:
          'Start a sync in the background; follow it at /sync/events (with --no-scheduler on PostgreSQL: queued for the workers, follow it at /v1/queue/sync/:id)',
        params: nameParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            streams: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: [...STREAM_NAMES] },
            },
            full: {
              type: 'boolean',
              description: 'A full pass: read every endpoint and remove what is gone.',
            },
          },
        },
        // The sync this service started, or the job queued for the workers (docs/server.md).
        response: { 202: { anyOf: [activeSyncSchema, queuedReplySchema] }, ...errors(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      const body = request.body ?? {};
      const started = await deps.runNow.sync(
        name,
        { ...(body.streams ? { streams: body.streams } : {}), full: body.full === true },
        request.caller?.actor ?? 'unknown',
      );
      reply.status(202);
      return started.where === 'here' ? started.sync : queuedReply(started.job);
    },
  );

  app.delete<Named>(
    '/v1/connections/:name/sync',
    {
      schema: {
        tags,
        summary: 'Stop the running sync at its next page boundary',
        params: nameParams,
        response: { 202: cancellingSchema, ...errors(404) },
      },
    },
    async (request, reply) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      if (!syncs.cancel(name)) throw notRunning(name);
      reply.status(202);
      return { cancelling: true };
    },
  );

  app.get<Named>(
    '/v1/connections/:name/sync/events',
    {
      schema: {
        tags,
        summary: 'Server-Sent Events of the running sync: start, page, retry, restart, skipped, done, error',
        params: nameParams,
        response: errors(404),
      },
    },
    async (request, reply) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': request.id,
      });
      const send = (event: StreamedEvent | { event: 'idle' | 'running'; [k: string]: unknown }) =>
        raw.write(`event: ${event.event}\ndata: ${JSON.stringify(event)}\n\n`);
      const current = syncs.current(name);
      if (!current) {
        const [last] = await ctx.store.sync.runs(name, 1);
        send({ event: 'idle', connection: name, lastRun: last ?? null });
        raw.end();
        return;
      }
      send({ event: 'running', ...current });
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      const stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
        raw.end();
      };
      const unsubscribe = syncs.subscribe(name, send, stop);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
    },
  );

  app.get<Named & { Querystring: { limit?: number } }>(
    '/v1/connections/:name/runs',
    {
      schema: {
        tags,
        summary: 'Sync runs, newest first',
        params: nameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
        },
        response: errors(404),
      },
    },
    async (request) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      return { runs: await ctx.store.sync.runs(name, request.query.limit ?? 50) };
    },
  );

  app.get<{ Params: { name: string; id: number } }>(
    '/v1/connections/:name/runs/:id',
    {
      schema: {
        tags,
        summary: 'One sync run with its summary',
        params: {
          type: 'object',
          required: ['name', 'id'],
          properties: { name: nameParams.properties.name, id: { type: 'integer', minimum: 1 } },
        },
        response: errors(404),
      },
    },
    async (request) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      const run = await ctx.store.sync.runById(name, request.params.id);
      if (!run)
        throw new Problem({
          code: 'run_not_found',
          kind: 'not_found',
          message: `Connection "${name}" has no sync run ${request.params.id}.`,
          fix: 'List the runs to see their ids.',
        });
      return run;
    },
  );
}
