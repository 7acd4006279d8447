import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import { taniumTime } from '../clock.js';
import type { Persona, User } from '../directory.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { TrustList } from '../trustList.js';
import { KNOWN_PERMISSIONS } from './moduleTable.js';

export const PERSONAS_PATH = '/__emulator/personas';

/** The administrator the emulator starts with; its personas are not changed through this route. */
const ADMIN_USER_ID = 1;
const NAME = /^[\w .@'-]{1,100}$/;

/**
 * `POST /__emulator/personas` (emulator only): makes a user and persona with exactly the given
 * permissions and answers a token bound to that persona, as if the user had created it in the
 * console. An existing user or persona of that name is reused and the persona's permissions are
 * replaced, so the same call is idempotent.
 */
export function personaRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.post(PERSONAS_PATH, async (request) => {
    const body = objectBody(request.body, false);
    onlyFields(body, ['user', 'persona', 'permissions', 'trusted_ip_addresses', 'expire_in_days']);
    const userName = requiredString(body, 'user');
    const personaName = requiredString(body, 'persona');
    for (const [field, value] of [
      ['user', userName],
      ['persona', personaName],
    ] as const) {
      if (!NAME.test(value)) {
        throw badBody(`field "${field}" must be 1-100 letters, digits, spaces or . @ ' - _`);
      }
    }
    const permissions = readPermissions(body['permissions']);
    const trusted = TrustList.parse(optionalString(body, 'trusted_ip_addresses') ?? '127.0.0.1,::1');
    const max = state.settings.number('api_token_max_expiration_in_days');
    const days =
      optionalInteger(body, 'expire_in_days') ?? state.settings.number('api_token_expiration_in_days');
    if (days < 1 || days > max)
      throw badBody(`field "expire_in_days" must be between 1 and ${max}, got ${days}`);
    const existing = state.directory.users.find((u) => u.name === userName);
    if (existing?.id === ADMIN_USER_ID) {
      throw badBody(`user "${userName}" is the emulator's administrator; choose another user name`);
    }

    // Everything is valid: apply.
    const now = state.now();
    const user = existing ?? addUser(state, userName, now);
    let persona = user.personas.find((p) => p.name === personaName);
    if (persona) persona.permissions = permissions;
    else {
      persona = { id: state.allocateId(), name: personaName, permissions };
      user.personas.push(persona);
    }
    const { tokenString } = state.tokens.create(
      {
        name: `persona ${personaName}`,
        notes: 'created through /__emulator/personas',
        userId: user.id,
        personaId: persona.id,
        expireInDays: days,
        trusted,
      },
      now,
      state.settings.number('api_token_string_length'),
    );
    state.save();
    return {
      user: view(user),
      persona: { id: persona.id, name: persona.name, permissions: persona.permissions },
      token: tokenString,
    };
  });
}

function readPermissions(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string')) {
    throw badBody('field "permissions" is required and must be a list of permission names (it may be empty)');
  }
  const unknown = value.filter((p) => !KNOWN_PERMISSIONS.includes(p));
  if (unknown.length > 0) {
    throw badBody(
      `unknown permission ${unknown.map((p) => JSON.stringify(p)).join(', ')}; known: ${KNOWN_PERMISSIONS.map((p) => JSON.stringify(p)).join(', ')}`,
    );
  }
  return [...new Set(value as string[])];
}

function addUser(state: EmulatorState, name: string, now: number): User {
  const user: User = {
    id: state.allocateId(),
    name,
    displayName: name,
    domain: '',
    createdMs: now,
    personas: [],
  };
  state.directory.users.push(user);
  return user;
}

const view = (user: User) => ({
  id: user.id,
  name: user.name,
  display_name: user.displayName,
  domain: user.domain,
  creation_time: taniumTime(user.createdMs),
  personas: user.personas.map((p: Persona) => ({ id: p.id, name: p.name })),
});
