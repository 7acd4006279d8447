/**
 * Runs the state machine against ports (the store and Tanium). Every transition is committed before
 * the next I/O, so a process killed at any point leaves a phase the next run recovers from. The
 * ports are interfaces: the CLI uses the SQLite store and the SDK (storePorts.ts); the property test
 * uses an in-memory store and a model server.
 */
import type { RotationMethod, RotationRecord } from '../store/rotation.js';
import {
  CLEAN_OUTCOMES,
  type IssuedToken,
  next,
  type OldToken,
  type RotationAction,
  type RotationEffect,
  type RotationEvent,
  type RotationOutcome,
} from './machine.js';

export type RotateResult =
  | { kind: 'answered'; token: IssuedToken; secret: string; clockOffsetMs: number | null; old?: OldToken }
  | { kind: 'rejected' | 'forbidden' | 'refused' | 'no_answer' | 'not_sent'; error: string };

export type ProbeResult = { kind: 'ok' } | { kind: 'refused' | 'unreachable'; error: string };

/** The orphan search of grant-then-revoke: the ids of this attempt's tokens it revoked. */
export type OrphanResult =
  | { kind: 'ok'; revoked: string[] }
  | { kind: 'refused' | 'unreachable'; error: string };

export type RevokeResult =
  | { kind: 'revoked' | 'gone' }
  | { kind: 'rejected' | 'refused' | 'unreachable'; error: string };

/**
 * Where a test can make the process die: after a phase was committed (its name), or `answered` (the
 * new token is in memory, not yet committed), `verified` (verified, not yet promoted) and `revoked`
 * (the old token revoked, not yet committed).
 */
export const CRASH_POINTS = [
  'intent_recorded',
  'sent',
  'answered',
  'received',
  'verifying',
  'verified',
  'revoking',
  'revoked',
  'unknown',
  'idle',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface RotationPorts {
  load(): Promise<RotationRecord>;
  /** Persists the record and applies the effects in one durable transaction. */
  commit(record: RotationRecord, effects: RotationEffect[]): Promise<void>;
  /**
   * Exchanges the active token, or (grant) creates a new one marked with `attemptId` in its notes.
   * Never retried.
   */
  rotate(method: RotationMethod, attemptId: string): Promise<RotateResult>;
  /** A cheap call with the pending token. */
  verifyPending(): Promise<ProbeResult>;
  /** A cheap call with the active (old) token. */
  probeOld(): Promise<ProbeResult>;
  /** Grant: with the active token, finds the tokens marked with `attemptId` and revokes them. */
  findOrphans(method: RotationMethod, attemptId: string): Promise<OrphanResult>;
  /** Grant: with the active (new) token, revokes the old token by id. */
  revokeOld(method: RotationMethod, tokenId: string): Promise<RevokeResult>;
  now(): string;
  newAttemptId(): string;
  /** Test hook: called at each crash point; a test makes it exit the process or throw. */
  checkpoint?(point: CrashPoint): void | Promise<void>;
}

/** What a run should do: one method, and (automatic choice) the exchange to fall back to when the grant is forbidden. */
export interface RotationPlan {
  method: RotationMethod;
  fallback: RotationMethod | null;
}

export interface RunResult {
  outcome: RotationOutcome | 'nothing_to_do';
  /** When an interrupted attempt was found first: how its recovery ended. */
  recovered: RotationOutcome | null;
  /** When the grant was forbidden and the run fell back to the exchange. */
  fellBack: boolean;
  record: RotationRecord;
}

/** Performs one action's I/O and answers the event it ends with. */
async function perform(
  ports: RotationPorts,
  record: RotationRecord,
  action: Exclude<RotationAction, { kind: 'done' }>,
): Promise<RotationEvent> {
  switch (action.kind) {
    case 'continue':
      return { type: action.event, at: ports.now() };
    case 'send_rotate': {
      const result = await ports.rotate(action.method, record.attemptId ?? '');
      const at = ports.now();
      if (result.kind !== 'answered') return { type: result.kind, error: result.error, at };
      await ports.checkpoint?.('answered');
      return {
        type: 'answered',
        token: result.token,
        secret: result.secret,
        clockOffsetMs: result.clockOffsetMs,
        ...(result.old ? { old: result.old } : {}),
        at,
      };
    }
    case 'verify_pending': {
      const result = await ports.verifyPending();
      const at = ports.now();
      if (result.kind === 'ok') await ports.checkpoint?.('verified');
      if (result.kind === 'ok') return { type: 'verified', at };
      return {
        type: result.kind === 'refused' ? 'verify_refused' : 'verify_unreachable',
        error: result.error,
        at,
      };
    }
    case 'probe_old': {
      const result = await ports.probeOld();
      const at = ports.now();
      if (result.kind === 'ok') return { type: 'old_works', at };
      if (result.kind === 'refused') return { type: 'old_refused', at };
      return { type: 'probe_unreachable', error: result.error, at };
    }
    case 'find_orphans': {
      const result = await ports.findOrphans(action.method, record.attemptId ?? '');
      const at = ports.now();
      if (result.kind === 'ok') return { type: 'orphans_revoked', revoked: result.revoked, at };
      if (result.kind === 'refused') return { type: 'old_refused', at };
      return { type: 'orphans_unreachable', error: result.error, at };
    }
    case 'revoke_old': {
      const result = await ports.revokeOld(action.method, action.tokenId);
      const at = ports.now();
      if ('error' in result) return { type: `revoke_${result.kind}`, error: result.error, at };
      await ports.checkpoint?.('revoked');
      return { type: 'revoked', gone: result.kind === 'gone', at };
    }
  }
}

async function drive(
  ports: RotationPorts,
  record: RotationRecord,
  first: RotationEvent,
): Promise<{ outcome: RotationOutcome; record: RotationRecord }> {
  let current = record;
  let event = first;
  for (;;) {
    const step = next(current, event);
    if (step.persist) {
      await ports.commit(step.record, step.effects);
      await ports.checkpoint?.(step.record.phase as CrashPoint);
    }
    current = step.record;
    if (step.action.kind === 'done') return { outcome: step.action.outcome, record: current };
    event = await perform(ports, current, step.action);
  }
}

function startEvent(ports: RotationPorts, method: RotationMethod): RotationEvent {
  return { type: 'start', attemptId: ports.newAttemptId(), method, at: ports.now() };
}

/**
 * One run: first recover an interrupted attempt if the record shows one, then (when `plan` is given
 * and recovery left a safe idle state without having just rotated) start a new rotation; when the
 * grant is forbidden and the plan has a fallback, the same run goes on with the exchange.
 * `plan: null` only recovers.
 */
export async function runRotation(ports: RotationPorts, plan: RotationPlan | null): Promise<RunResult> {
  let record = await ports.load();
  let recovered: RotationOutcome | null = null;
  if (record.phase !== 'idle') {
    const result = await drive(ports, record, { type: 'recover', at: ports.now() });
    recovered = result.outcome;
    record = result.record;
    // Only a clean "nothing happened" lets this run go on to rotate; anything else is the answer.
    if (!CLEAN_OUTCOMES.includes(result.outcome) || plan === null)
      return { outcome: result.outcome, recovered, fellBack: false, record };
  }
  if (plan === null) return { outcome: 'nothing_to_do', recovered, fellBack: false, record };
  const first = await drive(ports, record, startEvent(ports, plan.method));
  if (first.outcome !== 'grant_refused' || plan.fallback === null)
    return { outcome: first.outcome, recovered, fellBack: false, record: first.record };
  const second = await drive(ports, first.record, startEvent(ports, plan.fallback));
  return { outcome: second.outcome, recovered, fellBack: true, record: second.record };
}
