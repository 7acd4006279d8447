import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { errors } from '../schemas.js';

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'The process is alive' } },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: { tags: ['operations'], summary: 'The store is open and migrated', response: errors(503) },
    },
    async () => {
      // A read through the store proves the database opened and the migrations ran (they run at open).
      await deps.ctx.store.connections.list();
      return { ok: true };
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus text format (needs a viewer key)' } },
    async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
}
