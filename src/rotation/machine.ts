/**
 * The token rotation state machine, pure: `next(record, event)` returns the record to persist, the
 * store effects to apply in the SAME transaction, and the one thing the driver must do next. No I/O
 * here (the driver in driver.ts does it), so the property test can drive it through any sequence.
 *
 * Both methods share the path to a verified new token:
 *
 *   idle ─start→ intent_recorded ─sending→ sent ─answered→ received ─verify_started→ verifying ─verified→ …
 *                                            ├─rejected / not_sent → idle (retry later)
 *                                            ├─forbidden (grant: the persona may not create tokens) → idle
 *                                            ├─refused (401) → refused
 *                                            └─no_answer → unknown
 *
 * The exchange (`rest`, `graphql`): the old token died when Tanium issued the new one.
 *   verifying ─verified→ idle (promoted)     verifying ─verify_refused→ unknown
 *   unknown ─old_works→ idle   ├─old_refused→ lost   └─probe_unreachable→ unknown
 *
 * Grant-then-revoke (`grant`, `grant-graphql`): the old token is untouched until the new one is stored
 * and verified, so no lost answer can lock the integration out.
 *   verifying ─verified→ revoking (promoted) ─revoked→ idle
 *                                            ├─revoke_unreachable→ revoking (next run retries)
 *                                            ├─revoke_rejected→ idle (old token valid until it expires)
 *                                            └─revoke_refused→ refused
 *   verifying ─verify_refused→ unknown
 *   unknown ─orphans_revoked→ idle (the attempt's token, if any, found by its marker and revoked)
 *           ├─orphans_unreachable→ unknown   └─old_refused→ refused
 *
 *   crash recovery (`recover`): intent_recorded/sent → unknown; received → verify; verifying → verify;
 *   unknown → probe (exchange) or orphan search (grant); revoking → revoke.
 *   lost and refused stop rotation until `token_replaced` (tanium-bridge token replace).
 */
import {
  isGrant,
  type RotationAuditEntry,
  type RotationMethod,
  type RotationPhase,
  type RotationRecord,
} from '../store/rotation.js';

/** What the server said about the new token (never its string: that travels in the effect only). */
export interface IssuedToken {
  id: string;
  /** Server time the token was created (= rotated). */
  created: string | null;
  expiration: string | null;
}

/** Grant-then-revoke: the token being replaced, as learned before the grant (id null when not certain). */
export interface OldToken {
  id: string | null;
  expiration: string | null;
}

export type RotationEvent =
  | { type: 'start'; attemptId: string; method: RotationMethod; at: string }
  | { type: 'recover'; at: string }
  | { type: 'sending'; at: string }
  | {
      type: 'answered';
      token: IssuedToken;
      secret: string;
      clockOffsetMs: number | null;
      /** Grant only: the token to revoke once the new one is verified. */
      old?: OldToken;
      at: string;
    }
  /** A definite "no" (4xx, payload error): nothing changed on the server. */
  | { type: 'rejected'; error: string; at: string }
  /** Grant: a definite permission refusal (403): the persona may not create tokens; nothing changed. */
  | { type: 'forbidden'; error: string; at: string }
  /** 401 on the rotate call: the token we hold is refused, so nothing was exchanged and none works. */
  | { type: 'refused'; error: string; at: string }
  /** Sent, no usable answer (timeout, reset, dropped, 5xx, garbage): the exchange may have happened. */
  | { type: 'no_answer'; error: string; at: string }
  /** Failed before leaving this machine: nothing happened. */
  | { type: 'not_sent'; error: string; at: string }
  | { type: 'verify_started'; at: string }
  | { type: 'verified'; at: string }
  | { type: 'verify_refused'; error: string; at: string }
  | { type: 'verify_unreachable'; error: string; at: string }
  | { type: 'old_works'; at: string }
  | { type: 'old_refused'; at: string }
  | { type: 'probe_unreachable'; error: string; at: string }
  /** Grant: the tokens of this attempt that Tanium listed (by the notes marker) were revoked. */
  | { type: 'orphans_revoked'; revoked: string[]; at: string }
  | { type: 'orphans_unreachable'; error: string; at: string }
  /** Grant: the old token is revoked (`gone`: Tanium no longer knew it, 404). */
  | { type: 'revoked'; gone: boolean; at: string }
  | { type: 'revoke_unreachable'; error: string; at: string }
  | { type: 'revoke_rejected'; error: string; at: string }
  /** 401 on the revoke call: the (new, active) token we hold is refused. */
  | { type: 'revoke_refused'; error: string; at: string }
  /** `token replace` stored a token from the console: start over from it. */
  | { type: 'token_replaced'; at: string };

export type AuditRow = Omit<RotationAuditEntry, 'connectionName'>;

export type RotationEffect =
  | { kind: 'store_pending'; secret: string }
  | { kind: 'promote_pending' }
  | { kind: 'discard_pending' }
  | { kind: 'audit'; entry: AuditRow };

/** How a run ended. */
export type RotationOutcome =
  | 'rotated'
  | 'failed'
  | 'not_exchanged'
  | 'not_granted'
  | 'grant_refused'
  | 'unknown'
  | 'verify_pending'
  | 'revoke_pending'
  | 'old_not_revoked'
  | 'lost'
  | 'refused'
  | 'blocked'
  | 'replaced';

export type RotationAction =
  | { kind: 'continue'; event: 'sending' | 'verify_started' }
  | { kind: 'send_rotate'; method: RotationMethod }
  | { kind: 'verify_pending' }
  | { kind: 'probe_old' }
  | { kind: 'find_orphans'; method: RotationMethod }
  | { kind: 'revoke_old'; method: RotationMethod; tokenId: string }
  | { kind: 'done'; outcome: RotationOutcome };

export interface Step {
  record: RotationRecord;
  effects: RotationEffect[];
  action: RotationAction;
  /** False when nothing needs persisting (e.g. a blocked start). */
  persist: boolean;
}

export class InvalidTransitionError extends Error {
  constructor(phase: RotationPhase, event: RotationEvent['type']) {
    super(`rotation: event "${event}" is not valid in phase "${phase}"`);
    this.name = 'InvalidTransitionError';
  }
}

/** Phases that hold no attempt: a new one may start (idle) or must not (lost, refused). */
export const RESTING_PHASES: readonly RotationPhase[] = ['idle', 'lost', 'refused'];

/** Outcomes after which the same run may start a rotation: nothing happened, the stored token works. */
export const CLEAN_OUTCOMES: readonly RotationOutcome[] = ['not_exchanged', 'not_granted'];

function audit(
  record: RotationRecord,
  outcome: string,
  error: string | null,
  at: string | null,
): RotationEffect {
  return {
    kind: 'audit',
    entry: {
      attemptId: record.attemptId ?? 'none',
      startedAt: record.attemptStartedAt ?? at ?? '',
      finishedAt: at,
      method: record.method ?? 'rest',
      oldTokenId: record.oldTokenId,
      newTokenId: record.newTokenId,
      outcome,
      error,
    },
  };
}

function step(
  record: RotationRecord,
  changes: Partial<RotationRecord>,
  at: string,
  effects: RotationEffect[],
  action: RotationAction,
): Step {
  const next = { ...record, ...changes, updatedAt: at };
  // Audit rows describe the record after the change (e.g. the new token id once received).
  const resolved = effects.map((effect) =>
    effect.kind === 'audit'
      ? {
          kind: 'audit' as const,
          entry: { ...effect.entry, oldTokenId: next.oldTokenId, newTokenId: next.newTokenId },
        }
      : effect,
  );
  return { record: next, effects: resolved, action, persist: true };
}

const stay = (record: RotationRecord, action: RotationAction): Step => ({
  record,
  effects: [],
  action,
  persist: false,
});

const PENDING_CLEARED = { pendingCreated: null, pendingExpiration: null } as const;
const INTERRUPTED = 'interrupted before the answer arrived';

const methodOf = (record: RotationRecord): RotationMethod => record.method ?? 'rest';

/** What finds out whether an unanswered attempt changed anything: a probe, or the orphan search. */
function investigate(record: RotationRecord): RotationAction {
  return isGrant(record.method) ? { kind: 'find_orphans', method: methodOf(record) } : { kind: 'probe_old' };
}

function toUnknown(record: RotationRecord, error: string, at: string): Step {
  return step(record, { phase: 'unknown', lastError: error }, at, [audit(record, 'unknown', error, null)], {
    ...investigate(record),
  });
}

export function next(record: RotationRecord, event: RotationEvent): Step {
  if (event.type === 'token_replaced') return tokenReplaced(record, event.at);
  const invalid = () => new InvalidTransitionError(record.phase, event.type);
  switch (record.phase) {
    case 'idle':
      if (event.type !== 'start') throw invalid();
      return start(record, event);
    case 'lost':
    case 'refused':
      if (event.type !== 'start' && event.type !== 'recover') throw invalid();
      // Never retry blindly: only `token replace` leaves these phases.
      return stay(record, { kind: 'done', outcome: 'blocked' });
    case 'intent_recorded':
      if (event.type === 'sending')
        return step(record, { phase: 'sent' }, event.at, [], {
          kind: 'send_rotate',
          method: methodOf(record),
        });
      if (event.type === 'recover') return toUnknown(record, INTERRUPTED, event.at);
      throw invalid();
    case 'sent':
      return fromSent(record, event, invalid);
    case 'received':
      if (event.type === 'verify_started' || event.type === 'recover')
        return step(record, { phase: 'verifying' }, event.at, [], { kind: 'verify_pending' });
      throw invalid();
    case 'verifying':
      return fromVerifying(record, event, invalid);
    case 'unknown':
      return isGrant(record.method)
        ? fromGrantUnknown(record, event, invalid)
        : fromUnknown(record, event, invalid);
    case 'revoking':
      return fromRevoking(record, event, invalid);
  }
}

function tokenReplaced(record: RotationRecord, at: string): Step {
  const effects: RotationEffect[] = [{ kind: 'discard_pending' }];
  if (!RESTING_PHASES.includes(record.phase) && record.attemptId !== null)
    effects.push(audit(record, 'abandoned', 'a new token was stored with token replace', at));
  return step(
    record,
    {
      phase: 'idle',
      ...PENDING_CLEARED,
      tokenId: null,
      tokenCreated: null,
      tokenExpiration: null,
      lastOutcome: 'token_replaced',
      lastError: null,
      // The new token may belong to another persona: find out again.
      grantCapability: null,
      grantCheckedAt: null,
    },
    at,
    effects,
    { kind: 'done', outcome: 'replaced' },
  );
}

function start(record: RotationRecord, event: Extract<RotationEvent, { type: 'start' }>): Step {
  const attempt = { ...record, attemptId: event.attemptId, method: event.method, attemptStartedAt: event.at };
  return step(
    record,
    {
      phase: 'intent_recorded',
      attemptId: event.attemptId,
      method: event.method,
      attemptStartedAt: event.at,
      oldTokenId: record.tokenId,
      oldTokenExpiration: record.tokenExpiration,
      newTokenId: null,
      ...PENDING_CLEARED,
      lastAttemptAt: event.at,
    },
    event.at,
    [audit(attempt, 'in_progress', null, null)],
    { kind: 'continue', event: 'sending' },
  );
}

function fromSent(record: RotationRecord, event: RotationEvent, invalid: () => Error): Step {
  switch (event.type) {
    case 'answered':
      return answered(record, event);
    case 'rejected':
    case 'not_sent':
      return step(
        record,
        { phase: 'idle', lastOutcome: 'failed', lastError: event.error },
        event.at,
        [audit(record, 'failed', event.error, event.at)],
        { kind: 'done', outcome: 'failed' },
      );
    case 'forbidden':
      return step(
        record,
        {
          phase: 'idle',
          lastOutcome: 'grant_refused',
          lastError: event.error,
          ...(isGrant(record.method) ? { grantCapability: 'refused', grantCheckedAt: event.at } : {}),
        },
        event.at,
        [audit(record, 'grant_refused', event.error, event.at)],
        { kind: 'done', outcome: 'grant_refused' },
      );
    case 'refused':
      return step(
        record,
        { phase: 'refused', lastOutcome: 'refused', lastError: event.error },
        event.at,
        [audit(record, 'refused', event.error, event.at)],
        { kind: 'done', outcome: 'refused' },
      );
    case 'no_answer':
      return toUnknown(record, event.error, event.at);
    case 'recover':
      return toUnknown(record, INTERRUPTED, event.at);
    default:
      throw invalid();
  }
}

function answered(record: RotationRecord, event: Extract<RotationEvent, { type: 'answered' }>): Step {
  const grant = isGrant(record.method);
  return step(
    record,
    {
      phase: 'received',
      newTokenId: event.token.id,
      pendingCreated: event.token.created,
      pendingExpiration: event.token.expiration,
      clockOffsetMs: event.clockOffsetMs ?? record.clockOffsetMs,
      ...(grant
        ? {
            grantCapability: 'allowed' as const,
            grantCheckedAt: event.at,
            // A certain id learned just now beats a stored one that Tanium may no longer list.
            oldTokenId: event.old?.id ?? record.oldTokenId,
            oldTokenExpiration: event.old?.expiration ?? record.oldTokenExpiration,
          }
        : {}),
    },
    event.at,
    // The new token and the phase that says we hold it commit together, before anything else.
    [{ kind: 'store_pending', secret: event.secret }, audit(record, 'received', null, null)],
    { kind: 'continue', event: 'verify_started' },
  );
}

function fromVerifying(record: RotationRecord, event: RotationEvent, invalid: () => Error): Step {
  switch (event.type) {
    case 'recover':
      return stay(record, { kind: 'verify_pending' });
    case 'verified':
      return verified(record, event.at);
    case 'verify_unreachable':
      // Keep the pending token; the next run verifies again. Readers fall back to it on a 401.
      return step(
        record,
        { phase: 'received', lastOutcome: 'verify_pending', lastError: event.error },
        event.at,
        [audit(record, 'received', event.error, null)],
        { kind: 'done', outcome: 'verify_pending' },
      );
    case 'verify_refused':
      return toUnknown(record, event.error, event.at);
    default:
      throw invalid();
  }
}

function verified(record: RotationRecord, at: string): Step {
  const promoted = {
    tokenId: record.newTokenId,
    tokenCreated: record.pendingCreated,
    tokenExpiration: record.pendingExpiration,
    ...PENDING_CLEARED,
    lastSuccessAt: at,
  };
  if (!isGrant(record.method))
    return step(
      record,
      { phase: 'idle', ...promoted, lastOutcome: 'rotated', lastError: null },
      at,
      [{ kind: 'promote_pending' }, audit(record, 'rotated', null, at)],
      { kind: 'done', outcome: 'rotated' },
    );
  if (record.oldTokenId === null) {
    const error = `the old token was not revoked: Tanium lists several tokens of this user and which one was ours is not known${validUntil(record)}; revoke it in the Tanium console`;
    return step(
      record,
      { phase: 'idle', ...promoted, lastOutcome: 'old_not_revoked', lastError: error },
      at,
      [{ kind: 'promote_pending' }, audit(record, 'old_not_revoked', error, at)],
      { kind: 'done', outcome: 'old_not_revoked' },
    );
  }
  // The new token is active from here on; the old one is revoked next, and again after a crash.
  return step(
    record,
    { phase: 'revoking', ...promoted, lastOutcome: 'revoking', lastError: null },
    at,
    [{ kind: 'promote_pending' }, audit(record, 'revoking', null, null)],
    { kind: 'revoke_old', method: methodOf(record), tokenId: record.oldTokenId },
  );
}

function validUntil(record: RotationRecord): string {
  return record.oldTokenExpiration === null
    ? ' (it stays valid until it expires)'
    : ` (it stays valid until it expires at ${record.oldTokenExpiration})`;
}

function fromUnknown(record: RotationRecord, event: RotationEvent, invalid: () => Error): Step {
  switch (event.type) {
    case 'recover':
      return stay(record, { kind: 'probe_old' });
    case 'old_works': {
      const error = `${record.lastError ?? 'no answer'}; the old token still works, so nothing was exchanged`;
      return step(
        record,
        { phase: 'idle', ...PENDING_CLEARED, lastOutcome: 'not_exchanged', lastError: error },
        event.at,
        [{ kind: 'discard_pending' }, audit(record, 'not_exchanged', error, event.at)],
        { kind: 'done', outcome: 'not_exchanged' },
      );
    }
    case 'old_refused': {
      const error = `${record.lastError ?? 'no answer'}; Tanium now refuses the old token, so the exchange happened and the new token is lost`;
      return step(
        record,
        { phase: 'lost', ...PENDING_CLEARED, lastOutcome: 'lost', lastError: error },
        event.at,
        [{ kind: 'discard_pending' }, audit(record, 'lost', error, event.at)],
        { kind: 'done', outcome: 'lost' },
      );
    }
    case 'probe_unreachable':
      return step(record, { lastOutcome: 'unknown' }, event.at, [], { kind: 'done', outcome: 'unknown' });
    default:
      throw invalid();
  }
}

function fromGrantUnknown(record: RotationRecord, event: RotationEvent, invalid: () => Error): Step {
  const method = methodOf(record);
  switch (event.type) {
    case 'recover':
      return stay(record, { kind: 'find_orphans', method });
    case 'orphans_revoked': {
      const found =
        event.revoked.length === 0
          ? 'Tanium lists no token of this attempt, so none was created'
          : `the token this attempt created (id ${event.revoked.join(', ')}) was found by its notes marker and revoked`;
      const error = `${record.lastError ?? 'no answer'}; the stored token still works; ${found}`;
      return step(
        record,
        { phase: 'idle', ...PENDING_CLEARED, lastOutcome: 'not_granted', lastError: error },
        event.at,
        [{ kind: 'discard_pending' }, audit(record, 'not_granted', error, event.at)],
        { kind: 'done', outcome: 'not_granted' },
      );
    }
    case 'orphans_unreachable':
      return step(
        record,
        { lastOutcome: 'unknown', lastError: `${record.lastError ?? 'no answer'}; ${event.error}` },
        event.at,
        [],
        {
          kind: 'done',
          outcome: 'unknown',
        },
      );
    case 'old_refused': {
      const error = `${record.lastError ?? 'no answer'}; Tanium now refuses the stored token (expired or revoked elsewhere: grant-then-revoke never touches it before the new one is verified); a token this attempt may have created is listed in the Tanium console with the notes marker [tanium-bridge ${record.attemptId ?? '?'}]`;
      return step(
        record,
        { phase: 'refused', ...PENDING_CLEARED, lastOutcome: 'refused', lastError: error },
        event.at,
        [{ kind: 'discard_pending' }, audit(record, 'refused', error, event.at)],
        { kind: 'done', outcome: 'refused' },
      );
    }
    default:
      throw invalid();
  }
}

function fromRevoking(record: RotationRecord, event: RotationEvent, invalid: () => Error): Step {
  const old = record.oldTokenId ?? '?';
  switch (event.type) {
    case 'recover':
      return stay(record, { kind: 'revoke_old', method: methodOf(record), tokenId: old });
    case 'revoked': {
      const note = event.gone ? `the old token (id ${old}) was already gone` : null;
      return step(
        record,
        { phase: 'idle', lastOutcome: 'rotated', lastError: note },
        event.at,
        [audit(record, 'rotated', note, event.at)],
        { kind: 'done', outcome: 'rotated' },
      );
    }
    case 'revoke_unreachable': {
      const error = `the new token is stored and in use, but the old token (id ${old}) is not revoked yet: ${event.error}; the next run revokes it`;
      return step(
        record,
        { lastOutcome: 'revoke_pending', lastError: error },
        event.at,
        [audit(record, 'revoking', error, null)],
        { kind: 'done', outcome: 'revoke_pending' },
      );
    }
    case 'revoke_rejected': {
      const error = `Tanium refused to revoke the old token (id ${old}): ${event.error}${validUntil(record)}; revoke it in the Tanium console`;
      return step(
        record,
        { phase: 'idle', lastOutcome: 'old_not_revoked', lastError: error },
        event.at,
        [audit(record, 'old_not_revoked', error, event.at)],
        { kind: 'done', outcome: 'old_not_revoked' },
      );
    }
    case 'revoke_refused':
      return step(
        record,
        { phase: 'refused', lastOutcome: 'refused', lastError: event.error },
        event.at,
        [audit(record, 'refused', event.error, event.at)],
        { kind: 'done', outcome: 'refused' },
      );
    default:
      throw invalid();
  }
}
