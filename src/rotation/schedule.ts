/**
 * When a token is due for rotation. Pure: every time is the SERVER's (Tanium's clock, learned from
 * `query { now }` or the rotate answer), never this machine's, so a skewed local clock cannot make a
 * token expire unnoticed.
 */
import { UserError } from '../common/userError.js';

export const DAY_MS = 86_400_000;

export interface SchedulePolicy {
  /** Rotate when the token is this old (since created or last rotated). Default: one day. */
  everyMs: number;
  /** Rotate when this share of its lifetime has passed (0 < share <= 1). Default: 0.5. */
  share: number;
}

export const DEFAULT_POLICY: SchedulePolicy = { everyMs: DAY_MS, share: 0.5 };

export interface TokenTimes {
  /** ISO time the token was created or last rotated (server clock). */
  created: string;
  /** ISO expiry (server clock). */
  expiration: string;
}

export interface Dueness {
  due: boolean;
  expired: boolean;
  /** When it becomes due (ISO, server clock). */
  dueAt: string;
  /** One sentence, for `rotate --if-due` and logs. */
  reason: string;
}

export function validateShare(share: number): number {
  if (!(share > 0 && share <= 1))
    throw new UserError(`Invalid --share ${share}: give a number above 0 and at most 1, e.g. 0.5.`);
  return share;
}

/** A duration in words: `3d 4h`, `5h 10m`, `42s`. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / DAY_MS);
  const h = Math.floor((abs % DAY_MS) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${Math.floor(abs / 1000)}s`;
}

export function dueness(
  times: TokenTimes,
  serverNowMs: number,
  policy: SchedulePolicy = DEFAULT_POLICY,
): Dueness {
  const created = Date.parse(times.created);
  const expires = Date.parse(times.expiration);
  const lifetime = Math.max(0, expires - created);
  const byAge = created + policy.everyMs;
  const byShare = created + lifetime * policy.share;
  const dueAtMs = Math.min(byAge, byShare);
  const dueAt = new Date(dueAtMs).toISOString();
  const age = humanDuration(serverNowMs - created);
  if (serverNowMs >= expires)
    return {
      due: true,
      expired: true,
      dueAt,
      reason: `the token expired ${humanDuration(serverNowMs - expires)} ago (${times.expiration}); Tanium will refuse it`,
    };
  if (serverNowMs >= dueAtMs) {
    const why =
      byShare <= byAge
        ? `${Math.round(policy.share * 100)}% of its ${humanDuration(lifetime)} lifetime has passed`
        : `it is ${age} old (rotate every ${humanDuration(policy.everyMs)})`;
    return {
      due: true,
      expired: false,
      dueAt,
      reason: `due: ${why}; it expires in ${humanDuration(expires - serverNowMs)}`,
    };
  }
  return {
    due: false,
    expired: false,
    dueAt,
    reason: `not due: the token is ${age} old, next rotation due at ${dueAt} (in ${humanDuration(dueAtMs - serverNowMs)}); it expires in ${humanDuration(expires - serverNowMs)}`,
  };
}

export interface CandidateToken {
  id: string;
  created: string;
  expiration: string;
  lastUsed: string | null;
}

/**
 * Which of the caller's tokens is this connection's, when the stored id does not say (before the
 * first rotation). Token strings are never listed, so: the stored id when it is listed; else the one
 * token just used (its `lastUsed` within `recentMs` of the server's now, since we just called with
 * it); else, with several candidates, the earliest expiry (as GLPI does: never later than the truth),
 * with the id left unknown.
 */
export function pickToken(
  candidates: readonly CandidateToken[],
  knownId: string | null,
  serverNowMs: number,
  recentMs = 10_000,
): { token: CandidateToken; certain: boolean } | undefined {
  if (candidates.length === 0) return undefined;
  if (knownId !== null) {
    const match = candidates.find((c) => c.id === knownId);
    if (match) return { token: match, certain: true };
  }
  if (candidates.length === 1) return { token: candidates[0] as CandidateToken, certain: true };
  const recent = candidates.filter(
    (c) => c.lastUsed !== null && Math.abs(serverNowMs - Date.parse(c.lastUsed)) <= recentMs,
  );
  if (recent.length === 1) return { token: recent[0] as CandidateToken, certain: true };
  const pool = recent.length > 1 ? recent : candidates;
  const earliest = [...pool].sort((a, b) => Date.parse(a.expiration) - Date.parse(b.expiration))[0];
  return earliest && { token: earliest, certain: false };
}
