import { badBody, HttpError } from './httpError.js';

/**
 * Users and their personas. A persona carries the permissions its roles grant; `*` stands for
 * Tanium's Administrator reserved role. Module handlers check a persona's permissions.
 */
export interface Persona {
  id: number;
  name: string;
  permissions: string[];
}

export interface User {
  id: number;
  name: string;
  displayName: string;
  domain: string;
  createdMs: number;
  personas: Persona[];
}

export const ADMIN_PERMISSION = '*';

/**
 * The permission to create API tokens (REST `POST /api/v2/api_tokens`, Gateway `apiTokenGrant`).
 * An ASSUMPTION (docs/emulator.md): Tanium's public documentation names "Token - Use" and "Token -
 * View" (older releases: View, Use and Revoke Token) but no name for creating; rotating and revoking
 * one's own token need no named permission here.
 */
export const TOKEN_CREATE_PERMISSION = 'Token - Create';

export class Directory {
  constructor(readonly users: User[]) {}

  user(id: number): User {
    const user = this.users.find((u) => u.id === id);
    if (!user) throw new HttpError(404, 'UserNotFound', `no user with id ${id}`);
    return user;
  }

  persona(user: User, id: number): Persona {
    const persona = user.personas.find((p) => p.id === id);
    if (!persona)
      throw new HttpError(400, 'InvalidPersonaForUser', `persona ${id} does not belong to user ${user.name}`);
    return persona;
  }

  /** Resolves `as_persona` (an id, `{id}` or `{name}`) or a Gateway `personaName` to one of the user's personas. */
  resolvePersona(user: User, ref: unknown, fallback: Persona): Persona {
    if (ref === undefined || ref === null) return fallback;
    const byName = (name: string) => {
      const persona = user.personas.find((p) => p.name === name);
      if (!persona) {
        throw new HttpError(
          400,
          'InvalidPersonaForUser',
          `persona "${name}" does not belong to user ${user.name}`,
        );
      }
      return persona;
    };
    if (typeof ref === 'number') return this.persona(user, ref);
    if (typeof ref === 'string') return /^\d+$/.test(ref) ? this.persona(user, Number(ref)) : byName(ref);
    if (typeof ref === 'object') {
      const { id, name } = ref as { id?: unknown; name?: unknown };
      if (typeof id === 'number') return this.persona(user, id);
      if (typeof name === 'string') return byName(name);
    }
    throw badBody('field "as_persona" must be a persona id or an object with "id" or "name"');
  }
}

export function hasPermission(persona: Persona, permission: string): boolean {
  return persona.permissions.includes(ADMIN_PERMISSION) || persona.permissions.includes(permission);
}

export function isAdmin(persona: Persona): boolean {
  return persona.permissions.includes(ADMIN_PERMISSION);
}
