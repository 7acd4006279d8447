/**
 * What `status` shows and `check` warns about: the token's expiry (server clock, estimated from the
 * offset measured at the last contact), days left, the last rotation and its outcome, and, when
 * rotation is stuck, the problem in plain words with the fix. Reads the store only: no network.
 */

import type { NextStep } from '../common/nextStep.js';
import {
  initialRotationRecord,
  isGrant,
  type RotationPhase,
  type RotationRecord,
} from '../store/rotation.js';
import type { Store } from '../store/store.js';
import { DAY_MS } from './schedule.js';

/** The fix of a token that no longer works, in words; the step is `replace_token`. */
export function replaceFix(): string {
  return "create a new API token in the Tanium console (Administration > Permissions > API Tokens) and store it as the connection's token (Replace)";
}

export function lostMessage(name: string, record: RotationRecord): string {
  const when = record.lastAttemptAt === null ? '' : ` at ${record.lastAttemptAt}`;
  return (
    `The token of "${name}" is lost: Tanium exchanged it during rotation${when} (attempt ${record.attemptId ?? 'unknown'}) ` +
    `but the answer never arrived, so the new token was never received and the old one no longer works. ` +
    `Rotation has stopped and will not retry. Fix: ${replaceFix()}.`
  );
}

export function refusedMessage(name: string, record?: RotationRecord): string {
  // Grant-then-revoke: a token the interrupted attempt may have created is named by its notes marker.
  const orphan =
    record?.lastError?.includes('[tanium-bridge ') === true
      ? ` A token created by the interrupted attempt may be listed with the notes marker [tanium-bridge ${record.attemptId ?? '?'}]: revoke it in the console.`
      : '';
  return (
    `Tanium refuses the stored token of "${name}" (expired, revoked, or exchanged by something else), ` +
    `so it cannot be rotated. Rotation has stopped and will not retry. Fix: ${replaceFix()}.${orphan}`
  );
}

export interface RotationSummary {
  phase: RotationPhase;
  tokenId: string | null;
  /** Expiry on the server's clock, ISO; null until learned (first `rotate` or `rotate --if-due`). */
  expiresAt: string | null;
  /** Days left, one decimal, from the server time estimated with the last measured clock offset. */
  daysLeft: number | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  /** Plain words, with the fix, when rotation needs attention; else null. */
  problem: string | null;
  /** What to do about the problem, as data each interface spells its own way. */
  next: NextStep | null;
}

function problemOf(name: string, record: RotationRecord, daysLeft: number | null): string | null {
  switch (record.phase) {
    case 'lost':
      return lostMessage(name, record);
    case 'refused':
      return refusedMessage(name, record);
    case 'revoking':
      return `The token of "${name}" was rotated and the new one is in use, but the old token (id ${record.oldTokenId ?? '?'}) is not revoked yet; the next rotation revokes it.`;
    case 'unknown':
      if (isGrant(record.method))
        return `A grant of a new token for "${name}" got no usable answer; the stored token still works. The next rotation looks for the token this attempt may have created and revokes it before anything else.`;
      return `A rotation of "${name}" got no answer and whether Tanium exchanged the token is not known yet; the next rotation checks with the old token before anything else.`;
    case 'received':
    case 'verifying':
      return `A new token for "${name}" was received and stored but not verified yet; the next rotation verifies and activates it.`;
    case 'intent_recorded':
    case 'sent':
      return `A rotation of "${name}" is in progress (or was interrupted); the next rotation finds out what happened.`;
    case 'idle':
      if (daysLeft !== null && daysLeft <= 0)
        return `The token of "${name}" has expired. Fix: ${replaceFix()}.`;
      if (record.lastOutcome === 'old_not_revoked')
        return `The token of "${name}" was rotated, but ${record.lastError ?? 'the old token was not revoked'}.`;
      return null;
  }
}

/** The step that fixes the problem `problemOf` names. */
function nextOf(name: string, record: RotationRecord, daysLeft: number | null): NextStep | null {
  if (record.phase === 'lost' || record.phase === 'refused' || (daysLeft !== null && daysLeft <= 0))
    return { step: 'replace_token', connection: name };
  if (record.phase === 'idle') return null;
  return { step: 'rotate', connection: name };
}

export function summarize(name: string, record: RotationRecord, now: Date): RotationSummary {
  const serverNow = now.getTime() + (record.clockOffsetMs ?? 0);
  const daysLeft =
    record.tokenExpiration === null
      ? null
      : Math.round(((Date.parse(record.tokenExpiration) - serverNow) / DAY_MS) * 10) / 10;
  return {
    phase: record.phase,
    tokenId: record.tokenId,
    expiresAt: record.tokenExpiration,
    daysLeft,
    lastAttemptAt: record.lastAttemptAt,
    lastSuccessAt: record.lastSuccessAt,
    lastOutcome: record.lastOutcome,
    lastError: record.lastError,
    problem: problemOf(name, record, daysLeft),
    next: nextOf(name, record, daysLeft),
  };
}

export async function rotationSummary(store: Store, name: string, now: Date): Promise<RotationSummary> {
  const record = (await store.rotation.get(name)) ?? initialRotationRecord(now.toISOString());
  return summarize(name, record, now);
}

export interface RotationHealth {
  /** `error`: the token is lost, refused or expired; `warn`: expires within `warnDays` and rotation is not working. */
  level: 'ok' | 'warn' | 'error';
  message: string;
  /** What to do, when something is to be done. */
  next?: NextStep;
  summary: RotationSummary;
}

/**
 * For `check`: warns when the token expires within `warnDays` (default 3) and rotation is not
 * working (the last attempt did not rotate, or an attempt is stuck); errors when the token is lost,
 * refused or expired.
 */
export async function rotationHealth(
  store: Store,
  name: string,
  now: Date,
  options: { warnDays?: number } = {},
): Promise<RotationHealth> {
  const warnDays = options.warnDays ?? 3;
  const summary = await rotationSummary(store, name, now);
  const { phase, daysLeft } = summary;
  if (phase === 'lost' || phase === 'refused' || (daysLeft !== null && daysLeft <= 0))
    return {
      level: 'error',
      message: summary.problem ?? 'rotation needs attention',
      ...(summary.next ? { next: summary.next } : {}),
      summary,
    };
  const working =
    (phase === 'idle' && (summary.lastOutcome === 'rotated' || summary.lastOutcome === 'old_not_revoked')) ||
    phase === 'revoking';
  if (daysLeft !== null && daysLeft < warnDays && !working) {
    const never = summary.lastOutcome === null || summary.lastOutcome === 'token_replaced';
    const why =
      summary.problem ??
      (never
        ? 'it has not been rotated yet: schedule rotate-if-due'
        : `the last rotation ended "${summary.lastOutcome}": ${summary.lastError ?? 'no detail'}`);
    const next: NextStep = summary.next ?? { step: never ? 'rotate_if_due' : 'rotate', connection: name };
    return {
      level: 'warn',
      message: `The token of "${name}" expires in ${daysLeft} days (${summary.expiresAt}) and rotation is not working: ${why}`,
      next,
      summary,
    };
  }
  if (daysLeft === null)
    return {
      level: 'ok',
      message: `Token expiry of "${name}" not known yet: the first rotate-if-due learns it.`,
      next: { step: 'rotate_if_due', connection: name },
      summary,
    };
  return {
    level: 'ok',
    message: `The token of "${name}" expires in ${daysLeft} days (${summary.expiresAt}).`,
    summary,
  };
}
