/**
 * What a rotation run tells its caller: a typed report (outcome, ids, expiry, error) and one
 * paragraph for people that never holds a token; and the exit code each outcome maps to.
 */
import type { NextStep } from '../common/nextStep.js';
import { isGrant, type RotationMethod, type RotationRecord } from '../store/rotation.js';
import { lostMessage, refusedMessage } from './health.js';
import type { RotationOutcome } from './machine.js';
import { type Dueness, humanDuration } from './schedule.js';

export type RotateAction = RotationOutcome | 'not_due' | 'done_elsewhere' | 'nothing_to_do';

export interface RotateReport {
  name: string;
  /** What this run did or found. */
  outcome: RotateAction;
  /** When an interrupted attempt was found first, how its recovery ended. */
  recovered: RotationOutcome | null;
  method: RotationMethod | null;
  /** True when Tanium refused to create a token, so this run fell back to the exchange. */
  fellBack: boolean;
  attemptId: string | null;
  oldTokenId: string | null;
  newTokenId: string | null;
  phase: RotationRecord['phase'];
  tokenId: string | null;
  expiresAt: string | null;
  due: Dueness | null;
  error: string | null;
  /** One paragraph for people; never holds a token, never a command line. */
  message: string;
  /** What a person should do now, when anything: each interface spells it its own way. */
  next: NextStep | null;
}

/** Rotations that ended well or had nothing to do exit 0; failures 1; a token that needs a human 3. */
export function exitCodeOf(outcome: RotateAction): number {
  switch (outcome) {
    case 'rotated':
    case 'old_not_revoked':
    case 'not_due':
    case 'done_elsewhere':
    case 'nothing_to_do':
    case 'replaced':
      return 0;
    case 'lost':
    case 'refused':
    case 'blocked':
      return 3;
    default:
      return 1;
  }
}

const VIA: Record<RotationMethod, string> = {
  rest: 'the exchange over REST (PATCH /api/v2/api_tokens)',
  graphql: 'the exchange over the Gateway (apiTokenRotate)',
  grant: 'grant-then-revoke over REST (POST and DELETE /api/v2/api_tokens)',
  'grant-graphql': 'grant-then-revoke over the Gateway (apiTokenGrant, apiTokenRevoke)',
};

export interface ReportInput {
  name: string;
  outcome: RotateAction;
  recovered: RotationOutcome | null;
  record: RotationRecord;
  now: Date;
  fellBack?: boolean;
  due?: Dueness | null;
  message?: string;
  /** Overrides the step the outcome implies. */
  next?: NextStep | null;
}

function rotatedMessage(input: ReportInput, expiry: string): string {
  const { name, record, recovered } = input;
  const head = `${recovered === 'rotated' ? 'Finished an interrupted rotation' : 'Rotated the token'} of "${name}" via ${VIA[record.method ?? 'rest']}: token id ${record.oldTokenId ?? '(unknown)'} → ${record.tokenId ?? '(unknown)'}`;
  const fallback = input.fellBack
    ? ' Tanium refused to create a token for this persona, so the exchange was used; later runs use it directly for a week, then try grant-then-revoke again.'
    : '';
  const old = isGrant(record.method)
    ? record.lastError === null
      ? 'the old one is revoked'
      : `${record.lastError}`
    : 'the old one no longer works';
  return `${head}; the new token is stored and verified, ${old}.${expiry}${fallback}`;
}

function messageOf(input: ReportInput, expiry: string): string {
  const { name, record } = input;
  const detail = record.lastError ?? 'no detail';
  switch (input.outcome) {
    case 'rotated':
      return rotatedMessage(input, expiry);
    case 'old_not_revoked':
      return `Rotated the token of "${name}" via ${VIA[record.method ?? 'grant']}: token id ${record.oldTokenId ?? '(unknown)'} → ${record.tokenId ?? '(unknown)'}; the new token is stored, verified and in use, but ${detail}.${expiry}`;
    case 'revoke_pending':
      return `The token of "${name}" was rotated (id ${record.oldTokenId ?? '?'} → ${record.tokenId ?? '?'}) and the new one is stored, verified and in use, but the old token is not revoked yet (${detail}). The next rotation revokes it.`;
    case 'failed':
      return `Rotation of "${name}" failed: ${detail}. Nothing changed on Tanium and the stored token still works; the next run tries again.`;
    case 'not_exchanged':
      return `Rotation of "${name}" got no answer (${detail}). Nothing was exchanged and the stored token still works; the next run tries again.`;
    case 'not_granted':
      return `Rotation of "${name}" got no usable answer to the grant (${detail}). The next run tries again.`;
    case 'grant_refused':
      return `Tanium refused to create a token for "${name}" (${detail}): the persona may not create API tokens. Nothing changed and the stored token still works. Rotate with the exchange (or the default automatic choice), or give the persona the permission to create tokens.`;
    case 'unknown':
      return `Rotation of "${name}" got no answer and Tanium could not be reached to check what happened (${detail}). Nothing is retried blindly: the next rotation checks first.`;
    case 'verify_pending':
      return `A new token for "${name}" (id ${record.newTokenId ?? 'unknown'}) was received and stored, but could not be verified yet (${detail}); the next rotation verifies and activates it.`;
    case 'lost':
      return lostMessage(name, record);
    case 'refused':
      return refusedMessage(name, record);
    case 'blocked':
      return record.phase === 'lost' ? lostMessage(name, record) : refusedMessage(name, record);
    case 'replaced':
      return `The token of "${name}" was replaced; rotation starts over from it.`;
    case 'not_due':
      return `Not rotating "${name}": ${input.due?.reason ?? 'not due'}.`;
    case 'done_elsewhere':
      return `Another process rotated "${name}" just now (outcome: ${record.lastOutcome ?? 'unknown'}); nothing more to do.${expiry}`;
    case 'nothing_to_do':
      return `Nothing to do for "${name}".${expiry}`;
  }
}

/** The step a person takes after this outcome (runs that fix themselves need none). */
function nextOf(name: string, outcome: RotateAction): NextStep | null {
  switch (outcome) {
    case 'lost':
    case 'refused':
    case 'blocked':
      return { step: 'replace_token', connection: name };
    case 'grant_refused':
      return { step: 'rotate', connection: name, via: 'rest' };
    case 'revoke_pending':
    case 'unknown':
    case 'verify_pending':
      return { step: 'rotate', connection: name };
    default:
      return null;
  }
}

export function report(input: ReportInput): RotateReport {
  const { name, outcome, record } = input;
  const serverNow = input.now.getTime() + (record.clockOffsetMs ?? 0);
  const expiry =
    record.tokenExpiration === null
      ? ''
      : ` It expires at ${record.tokenExpiration} (in ${humanDuration(Date.parse(record.tokenExpiration) - serverNow)}).`;
  return {
    name,
    outcome,
    recovered: input.recovered,
    method: record.method,
    fellBack: input.fellBack ?? false,
    attemptId: record.attemptId,
    oldTokenId: record.oldTokenId,
    newTokenId: record.newTokenId,
    phase: record.phase,
    tokenId: record.tokenId,
    expiresAt: record.tokenExpiration,
    due: input.due ?? null,
    error: outcome === 'rotated' || outcome === 'not_due' ? null : record.lastError,
    message: input.message ?? messageOf(input, expiry),
    next: input.next === undefined ? nextOf(name, outcome) : input.next,
  };
}
