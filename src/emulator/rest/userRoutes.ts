import type { FastifyInstance } from 'fastify';
import { taniumTime } from '../clock.js';
import type { User } from '../directory.js';
import type { EmulatorState } from '../emulatorState.js';
import { HttpError } from '../httpError.js';
import { data, idParam, list } from './envelope.js';

/**
 * Platform users: `GET /api/v2/users`, `/users/{id}`, `/users/by-name/{name}`. Flags are 0/1 as a
 * recorded real answer has them (Tanium's example shows booleans; docs/emulator.md).
 */
export function userRoutes(app: FastifyInstance, state: EmulatorState): void {
  const view = (user: User) => userView(state, user);
  app.get('/api/v2/users', async () => list(state.directory.users.map(view), state.now()));
  app.get<{ Params: { id: string } }>('/api/v2/users/:id', async (request) => {
    const id = idParam(request.params.id, 'UserNotFound', 'user');
    const user = state.directory.users.find((u) => u.id === id);
    if (!user) throw new HttpError(404, 'UserNotFound', `no user with id ${id}`);
    return data(view(user));
  });
  app.get<{ Params: { name: string } }>('/api/v2/users/by-name/:name', async (request) => {
    const user = state.directory.users.find((u) => u.name === request.params.name);
    if (!user) throw new HttpError(404, 'UserNotFound', `no user named "${request.params.name}"`);
    return data(view(user));
  });
}

function userView(state: EmulatorState, user: User) {
  const admin = user.personas.some((p) => p.permissions.includes('*'));
  const lastUse = Math.max(
    user.createdMs,
    ...state.tokens.records.filter((t) => t.userId === user.id).map((t) => t.lastUsedMs),
  );
  return {
    id: user.id,
    name: user.name,
    display_name: user.displayName,
    domain: user.domain,
    deleted_flag: 0,
    external_flag: 0,
    local_admin_flag: admin ? 1 : 0,
    locked_out: 0,
    group_id: 0,
    effective_group_id: 0,
    creation_time: taniumTime(user.createdMs),
    last_login: taniumTime(lastUse),
    previous_login: taniumTime(user.createdMs),
    permissions: [...new Set(user.personas.flatMap((p) => p.permissions))],
    roles: admin ? [{ id: 1, name: 'Administrator' }] : [],
    content_set_roles: admin ? [{ id: 1, name: 'Administrator' }] : [],
    personas: user.personas.map((p) => ({ id: p.id, name: p.name })),
  };
}
