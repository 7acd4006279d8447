import type { FastifyInstance } from 'fastify';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { data } from './envelope.js';

/** `/api/v2/session/*`: who am I, validate a token, and the username/password sign-in Tanium Cloud refuses. */
export function sessionRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/api/v2/session/current', async (request) => {
    const { user, persona } = request.principal!;
    return data({
      user: {
        id: user.id,
        name: user.name,
        display_name: user.displayName,
        domain: user.domain,
        creation_time: taniumTime(user.createdMs),
        // A recorded real answer has these flags as 0/1 (Tanium's example shows booleans): the recording wins.
        deleted_flag: 0,
        external_flag: 0,
        local_admin_flag: persona.permissions.includes('*') ? 1 : 0,
        locked_out: 0,
        last_login: taniumTime(request.principal!.token.lastUsedMs),
        permissions: persona.permissions,
        roles: persona.permissions.includes('*') ? [{ id: 1, name: 'Administrator' }] : [],
        personas: user.personas.map((p) => ({ id: p.id, name: p.name })),
        persona: { id: persona.id, name: persona.name },
      },
    });
  });

  // Both body forms are in use: the spec's `{"data": {"session": …}}` and pytan3's `{"session": …}`.
  app.post('/api/v2/session/validate', async (request) => {
    const body = (request.body ?? {}) as { session?: unknown; data?: { session?: unknown } };
    const session = typeof body === 'object' ? (body.session ?? body.data?.session) : undefined;
    if (typeof session !== 'string' || session.length === 0) {
      throw badBody('send {"session": "<session or API token string>"} or {"data": {"session": …}}');
    }
    const token = state.tokens.byString(session);
    if (!token || token.expiresMs <= state.now())
      throw new HttpError(400, 'InvalidSession', 'Invalid session');
    return data({ session });
  });

  // Tanium Cloud signs users in through its identity provider; REST username/password works only on-prem.
  app.post('/api/v2/session/login', async () => {
    throw new HttpError(
      401,
      'Unauthorized',
      'username and password sign-in is not available on Tanium Cloud; send an API token in the session header',
    );
  });
}
