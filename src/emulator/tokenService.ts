import type { Principal } from './authenticate.js';
import { hasPermission, isAdmin, TOKEN_CREATE_PERMISSION } from './directory.js';
import type { EmulatorState } from './emulatorState.js';
import { badBody, HttpError } from './httpError.js';
import type { TokenRecord } from './tokens.js';
import { TrustList } from './trustList.js';

/** Token operations shared by Platform REST and the Gateway; both surfaces apply the same rules. */
export interface GrantInput {
  name?: string | undefined;
  notes?: string | undefined;
  expireInDays?: number | undefined;
  trustedIpAddresses?: string | readonly string[] | undefined;
  persona?: unknown;
}

/** Creating a token needs the Administrator role or the create permission; a refusal creates nothing. */
function requireCreate(principal: Principal): void {
  if (!hasPermission(principal.persona, TOKEN_CREATE_PERMISSION))
    throw new HttpError(
      403,
      'RBACInsufficientPrivilege',
      `this persona lacks the "${TOKEN_CREATE_PERMISSION}" permission needed to create API tokens`,
    );
}

export function grantToken(state: EmulatorState, principal: Principal, input: GrantInput) {
  requireCreate(principal);
  const settings = state.settings;
  const max = settings.number('api_token_max_expiration_in_days');
  const days = input.expireInDays ?? settings.number('api_token_expiration_in_days');
  if (days < 1) throw badBody(`expire_in_days must be at least 1 day, got ${days}`);
  if (days > max) {
    throw badBody(
      `expire_in_days ${days} exceeds the maximum of ${max} days (api_token_max_expiration_in_days)`,
    );
  }
  const persona = state.directory.resolvePersona(principal.user, input.persona, principal.persona);
  const trusted = TrustList.parse(input.trustedIpAddresses);
  const issued = state.tokens.create(
    {
      name: input.name ?? '',
      notes: input.notes ?? '',
      userId: principal.user.id,
      personaId: persona.id,
      expireInDays: days,
      trusted,
    },
    state.now(),
    settings.number('api_token_string_length'),
  );
  state.save();
  return issued;
}

/** Rotation needs the caller's own, active token string; anything else is refused as Unauthorized. */
export function rotateToken(state: EmulatorState, principal: Principal, tokenString: string) {
  const old = state.tokens.byString(tokenString.trim());
  if (!old || old.expiresMs <= state.now() || old.userId !== principal.user.id) {
    throw new HttpError(
      401,
      'Unauthorized',
      'token_string does not name an active API token of the calling user',
    );
  }
  const issued = state.tokens.rotate(old, state.now(), state.settings.number('api_token_string_length'));
  state.save();
  return { old, ...issued };
}

export function visibleTokens(state: EmulatorState, principal: Principal): TokenRecord[] {
  const active = state.tokens.active(state.now());
  return isAdmin(principal.persona) ? active : active.filter((t) => t.userId === principal.user.id);
}

export function findVisibleToken(state: EmulatorState, principal: Principal, id: number): TokenRecord {
  const record = state.tokens.byId(id, state.now());
  if (!isAdmin(principal.persona) && record.userId !== principal.user.id) {
    throw new HttpError(404, 'APITokenNotFound', `no active API token with id ${id}`);
  }
  return record;
}

export function revokeToken(state: EmulatorState, principal: Principal, id: number): TokenRecord {
  const record = findVisibleToken(state, principal, id);
  state.tokens.revoke(record);
  state.save();
  return record;
}
