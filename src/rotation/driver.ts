/**
 * Runs the state machine against ports (the store and Tanium). Every transition is committed before
 * the next I/O, so a process killed at any point leaves a phase the next run recovers from. The
 * ports are interfaces: the CLI uses the SQLite store and the SDK (service.ts); the property test
 * uses an in-memory store and a model server.
 */
import type { RotationMethod, RotationRecord } from '../store/rotation.js';
import {
  type IssuedToken,
  next,
  type RotationEffect,
  type RotationEvent,
  type RotationOutcome,
} from './machine.js';

export type RotateResult =
  | { kind: 'answered'; token: IssuedToken; secret: string; clockOffsetMs: number | null }
  | { kind: 'rejected' | 'refused' | 'no_answer' | 'not_sent'; error: string };

export type ProbeResult = { kind: 'ok' } | { kind: 'refused' | 'unreachable'; error: string };

/**
 * Where a test can make the process die: after a phase was committed (its name), or `answered` (the
 * new token is in memory, not yet committed) and `verified` (verified, not yet promoted).
 */
export const CRASH_POINTS = [
  'intent_recorded',
  'sent',
  'answered',
  'received',
  'verifying',
  'verified',
  'unknown',
  'idle',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface RotationPorts {
  load(): Promise<RotationRecord>;
  /** Persists the record and applies the effects in one durable transaction. */
  commit(record: RotationRecord, effects: RotationEffect[]): Promise<void>;
  /** Exchanges the active token. Never retried. */
  rotate(method: RotationMethod): Promise<RotateResult>;
  /** A cheap call with the pending token. */
  verifyPending(): Promise<ProbeResult>;
  /** A cheap call with the active (old) token. */
  probeOld(): Promise<ProbeResult>;
  now(): string;
  newAttemptId(): string;
  /** Test hook: called at each crash point; a test makes it exit the process or throw. */
  checkpoint?(point: CrashPoint): void | Promise<void>;
}

export interface RunResult {
  outcome: RotationOutcome | 'nothing_to_do';
  /** When an interrupted attempt was found first: how its recovery ended. */
  recovered: RotationOutcome | null;
  record: RotationRecord;
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
    const action = step.action;
    switch (action.kind) {
      case 'done':
        return { outcome: action.outcome, record: current };
      case 'continue':
        event = { type: action.event, at: ports.now() };
        break;
      case 'send_rotate': {
        const result = await ports.rotate(action.method);
        const at = ports.now();
        if (result.kind === 'answered') {
          await ports.checkpoint?.('answered');
          event = {
            type: 'answered',
            token: result.token,
            secret: result.secret,
            clockOffsetMs: result.clockOffsetMs,
            at,
          };
        } else {
          event = { type: result.kind, error: result.error, at };
        }
        break;
      }
      case 'verify_pending': {
        const result = await ports.verifyPending();
        const at = ports.now();
        if (result.kind === 'ok') await ports.checkpoint?.('verified');
        event =
          result.kind === 'ok'
            ? { type: 'verified', at }
            : result.kind === 'refused'
              ? { type: 'verify_refused', error: result.error, at }
              : { type: 'verify_unreachable', error: result.error, at };
        break;
      }
      case 'probe_old': {
        const result = await ports.probeOld();
        const at = ports.now();
        event =
          result.kind === 'ok'
            ? { type: 'old_works', at }
            : result.kind === 'refused'
              ? { type: 'old_refused', at }
              : { type: 'probe_unreachable', error: result.error, at };
        break;
      }
    }
  }
}

/**
 * One run: first recover an interrupted attempt if the record shows one, then (when `method` is
 * given and recovery left a safe idle state without having just rotated) start a new rotation.
 * `method: null` only recovers.
 */
export async function runRotation(ports: RotationPorts, method: RotationMethod | null): Promise<RunResult> {
  let record = await ports.load();
  let recovered: RotationOutcome | null = null;
  if (record.phase !== 'idle') {
    const result = await drive(ports, record, { type: 'recover', at: ports.now() });
    recovered = result.outcome;
    record = result.record;
    // Only a clean "nothing happened" lets this run go on to rotate; anything else is the answer.
    if (result.outcome !== 'not_exchanged' || method === null)
      return { outcome: result.outcome, recovered, record };
  }
  if (method === null) return { outcome: 'nothing_to_do', recovered, record };
  const result = await drive(ports, record, {
    type: 'start',
    attemptId: ports.newAttemptId(),
    method,
    at: ports.now(),
  });
  return { outcome: result.outcome, recovered, record: result.record };
}
