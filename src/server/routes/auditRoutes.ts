import type { FastifyInstance } from 'fastify';
import { Problem } from '../../common/problem.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';

/** The audit log of module requests, newest first, with cursor paging. */
export function auditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { connection?: string; limit?: number; cursor?: string } }>(
    '/v1/audit',
    {
      schema: {
        tags: ['modules'],
        summary: 'Module requests sent (when, who, connection, module, method, path, status, duration)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            connection: nameParams.properties.name,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string', maxLength: 32 },
          },
        },
        response: errors(400),
      },
    },
    async (request) => {
      const { connection, limit = 100, cursor } = request.query;
      let beforeId: number | undefined;
      if (cursor !== undefined) {
        beforeId = /^\d{1,15}$/.test(cursor) ? Number(cursor) : Number.NaN;
        if (!Number.isSafeInteger(beforeId))
          throw new Problem({
            code: 'invalid_cursor',
            kind: 'malformed',
            message: 'The cursor is not one this API gave out.',
            fix: 'Pass the nextCursor of the previous page unchanged, or leave it out for the first page.',
          });
      }
      const entries = await deps.ctx.store.requestAudit.list({
        ...(connection === undefined ? {} : { connection }),
        ...(beforeId === undefined ? {} : { beforeId }),
        limit,
      });
      const last = entries.at(-1);
      return { entries, nextCursor: entries.length === limit && last ? String(last.id) : null };
    },
  );
}
