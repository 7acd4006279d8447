import { taniumTime } from './clock.js';
import type { EmulatorState } from './emulatorState.js';
import type { TokenRecord } from './tokens.js';
import { TrustList } from './trustList.js';

/** Platform REST `api_token` object; `token_string` only when the caller just created or rotated it. */
export function restToken(state: EmulatorState, record: TokenRecord, tokenString?: string, deleted = false) {
  const user = state.directory.user(record.userId);
  const persona = state.directory.persona(user, record.personaId);
  return {
    id: record.id,
    name: record.name,
    notes: record.notes,
    created_time: taniumTime(record.createdMs),
    expiration: taniumTime(record.expiresMs),
    expire_in_days: record.expireInDays,
    last_used_on: taniumTime(record.lastUsedMs),
    trusted_ip_addresses: record.trustedIpAddresses,
    deleted_flag: deleted ? 1 : 0,
    persona: { id: persona.id, name: persona.name },
    user: { id: user.id, name: user.name, display_name: user.displayName, domain: user.domain },
    ...(tokenString === undefined ? {} : { token_string: tokenString }),
  };
}

/** Gateway `APIToken`; `tokenString` is null except on grant and rotate. */
export function gatewayToken(state: EmulatorState, record: TokenRecord, tokenString: string | null = null) {
  const user = state.directory.user(record.userId);
  const persona = state.directory.persona(user, record.personaId);
  return {
    id: String(record.id),
    created: taniumTime(record.createdMs),
    expiration: taniumTime(record.expiresMs),
    lastUsed: taniumTime(record.lastUsedMs),
    notes: record.notes,
    persona: { id: String(persona.id), name: persona.name },
    tokenString,
    trustedIPAddresses: [...TrustList.parse(record.trustedIpAddresses).entries],
  };
}
