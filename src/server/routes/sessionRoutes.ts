import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { errors } from '../schemas.js';
import { SESSION_COOKIE, signIn, signOut } from '../sessions.js';

const sessionAnswer = {
  type: 'object',
  properties: {
    authenticated: { type: 'boolean' },
    role: { type: 'string' },
    actor: { type: 'string' },
    csrfToken: {
      type: 'string',
      description: 'Send it in X-CSRF-Token on every change made with the cookie.',
    },
    expiresAt: { type: 'string' },
  },
} as const;

/** The web UI's sign-in: a rate-limited password check that sets an HttpOnly, SameSite=Strict cookie. */
export function sessionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { settings } = deps;
  const setCookie = (reply: FastifyReply, value: string, maxAgeS: number) =>
    reply.setCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: settings.secureCookies,
      path: '/',
      maxAge: maxAgeS,
    });

  app.post(
    '/v1/session',
    {
      config: {
        access: 'public',
        rateLimit: { max: settings.loginAttemptsPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with the admin password',
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: { password: { type: 'string', maxLength: 1024 } },
        },
        response: { 200: sessionAnswer, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { password } = request.body as { password: string };
      const session = await signIn(deps.ctx.store, password, settings.sessionTtlMs, deps.now());
      setCookie(reply, session.id, Math.floor(settings.sessionTtlMs / 1000));
      return {
        authenticated: true,
        role: 'admin',
        actor: 'admin',
        csrfToken: reply.generateCsrf(),
        expiresAt: new Date(session.expiresAtMs).toISOString(),
      };
    },
  );

  app.get(
    '/v1/session',
    {
      schema: {
        tags: ['authentication'],
        summary: 'Who is signed in, with a fresh CSRF token for cookie sessions',
        response: { 200: sessionAnswer, ...errors(401) },
      },
    },
    async (request, reply) => {
      const caller = request.caller!;
      return {
        authenticated: true,
        role: caller.role,
        actor: caller.actor,
        ...(caller.kind === 'session' ? { csrfToken: reply.generateCsrf() } : {}),
      };
    },
  );

  app.delete(
    '/v1/session',
    {
      config: { access: 'public' },
      schema: { tags: ['authentication'], summary: 'Sign out (ends the session)' },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await signOut(deps.ctx.store, cookie);
      setCookie(reply, '', 0);
      return { authenticated: false };
    },
  );
}
