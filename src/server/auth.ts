import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from '../common/problem.js';
import type { Store } from '../store/store.js';
import { verifyApiKey } from './apiKeys.js';
import type { Access, Principal } from './principal.js';
import { SESSION_COOKIE, sessionOf } from './sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** When this process last recorded each key's use (keys are few). */
const touched = new Map<string, number>();

const unauthenticated = () =>
  new Problem({
    code: 'unauthenticated',
    kind: 'unauthorized',
    message: 'This route needs an API key or a signed-in session.',
    fix: 'Send Authorization: Bearer <API key> (create one with apikey create), or sign in at POST /v1/session.',
  });

const invalidKey = () =>
  new Problem({
    code: 'invalid_api_key',
    kind: 'unauthorized',
    message: 'The API key is not valid: unknown, revoked or mistyped.',
    fix: 'Create a new key (apikey create) and send it as Authorization: Bearer <key>.',
  });

const sessionExpired = () =>
  new Problem({
    code: 'session_expired',
    kind: 'unauthorized',
    message: 'The session has expired or was ended.',
    fix: 'Sign in again.',
  });

const forbidden = () =>
  new Problem({
    code: 'forbidden',
    kind: 'forbidden',
    message: 'This API key may only read: changing anything or sending module requests needs the admin role.',
    fix: 'Use an API key with the admin role (apikey create --role admin).',
  });

function accessOf(request: FastifyRequest): Access {
  return request.routeOptions.config.access ?? (SAFE_METHODS.has(request.method) ? 'viewer' : 'admin');
}

async function principalOf(store: Store, request: FastifyRequest, nowMs: number): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match ? await verifyApiKey(store, match[1]!) : undefined;
    if (!key) throw invalidKey();
    // "Last used" to the minute is enough: a write per request would serialise every reader behind it.
    if ((touched.get(key.id) ?? 0) + 60_000 <= nowMs) {
      touched.set(key.id, nowMs);
      await store.apiKeys.touch(key.id, new Date(nowMs).toISOString());
    }
    return { kind: 'apikey', role: key.role, actor: `apikey:${key.name}` };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') throw unauthenticated();
  if (!(await sessionOf(store, cookie, nowMs))) throw sessionExpired();
  return { kind: 'session', role: 'admin', actor: 'admin' };
}

/** CSRF applies to cookie sessions only: a browser never attaches an API key on its own. */
function checkCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Authentication and authorisation for every route, as one hook: nothing is open unless a route says
 * `access: 'public'`; `viewer` reads; only `admin` changes anything.
 */
export function installAuth(app: FastifyInstance, store: Store, now: () => Date): void {
  app.addHook('preHandler', async (request, reply) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const principal = await principalOf(store, request, now().getTime());
    if (principal.kind === 'session' && !SAFE_METHODS.has(request.method))
      await checkCsrf(app, request, reply);
    if (access === 'admin' && principal.role !== 'admin') throw forbidden();
    request.caller = principal;
  });
}
