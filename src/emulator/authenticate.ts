import type { Persona, User } from './directory.js';
import type { EmulatorState } from './emulatorState.js';
import type { TokenRecord } from './tokens.js';
import { TrustList, unmapIPv4 } from './trustList.js';

/** Who is calling: the token's user and persona. */
export interface Principal {
  user: User;
  persona: Persona;
  token: TokenRecord;
}

export type AuthFailure = 'missing' | 'unknown' | 'expired' | 'untrusted';

/**
 * Checks the `session` header the way Tanium documents it. Every failure gets the same answer
 * on the wire (Tanium does not say which check failed); the reason is kept for emulator stats.
 */
export function authenticate(
  state: EmulatorState,
  sessionHeader: string | string[] | undefined,
  peerAddress: string,
  forwardedFor: string | string[] | undefined,
): { principal: Principal } | { failure: AuthFailure } {
  const value = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
  if (!value) return { failure: 'missing' };
  const token = state.tokens.byString(value.trim());
  if (!token) return { failure: 'unknown' };
  const now = state.now();
  if (token.expiresMs <= now) return { failure: 'expired' };
  const client = clientAddress(state, peerAddress, forwardedFor);
  const trusted = TrustList.parse(token.trustedIpAddresses);
  if (!trusted.admits(client) && !state.settings.trustList().admits(client)) return { failure: 'untrusted' };
  const user = state.directory.user(token.userId);
  const persona = state.directory.persona(user, token.personaId);
  token.lastUsedMs = now;
  state.saveSoon();
  return { principal: { user, persona, token } };
}

/**
 * The address a token is checked against: the peer, or the original client named in
 * X-Forwarded-For (its left-most entry) only when authenticate_api_token_with_x_forwarded_for_ip is 1.
 */
export function clientAddress(
  state: EmulatorState,
  peerAddress: string,
  forwardedFor: string | string[] | undefined,
): string {
  if (state.settings.number('authenticate_api_token_with_x_forwarded_for_ip') === 1 && forwardedFor) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    const first = header.split(',')[0]?.trim();
    if (first) return unmapIPv4(first);
  }
  return unmapIPv4(peerAddress);
}
