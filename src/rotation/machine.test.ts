import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialRotationRecord, type RotationMethod, type RotationRecord } from '../store/rotation.js';
import { CRASH_POINTS, type CrashPoint, type RotationPorts, runRotation } from './driver.js';
import { InvalidTransitionError, next, type RotationEffect } from './machine.js';

/** The server: which token strings it accepts now. Rotation deletes the old one and issues a new one. */
class ModelServer {
  valid = new Set<string>();
  issued = 0;
  exchanges = 0;
  constructor(first: string) {
    this.valid.add(first);
  }
  exchange(old: string): string | undefined {
    if (!this.valid.has(old)) return undefined;
    this.valid.delete(old);
    this.exchanges++;
    const fresh = `token-model${++this.issued}`;
    this.valid.add(fresh);
    return fresh;
  }
}

/** The store: the two secret slots and the rotation record; commits are atomic (all or nothing). */
class ModelStore {
  active: string | undefined;
  pending: string | undefined;
  record: RotationRecord = initialRotationRecord('t0');
  audit = new Map<string, string>();
  constructor(first: string) {
    this.active = first;
  }
  commit(record: RotationRecord, effects: RotationEffect[]) {
    let { active, pending } = this;
    for (const effect of effects) {
      if (effect.kind === 'store_pending') pending = effect.secret;
      if (effect.kind === 'promote_pending') {
        if (pending === undefined) throw new Error('promote without pending');
        active = pending;
        pending = undefined;
      }
      if (effect.kind === 'discard_pending') pending = undefined;
      if (effect.kind === 'audit') this.audit.set(effect.entry.attemptId, effect.entry.outcome);
    }
    this.active = active;
    this.pending = pending;
    this.record = record;
  }
}

type RotateFault = 'ok' | 'reject' | 'drop_committed' | 'drop_not_committed' | 'not_sent';
type ProbeFault = 'ok' | 'unreachable';

interface RunScript {
  kind: 'rotate' | 'recover' | 'replace' | 'revoke';
  method: RotationMethod;
  rotate: RotateFault;
  verify: ProbeFault;
  probe: ProbeFault;
  crashAt: CrashPoint | null;
}

class Crash extends Error {}

function ports(
  server: ModelServer,
  store: ModelStore,
  script: RunScript,
  log: { lostExchange: boolean },
): RotationPorts {
  let clock = 0;
  let attempts = 0;
  return {
    load: async () => store.record,
    commit: async (record, effects) => store.commit(record, effects),
    rotate: async () => {
      // Never exchange blindly: only from a clean idle start (the machine's `sent`).
      expect(store.record.phase).toBe('sent');
      if (store.record.phase === 'sent' && log.lostExchange) throw new Error('exchanged while lost');
      const old = store.active ?? '';
      switch (script.rotate) {
        case 'reject':
          return { kind: 'rejected', error: 'InvalidRequest' };
        case 'not_sent':
          return { kind: 'not_sent', error: 'ECONNREFUSED' };
        case 'drop_not_committed':
          return { kind: 'no_answer', error: 'HTTP 503' };
        case 'drop_committed':
          server.exchange(old);
          return { kind: 'no_answer', error: 'UND_ERR_SOCKET' };
        case 'ok': {
          const fresh = server.exchange(old);
          if (fresh === undefined) return { kind: 'refused', error: '401' };
          return {
            kind: 'answered',
            token: { id: fresh, created: 't', expiration: 't+7d' },
            secret: fresh,
            clockOffsetMs: 0,
          };
        }
      }
    },
    verifyPending: async () => {
      if (script.verify === 'unreachable') return { kind: 'unreachable', error: 'timeout' };
      return store.pending !== undefined && server.valid.has(store.pending)
        ? { kind: 'ok' }
        : { kind: 'refused', error: '401' };
    },
    probeOld: async () => {
      if (script.probe === 'unreachable') return { kind: 'unreachable', error: 'timeout' };
      return store.active !== undefined && server.valid.has(store.active)
        ? { kind: 'ok' }
        : { kind: 'refused', error: '401' };
    },
    now: () => `t${++clock}`,
    newAttemptId: () => `a${++attempts}-${Math.random()}`,
    checkpoint: (point) => {
      if (point === script.crashAt) throw new Crash(point);
    },
  };
}

/** Phases that honestly say "a token may exist that we do not hold". */
const UNCERTAIN = new Set(['lost', 'unknown', 'sent', 'intent_recorded']);

function assertInvariant(server: ModelServer, store: ModelStore) {
  const held = new Set([store.active, store.pending].filter((t): t is string => t !== undefined));
  const unheld = [...server.valid].filter((t) => !held.has(t));
  if (unheld.length > 0) expect(UNCERTAIN.has(store.record.phase)).toBe(true);
}

const script: fc.Arbitrary<RunScript> = fc.record({
  kind: fc.constantFrom('rotate', 'rotate', 'rotate', 'recover', 'replace', 'revoke'),
  method: fc.constantFrom<RotationMethod>('rest', 'graphql'),
  rotate: fc.constantFrom<RotateFault>(
    'ok',
    'ok',
    'reject',
    'drop_committed',
    'drop_not_committed',
    'not_sent',
  ),
  verify: fc.constantFrom<ProbeFault>('ok', 'ok', 'unreachable'),
  probe: fc.constantFrom<ProbeFault>('ok', 'ok', 'unreachable'),
  crashAt: fc.option(fc.constantFrom(...CRASH_POINTS), { freq: 2 }),
});

describe('rotation state machine (property)', () => {
  it('never ends with a working token on the server that the store does not hold, unless it says so', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(script, { minLength: 1, maxLength: 25 }), async (runs) => {
        const server = new ModelServer('token-model0');
        const store = new ModelStore('token-model0');
        const log = { lostExchange: false };
        let replaced = 0;
        for (const run of runs) {
          if (run.kind === 'replace') {
            // The admin creates a new token in the console (and revokes the old ones), then `token replace`.
            const fresh = `token-console${++replaced}`;
            server.valid = new Set([fresh]);
            store.active = fresh;
            const step = next(store.record, { type: 'token_replaced', at: 'tr' });
            store.commit(step.record, step.effects);
            log.lostExchange = false;
            continue;
          }
          if (run.kind === 'revoke') {
            server.valid.clear();
            continue;
          }
          const exchangesBefore = server.exchanges;
          const wasBlocked = store.record.phase === 'lost' || store.record.phase === 'refused';
          try {
            await runRotation(ports(server, store, run, log), run.kind === 'rotate' ? run.method : null);
          } catch (error) {
            if (!(error instanceof Crash)) throw error;
          }
          // Blocked phases never exchange again until `token replace`.
          if (wasBlocked) expect(server.exchanges).toBe(exchangesBefore);
          if (store.record.phase === 'lost') log.lostExchange = true;
          assertInvariant(server, store);
        }
        // A healing run with no faults and no crash settles every phase.
        const calm: RunScript = {
          kind: 'recover',
          method: 'rest',
          rotate: 'ok',
          verify: 'ok',
          probe: 'ok',
          crashAt: null,
        };
        await runRotation(ports(server, store, calm, log), null);
        const phase = store.record.phase;
        expect(['idle', 'lost', 'refused']).toContain(phase);
        const held = [store.active, store.pending].filter((t): t is string => t !== undefined);
        const unheld = [...server.valid].filter((t) => !held.includes(t));
        if (phase === 'idle') {
          expect(unheld).toEqual([]);
          expect(store.pending).toBeUndefined();
        }
        if (phase === 'lost') {
          // Truthful: the stored token really no longer works.
          expect(store.active !== undefined && server.valid.has(store.active)).toBe(false);
        }
        if (phase === 'refused')
          expect(store.active !== undefined && server.valid.has(store.active)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});

describe('rotation state machine (transitions)', () => {
  const base = initialRotationRecord('t0');
  it('records the intent before sending, and commits the new token with `received`', () => {
    const start = next(base, { type: 'start', attemptId: 'a', method: 'rest', at: 't1' });
    expect(start.record.phase).toBe('intent_recorded');
    expect(start.action).toEqual({ kind: 'continue', event: 'sending' });
    const sent = next(start.record, { type: 'sending', at: 't2' });
    expect(sent.action).toEqual({ kind: 'send_rotate', method: 'rest' });
    const got = next(sent.record, {
      type: 'answered',
      token: { id: '7', created: 'c', expiration: 'e' },
      secret: 'token-new',
      clockOffsetMs: 5,
      at: 't3',
    });
    expect(got.record.phase).toBe('received');
    expect(got.effects[0]).toEqual({ kind: 'store_pending', secret: 'token-new' });
    expect(JSON.stringify(got.record)).not.toContain('token-new');
  });

  it('treats no answer as unknown and probes; lost and refused never start again', () => {
    const sent = { ...base, phase: 'sent' as const, attemptId: 'a', method: 'rest' as const };
    expect(next(sent, { type: 'no_answer', error: 'x', at: 't' }).action).toEqual({ kind: 'probe_old' });
    const lost = next({ ...sent, phase: 'unknown' }, { type: 'old_refused', at: 't' });
    expect(lost.record.phase).toBe('lost');
    const again = next(lost.record, { type: 'start', attemptId: 'b', method: 'rest', at: 't' });
    expect(again.action).toEqual({ kind: 'done', outcome: 'blocked' });
    expect(again.persist).toBe(false);
    expect(next(lost.record, { type: 'token_replaced', at: 't' }).record.phase).toBe('idle');
    expect(() => next(base, { type: 'verified', at: 't' })).toThrow(InvalidTransitionError);
  });
});
