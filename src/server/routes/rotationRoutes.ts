import type { FastifyInstance } from 'fastify';
import { getConnection, requireConnection } from '../../connections/editConnection.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';
import { queuedReply, queuedReplySchema } from './queuedReply.js';

type Named = { Params: { name: string } };

/** The token: what rotation knows, rotate now, and the audit trail of attempts. */
export function rotationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { ctx } = deps;
  const tags = ['rotation'];

  app.get<Named>(
    '/v1/connections/:name/rotation',
    {
      schema: {
        tags,
        summary: "The token's expiry, days left, last rotation and any problem",
        params: nameParams,
        response: errors(404),
      },
    },
    async (request) => (await getConnection(ctx, request.params.name)).rotation,
  );

  app.post<Named & { Body: { via?: 'rest' | 'graphql'; ifDue?: boolean } | undefined }>(
    '/v1/connections/:name/rotate',
    {
      schema: {
        tags,
        summary:
          'Rotate the token now (recovering an interrupted rotation first); with --no-scheduler on PostgreSQL: 202, queued for the workers',
        params: nameParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            via: { type: 'string', enum: ['rest', 'graphql'] },
            ifDue: { type: 'boolean', description: "Rotate only when due by the server's clock." },
          },
        },
        // 200 is the rotation's report (docs/rotation.md), left loose; 202 the job queued for the workers.
        response: { 202: queuedReplySchema, ...errors(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const name = (await requireConnection(ctx, request.params.name)).name;
      const body = request.body ?? {};
      const rotated = await deps.runNow.rotate(
        name,
        { ...(body.via === undefined ? {} : { method: body.via }), ifDue: body.ifDue === true },
        request.caller?.actor ?? 'unknown',
      );
      if (rotated.where === 'queued') {
        reply.status(202);
        return queuedReply(rotated.job);
      }
      deps.metrics.rotations.inc({ connection: name, outcome: rotated.report.outcome });
      return rotated.report;
    },
  );

  app.get<Named & { Querystring: { limit?: number } }>(
    '/v1/connections/:name/rotations',
    {
      schema: {
        tags,
        summary: 'Rotation attempts, newest first (token ids, never tokens)',
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
      return { rotations: await ctx.store.rotation.history(name, request.query.limit ?? 50) };
    },
  );
}
