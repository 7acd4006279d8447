import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { installAuth } from './auth.js';
import type { ServerDeps } from './deps.js';
import { errorBody, installErrorHandlers } from './errors.js';
import { auditRoutes } from './routes/auditRoutes.js';
import { cloudflareRoutes } from './routes/cloudflareRoutes.js';
import { connectionRoutes } from './routes/connectionRoutes.js';
import { dataRoutes } from './routes/dataRoutes.js';
import { jobRoutes } from './routes/jobRoutes.js';
import { moduleRoutes } from './routes/moduleRoutes.js';
import { opsRoutes } from './routes/opsRoutes.js';
import { postureRoutes } from './routes/postureRoutes.js';
import { rotationRoutes } from './routes/rotationRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { syncRoutes } from './routes/syncRoutes.js';
import { uiRoutes } from './routes/uiRoutes.js';
import { describeSchemaErrors, validatorCompiler } from './validation.js';

export type Surface = (app: FastifyInstance, deps: ServerDeps) => void;

/** Each surface of the API registers its routes; later surfaces append here. */
export const SURFACES: readonly Surface[] = [
  opsRoutes,
  sessionRoutes,
  connectionRoutes,
  rotationRoutes,
  syncRoutes,
  dataRoutes,
  moduleRoutes,
  auditRoutes,
  jobRoutes,
  postureRoutes,
  cloudflareRoutes,
  uiRoutes,
];

const OPENAPI: NonNullable<FastifyDynamicSwaggerOptions['openapi']> = {
  openapi: '3.1.0',
  info: {
    title: 'tanium-bridge API',
    version: '1',
    description:
      'The HTTP API of tanium-bridge serve. Every error is {"error":{"code","message","fix"}}; see docs/server.md.',
  },
  components: {
    securitySchemes: {
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        description: 'An API key from `node bin/tanium-bridge.js apikey create` (docs/cli.md).',
      },
      session: { type: 'apiKey', in: 'cookie', name: 'tb_session', description: 'The web UI session.' },
    },
  },
  security: [{ apiKey: [] }, { session: [] }],
};

/**
 * The HTTP API: fastify with strict request validation, one error handler, authentication on every
 * route that does not say `public`, an OpenAPI 3.1 document from the route schemas, and the request
 * duration of every route in /metrics.
 */
export async function buildServer(
  deps: ServerDeps,
  surfaces: readonly Surface[] = SURFACES,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.settings.bodyLimit,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    schemaErrorFormatter: (errors, where) => new Error(describeSchemaErrors(errors, where)),
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandlers(app, deps.log);
  await app.register(cookie);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { httpOnly: true, sameSite: 'strict', path: '/', secure: deps.settings.secureCookies },
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      ...errorBody(
        'rate_limited',
        'Too many sign-in attempts from this address.',
        `Wait ${Math.ceil(context.ttl / 1000)} s, then try again.`,
      ),
    }),
  });
  await app.register(swagger, { openapi: OPENAPI });
  installAuth(app, deps.ctx.store, deps.now);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    deps.log.info(
      {
        reqId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  for (const surface of surfaces) surface(app, deps);
  app.get('/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.ready();
  return app;
}
