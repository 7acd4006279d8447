import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialRotationRecord, type RotationMethod, type RotationRecord } from '../store/rotation.js';
import {
  CRASH_POINTS,
  type CrashPoint,
  type RotationPlan,
  type RotationPorts,
  runRotation,
} from './driver.js';
import { InvalidTransitionError, next, type RotationEffect } from './machine.js';
import { hasMarker, markedNotes } from './notesMarker.js';

interface ModelToken {
  id: string;
  notes: string;
}

/**
 * The server: the token strings it accepts now (one user, one persona). The exchange deletes the old
 * token and issues a new one; a grant issues a new one beside it (when the persona may create tokens);
 * revoke deletes by id.
 */
class ModelServer {
  tokens = new Map<string, ModelToken>();
  issued = 0;
  exchanges = 0;
  grants = 0;
  canCreate = true;
  constructor(first: string) {
    this.tokens.set(first, { id: 'id0', notes: 'integration' });
  }
  valid(secret: string | undefined): boolean {
    return secret !== undefined && this.tokens.has(secret);
  }
  private issue(notes: string): string {
    const fresh = `token-model${++this.issued}`;
    this.tokens.set(fresh, { id: `id${this.issued}`, notes });
    return fresh;
  }
  exchange(old: string): string | undefined {
    const token = this.tokens.get(old);
    if (!token) return undefined;
    this.tokens.delete(old);
    this.exchanges++;
    return this.issue(token.notes);
  }
  grant(notes: string): string {
    this.grants++;
    return this.issue(notes);
  }
  revokeById(id: string): 'revoked' | 'gone' {
    for (const [secret, token] of this.tokens)
      if (token.id === id) {
        this.tokens.delete(secret);
        return 'revoked';
      }
    return 'gone';
  }
  /** Tokens that work but that nobody can use: not in `held`. */
  unheld(held: readonly (string | undefined)[]): string[] {
    return [...this.tokens.keys()].filter((t) => !held.includes(t));
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
type RevokeFault = 'ok' | 'unreachable' | 'rejected';
type Choice = RotationMethod | 'auto';

interface RunScript {
  kind: 'rotate' | 'recover' | 'replace' | 'revoke' | 'deny_create' | 'allow_create';
  choice: Choice;
  rotate: RotateFault;
  verify: ProbeFault;
  probe: ProbeFault;
  /** Grant: whether the look-up before the grant recognises the current token for sure. */
  certain: boolean;
  orphans: ProbeFault;
  revoke: RevokeFault;
  crashAt: CrashPoint | null;
}

class Crash extends Error {}

const planOf = (choice: Choice): RotationPlan =>
  choice === 'auto' ? { method: 'grant', fallback: 'rest' } : { method: choice, fallback: null };

const isGrantMethod = (method: RotationMethod) => method === 'grant' || method === 'grant-graphql';

interface Log {
  lostExchange: boolean;
  /** Old tokens the record said it could not revoke (`old_not_revoked`): valid until they expire. */
  acknowledged: Set<string>;
}

function rotatePort(server: ModelServer, store: ModelStore, script: RunScript): RotationPorts['rotate'] {
  return async (method, attemptId) => {
    // Never send blindly: only from a clean idle start (the machine's `sent`).
    expect(store.record.phase).toBe('sent');
    const old = store.active ?? '';
    if (script.rotate === 'reject') return { kind: 'rejected', error: 'InvalidRequest' };
    if (script.rotate === 'not_sent') return { kind: 'not_sent', error: 'ECONNREFUSED' };
    if (script.rotate === 'drop_not_committed') return { kind: 'no_answer', error: 'HTTP 503' };
    if (!server.valid(old)) return { kind: 'refused', error: '401' };
    let fresh: string | undefined;
    let oldToken: { id: string | null; expiration: string } | undefined;
    if (isGrantMethod(method)) {
      if (!server.canCreate) return { kind: 'forbidden', error: 'RBACInsufficientPrivilege' };
      const current = server.tokens.get(old) as ModelToken;
      fresh = server.grant(markedNotes(current.notes, attemptId));
      oldToken = { id: script.certain ? current.id : null, expiration: 't+7d' };
    } else fresh = server.exchange(old);
    if (script.rotate === 'drop_committed' || fresh === undefined)
      return { kind: 'no_answer', error: 'UND_ERR_SOCKET' };
    return {
      kind: 'answered',
      token: { id: server.tokens.get(fresh)?.id ?? '?', created: 't', expiration: 't+7d' },
      secret: fresh,
      clockOffsetMs: 0,
      ...(oldToken ? { old: oldToken } : {}),
    };
  };
}

function ports(server: ModelServer, store: ModelStore, script: RunScript): RotationPorts {
  let clock = 0;
  let attempts = 0;
  const probe = async (token: string | undefined, fault: ProbeFault) => {
    if (fault === 'unreachable') return { kind: 'unreachable' as const, error: 'timeout' };
    return server.valid(token) ? { kind: 'ok' as const } : { kind: 'refused' as const, error: '401' };
  };
  return {
    load: async () => store.record,
    commit: async (record, effects) => store.commit(record, effects),
    rotate: rotatePort(server, store, script),
    verifyPending: () => probe(store.pending, script.verify),
    probeOld: () => probe(store.active, script.probe),
    findOrphans: async (_method, attemptId) => {
      expect(store.record.phase).toBe('unknown');
      if (script.orphans === 'unreachable') return { kind: 'unreachable', error: 'timeout' };
      if (!server.valid(store.active)) return { kind: 'refused', error: '401' };
      const marked = [...server.tokens].filter(([, t]) => hasMarker(t.notes, attemptId));
      // The token we hold is never an orphan.
      for (const [secret, token] of marked) {
        expect(secret).not.toBe(store.active);
        server.revokeById(token.id);
      }
      return { kind: 'ok', revoked: marked.map(([, t]) => t.id) };
    },
    revokeOld: async (_method, tokenId) => {
      // Grant-then-revoke never revokes the token it holds, and only once the new one is promoted.
      expect(store.record.phase).toBe('revoking');
      expect(server.tokens.get(store.active ?? '')?.id).not.toBe(tokenId);
      if (script.revoke === 'unreachable') return { kind: 'unreachable', error: 'timeout' };
      if (script.revoke === 'rejected') return { kind: 'rejected', error: '403' };
      if (!server.valid(store.active)) return { kind: 'refused', error: '401' };
      return { kind: server.revokeById(tokenId) };
    },
    now: () => `t${++clock}`,
    newAttemptId: () => `a${++attempts}-${Math.random()}`,
    checkpoint: (point) => {
      if (point === script.crashAt) throw new Crash(point);
    },
  };
}

/** Phases that honestly say "a token may exist that we do not hold". */
const UNCERTAIN = new Set(['lost', 'unknown', 'sent', 'intent_recorded', 'revoking']);

function unheldUnacknowledged(server: ModelServer, store: ModelStore, log: Log): string[] {
  return server.unheld([store.active, store.pending]).filter((t) => !log.acknowledged.has(t));
}

/** After a run: an old token the record says it did not revoke is acknowledged (it expires on its own). */
function acknowledge(server: ModelServer, store: ModelStore, log: Log) {
  if (store.record.lastOutcome !== 'old_not_revoked') return;
  for (const [secret, token] of server.tokens)
    if (token.id === store.record.oldTokenId || (store.record.oldTokenId === null && secret !== store.active))
      log.acknowledged.add(secret);
}

const faults = {
  choice: fc.constantFrom<Choice>('auto', 'auto', 'grant', 'grant-graphql', 'rest', 'graphql'),
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
  certain: fc.constantFrom(true, true, true, false),
  orphans: fc.constantFrom<ProbeFault>('ok', 'ok', 'unreachable'),
  revoke: fc.constantFrom<RevokeFault>('ok', 'ok', 'ok', 'unreachable', 'rejected'),
  crashAt: fc.option(fc.constantFrom(...CRASH_POINTS), { freq: 2 }),
};

const script: fc.Arbitrary<RunScript> = fc.record({
  kind: fc.constantFrom(
    'rotate',
    'rotate',
    'rotate',
    'rotate',
    'recover',
    'replace',
    'revoke',
    'deny_create',
    'allow_create',
  ),
  ...faults,
});

/** Grant-then-revoke only, on a persona that may create tokens, with no admin intervention. */
const grantScript: fc.Arbitrary<RunScript> = fc.record({
  kind: fc.constantFrom('rotate', 'rotate', 'rotate', 'recover'),
  ...faults,
  choice: fc.constantFrom<Choice>('auto', 'grant', 'grant-graphql'),
});

const CALM: RunScript = {
  kind: 'recover',
  choice: 'auto',
  rotate: 'ok',
  verify: 'ok',
  probe: 'ok',
  certain: true,
  orphans: 'ok',
  revoke: 'ok',
  crashAt: null,
};

async function runOnce(server: ModelServer, store: ModelStore, run: RunScript): Promise<void> {
  try {
    await runRotation(ports(server, store, run), run.kind === 'rotate' ? planOf(run.choice) : null);
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

/** The admin's interventions: a console token and `token replace`, revoking everything, the permission. */
function intervene(
  server: ModelServer,
  store: ModelStore,
  run: RunScript,
  log: Log,
  replaced: number,
): boolean {
  if (run.kind === 'replace') {
    const fresh = `token-console${replaced}`;
    server.tokens = new Map([[fresh, { id: `console${replaced}`, notes: '' }]]);
    store.active = fresh;
    const step = next(store.record, { type: 'token_replaced', at: 'tr' });
    store.commit(step.record, step.effects);
    log.lostExchange = false;
    log.acknowledged.clear();
    return true;
  }
  if (run.kind === 'revoke') {
    server.tokens.clear();
    log.acknowledged.clear();
    return true;
  }
  if (run.kind === 'deny_create' || run.kind === 'allow_create') {
    server.canCreate = run.kind === 'allow_create';
    return true;
  }
  return false;
}

describe('rotation state machine (property)', () => {
  it('never ends with a working token on the server that the store does not hold, unless it says so', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(script, { minLength: 1, maxLength: 25 }), async (runs) => {
        const server = new ModelServer('token-model0');
        const store = new ModelStore('token-model0');
        const log: Log = { lostExchange: false, acknowledged: new Set() };
        let replaced = 0;
        for (const run of runs) {
          if (intervene(server, store, run, log, ++replaced)) continue;
          const before = { exchanges: server.exchanges, grants: server.grants };
          const wasBlocked = store.record.phase === 'lost' || store.record.phase === 'refused';
          await runOnce(server, store, run);
          // Blocked phases never exchange or grant again until `token replace`.
          if (wasBlocked) expect({ exchanges: server.exchanges, grants: server.grants }).toEqual(before);
          if (store.record.phase === 'lost') log.lostExchange = true;
          acknowledge(server, store, log);
          if (unheldUnacknowledged(server, store, log).length > 0)
            expect(UNCERTAIN.has(store.record.phase)).toBe(true);
        }
        // A healing run with no faults and no crash settles every phase.
        await runOnce(server, store, CALM);
        acknowledge(server, store, log);
        const phase = store.record.phase;
        expect(['idle', 'lost', 'refused']).toContain(phase);
        if (phase === 'idle') {
          expect(unheldUnacknowledged(server, store, log)).toEqual([]);
          expect(store.pending).toBeUndefined();
        }
        // Truthful: a lost or refused stored token really no longer works.
        if (phase === 'lost' || phase === 'refused') expect(server.valid(store.active)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('grant-then-revoke: some stored token always works, in every sequence of faults and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(grantScript, { minLength: 1, maxLength: 25 }), async (runs) => {
        const server = new ModelServer('token-model0');
        const store = new ModelStore('token-model0');
        const log: Log = { lostExchange: false, acknowledged: new Set() };
        for (const run of runs) {
          await runOnce(server, store, run);
          acknowledge(server, store, log);
          // The invariant: the active token, or the pending one, works, so the integration is never locked out.
          expect(server.valid(store.active) || server.valid(store.pending)).toBe(true);
          expect(['lost', 'refused']).not.toContain(store.record.phase);
          expect(server.exchanges).toBe(0);
        }
        await runOnce(server, store, CALM);
        acknowledge(server, store, log);
        expect(store.record.phase).toBe('idle');
        expect(server.valid(store.active)).toBe(true);
        // Orphans and old tokens revoked: the only tokens left are the active one and those the record
        // said it could not revoke.
        expect(unheldUnacknowledged(server, store, log)).toEqual([]);
        if (log.acknowledged.size === 0) expect(server.tokens.size).toBe(1);
      }),
      { numRuns: 400 },
    );
  });

  it('falls back to the exchange in the same run when the persona may not create tokens', async () => {
    const server = new ModelServer('token-model0');
    server.canCreate = false;
    const store = new ModelStore('token-model0');
    const result = await runRotation(ports(server, store, { ...CALM, kind: 'rotate' }), planOf('auto'));
    expect(result).toMatchObject({ outcome: 'rotated', fellBack: true });
    expect(store.record).toMatchObject({ method: 'rest', grantCapability: 'refused', phase: 'idle' });
    expect([...store.audit.values()]).toEqual(['grant_refused', 'rotated']);
    expect({ grants: server.grants, exchanges: server.exchanges }).toEqual({ grants: 0, exchanges: 1 });
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

  it('grant: a lost answer searches for orphans, never probes; a verified token is promoted before the old one is revoked', () => {
    const sent = {
      ...base,
      phase: 'sent' as const,
      attemptId: 'a',
      method: 'grant' as const,
      oldTokenId: '5',
    };
    expect(next(sent, { type: 'no_answer', error: 'x', at: 't' }).action).toEqual({
      kind: 'find_orphans',
      method: 'grant',
    });
    const verifying = { ...sent, phase: 'verifying' as const, newTokenId: '6' };
    const promoted = next(verifying, { type: 'verified', at: 't' });
    expect(promoted.record).toMatchObject({ phase: 'revoking', tokenId: '6', oldTokenId: '5' });
    expect(promoted.effects[0]).toEqual({ kind: 'promote_pending' });
    expect(promoted.action).toEqual({ kind: 'revoke_old', method: 'grant', tokenId: '5' });
    const pending = next(promoted.record, { type: 'revoke_unreachable', error: 'timeout', at: 't' });
    expect(pending.record.phase).toBe('revoking');
    expect(pending.action).toEqual({ kind: 'done', outcome: 'revoke_pending' });
    const kept = next(promoted.record, { type: 'revoke_rejected', error: '403', at: 't' });
    expect(kept.record).toMatchObject({ phase: 'idle', lastOutcome: 'old_not_revoked' });
    expect(kept.record.lastError).toContain('stays valid until it expires');
    const forbidden = next(sent, { type: 'forbidden', error: '403', at: 't9' });
    expect(forbidden.record).toMatchObject({
      phase: 'idle',
      grantCapability: 'refused',
      grantCheckedAt: 't9',
    });
    expect(forbidden.action).toEqual({ kind: 'done', outcome: 'grant_refused' });
  });
});
