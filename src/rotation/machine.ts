/**
 * The token rotation state machine, pure: `next(record, event)` returns the record to persist, the
 * store effects to apply in the SAME transaction, and the one thing the driver must do next. No I/O
 * here (the driver in driver.ts does it), so the property test can drive it through any sequence.
 *
 *   idle ─start→ intent_recorded ─sending→ sent ─answered→ received ─verify_started→ verifying ─verified→ idle
 *                                            │                                         │
 *                                            ├─rejected / not_sent → idle (retry later) ├─verify_unreachable → received
 *                                            ├─refused (401) → refused                  └─verify_refused → unknown
 *                                            └─no_answer → unknown ─old_works→ idle
 *                                                                  ├─old_refused→ lost
 *                                                                  └─probe_unreachable→ unknown
 *   crash recovery (`recover`): intent_recorded/sent → unknown (probe); received → verify; verifying → verify.
 *   lost and refused stop rotation until `token_replaced` (tanium-bridge token replace).
 */
import type { RotationAuditEntry, RotationMethod, RotationPhase, RotationRecord } from '../store/rotation.js';

/** What the server said about the new token (never its string: that travels in the effect only). */
export interface IssuedToken {
  id: string;
  /** Server time the token was created (= rotated). */
  created: string | null;
  expiration: string | null;
}

export type RotationEvent =
  | { type: 'start'; attemptId: string; method: RotationMethod; at: string }
  | { type: 'recover'; at: string }
  | { type: 'sending'; at: string }
  | { type: 'answered'; token: IssuedToken; secret: string; clockOffsetMs: number | null; at: string }
  /** A definite "no" (4xx, payload error): nothing changed on the server. */
  | { type: 'rejected'; error: string; at: string }
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
  | 'unknown'
  | 'verify_pending'
  | 'lost'
  | 'refused'
  | 'blocked'
  | 'replaced';

export type RotationAction =
  | { kind: 'continue'; event: 'sending' | 'verify_started' }
  | { kind: 'send_rotate'; method: RotationMethod }
  | { kind: 'verify_pending' }
  | { kind: 'probe_old' }
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

const PENDING_CLEARED = { pendingCreated: null, pendingExpiration: null } as const;

export function next(record: RotationRecord, event: RotationEvent): Step {
  const { phase } = record;
  const invalid = () => new InvalidTransitionError(phase, event.type);

  if (event.type === 'token_replaced') {
    const effects: RotationEffect[] = [{ kind: 'discard_pending' }];
    if (!RESTING_PHASES.includes(phase) && record.attemptId !== null)
      effects.push(audit(record, 'abandoned', 'a new token was stored with token replace', event.at));
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
      },
      event.at,
      effects,
      { kind: 'done', outcome: 'replaced' },
    );
  }

  switch (phase) {
    case 'idle':
      if (event.type !== 'start') throw invalid();
      return step(
        record,
        {
          phase: 'intent_recorded',
          attemptId: event.attemptId,
          method: event.method,
          attemptStartedAt: event.at,
          oldTokenId: record.tokenId,
          newTokenId: null,
          ...PENDING_CLEARED,
          lastAttemptAt: event.at,
        },
        event.at,
        [
          audit(
            { ...record, attemptId: event.attemptId, method: event.method, attemptStartedAt: event.at },
            'in_progress',
            null,
            null,
          ),
        ],
        { kind: 'continue', event: 'sending' },
      );

    case 'lost':
    case 'refused':
      if (event.type !== 'start' && event.type !== 'recover') throw invalid();
      // Never retry blindly: only `token replace` leaves these phases.
      return { record, effects: [], action: { kind: 'done', outcome: 'blocked' }, persist: false };

    case 'intent_recorded':
      if (event.type === 'sending')
        return step(record, { phase: 'sent' }, event.at, [], {
          kind: 'send_rotate',
          method: record.method ?? 'rest',
        });
      if (event.type === 'recover')
        return step(
          record,
          { phase: 'unknown', lastError: 'interrupted before the answer arrived' },
          event.at,
          [audit(record, 'unknown', 'interrupted before the answer arrived', null)],
          { kind: 'probe_old' },
        );
      throw invalid();

    case 'sent':
      switch (event.type) {
        case 'answered':
          return step(
            record,
            {
              phase: 'received',
              newTokenId: event.token.id,
              pendingCreated: event.token.created,
              pendingExpiration: event.token.expiration,
              clockOffsetMs: event.clockOffsetMs ?? record.clockOffsetMs,
            },
            event.at,
            // The new token and the phase that says we hold it commit together, before anything else.
            [{ kind: 'store_pending', secret: event.secret }, audit(record, 'received', null, null)],
            { kind: 'continue', event: 'verify_started' },
          );
        case 'rejected':
        case 'not_sent':
          return step(
            record,
            { phase: 'idle', lastOutcome: 'failed', lastError: event.error },
            event.at,
            [audit(record, 'failed', event.error, event.at)],
            { kind: 'done', outcome: 'failed' },
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
          return step(
            record,
            { phase: 'unknown', lastError: event.error },
            event.at,
            [audit(record, 'unknown', event.error, null)],
            { kind: 'probe_old' },
          );
        case 'recover':
          return step(
            record,
            { phase: 'unknown', lastError: 'interrupted before the answer arrived' },
            event.at,
            [audit(record, 'unknown', 'interrupted before the answer arrived', null)],
            { kind: 'probe_old' },
          );
        default:
          throw invalid();
      }

    case 'received':
      if (event.type === 'verify_started' || event.type === 'recover')
        return step(record, { phase: 'verifying' }, event.at, [], { kind: 'verify_pending' });
      throw invalid();

    case 'verifying':
      switch (event.type) {
        case 'recover':
          return { record, effects: [], action: { kind: 'verify_pending' }, persist: false };
        case 'verified':
          return step(
            record,
            {
              phase: 'idle',
              tokenId: record.newTokenId,
              tokenCreated: record.pendingCreated,
              tokenExpiration: record.pendingExpiration,
              ...PENDING_CLEARED,
              lastSuccessAt: event.at,
              lastOutcome: 'rotated',
              lastError: null,
            },
            event.at,
            [{ kind: 'promote_pending' }, audit(record, 'rotated', null, event.at)],
            { kind: 'done', outcome: 'rotated' },
          );
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
          return step(
            record,
            { phase: 'unknown', lastError: event.error },
            event.at,
            [audit(record, 'unknown', event.error, null)],
            { kind: 'probe_old' },
          );
        default:
          throw invalid();
      }

    case 'unknown':
      switch (event.type) {
        case 'recover':
          return { record, effects: [], action: { kind: 'probe_old' }, persist: false };
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
}
