import { afterEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/store/leases.js';
import type { Store } from '../../src/store/store.js';
import type { PageWrite } from '../../src/store/sync.js';
import { complianceRecord } from '../helpers/complianceRecord.js';
import { DIALECTS } from './dialects.js';

/** What `fn` rejects with; fails when it resolves. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  return fn().then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const NOW = '2026-11-23T12:00:00Z';
const KEY = 'sync:default';

/** One compliance finding per endpoint (the smallest stream scoped by endpoint). */
function page(
  runId: number,
  generation: number,
  endpoints: string[],
  extra: Partial<PageWrite> = {},
): PageWrite {
  const rows = endpoints.map((e) => complianceRecord(e, 'check'));
  return {
    connection: 'default',
    runId,
    generation,
    streams: [
      {
        name: 'compliance',
        batch: {
          rows,
          replaced: endpoints.map((e) => ({ scope: [e], status: 'answered' as const, at: NOW })),
          kept: [],
          unknown: 0,
          quarantined: [],
        },
      },
    ],
    quarantined: [],
    cursor: 'next',
    resumeKey: endpoints.at(-1) ?? null,
    passMaxSeen: NOW,
    pageSize: 100,
    pages: 1,
    ...extra,
  };
}

async function pass(store: Store, owner: string) {
  const runId = await store.sync.startRun('default', 'full', ['compliance'], NOW, owner);
  const generation = await store.sync.beginPass(
    'default',
    ['compliance'],
    { mode: 'full', since: null, runId, pageSize: 100 },
    NOW,
  );
  return { runId, generation };
}

/** The endpoints with a stored compliance finding, through the store's row reader. */
async function stored(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of store.sync.rows('default', 'compliance')) ids.push(row['endpoint_id'] as string);
  return ids;
}

describe.each(DIALECTS)('sync store under the lease ($name)', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  it('a page whose lease is no longer the writer’s writes nothing and throws LeaseLostError', async () => {
    const store = await dialect.open();
    open.push(store);
    const a = await pass(store, 'a');
    await store.leases.acquire(KEY, 'a', 60_000, 0);
    const claim = (owner: string) => ({ key: KEY, owner, ttlMs: 60_000, nowMs: 1_000 });
    const before = (await store.leases.get(KEY))!.expiresAt;
    await store.sync.writePage(page(a.runId, a.generation, ['e1'], { lease: claim('a') }), NOW);
    // The page renewed the lease (PostgreSQL on its own clock, SQLite from the claim's nowMs).
    expect((await store.leases.get(KEY))!.expiresAt).toBeGreaterThan(before);
    // b takes the lease over (released here, as an expiry frees it, the same on either clock).
    expect(await store.leases.release(KEY, 'a')).toBe(true);
    expect(await store.leases.acquire(KEY, 'b', 60_000, 70_000)).toBe(true);
    const error = await thrown(() =>
      store.sync.writePage(page(a.runId, a.generation, ['e2'], { lease: claim('a'), pages: 2 }), NOW),
    );
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(await stored(store)).toEqual(['e1']);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({ pages: 1, resumeKey: 'e1' });
    const sweep = await thrown(() =>
      store.sync.completePass(
        'default',
        ['compliance'],
        { mode: 'full', generation: a.generation, passMaxSeen: NOW, lease: claim('a') },
        NOW,
      ),
    );
    expect(sweep).toBeInstanceOf(LeaseLostError);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({ status: 'running' });
    // Nor can a writer whose lease is gone restart the pass (a lost cursor): the holder's generation stays.
    const restart = await thrown(() =>
      store.sync.beginPass(
        'default',
        ['compliance'],
        { mode: 'full', since: null, runId: a.runId, pageSize: 100, lease: claim('a') },
        NOW,
      ),
    );
    expect(restart).toBeInstanceOf(LeaseLostError);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({
      generation: a.generation,
      pages: 1,
    });
    expect(await store.leases.renew(KEY, 'a', 60_000, 80_000)).toBe(false);
    expect(await store.leases.renew(KEY, 'b', 60_000, 80_000)).toBe(true);
  });

  it('a sweep removes only rows of older passes, never rows a later pass saw (even rewritten by the older one)', async () => {
    const store = await dialect.open();
    open.push(store);
    const first = await pass(store, 'a');
    await store.sync.writePage(page(first.runId, first.generation, ['e1', 'e2', 'e3']), NOW);
    const second = await pass(store, 'b');
    await store.sync.writePage(page(second.runId, second.generation, ['e1', 'e2']), NOW);
    // A stale writer of the first pass (its page was in flight) writes e1 again: e1 stays marked as
    // seen by the second pass, so the second pass's sweep below keeps it.
    await store.sync.writePage(page(first.runId, first.generation, ['e1']), NOW);
    expect(await stored(store)).toEqual(['e1', 'e2', 'e3']);
    // The older pass's sweep cannot touch rows the later pass saw.
    await store.sync.completePass(
      'default',
      ['compliance'],
      { mode: 'full', generation: first.generation, passMaxSeen: NOW },
      NOW,
    );
    expect(await stored(store)).toEqual(['e1', 'e2', 'e3']);
    const removed = await store.sync.completePass(
      'default',
      ['compliance'],
      { mode: 'full', generation: second.generation, passMaxSeen: NOW },
      NOW,
    );
    expect(removed).toEqual({ compliance: 1 });
    expect(await stored(store)).toEqual(['e1', 'e2']);
  });

  it('runs left running are marked interrupted, and a finished run keeps that mark', async () => {
    const store = await dialect.open();
    open.push(store);
    const dead = await store.sync.startRun('default', 'full', ['assets'], NOW, 'h:1:a');
    const other = await store.sync.startRun('other', 'full', ['assets'], NOW, 'h:2:b');
    expect(await store.sync.runningRun('default')).toMatchObject({ id: dead, owner: 'h:1:a', pages: 0 });
    expect(await store.sync.interruptRuns('default', 'the process stopped', NOW)).toEqual([dead]);
    // The dead run's process, had it survived, cannot turn its run back into failed or complete.
    await store.sync.finishRun(dead, 'failed', {}, 'late', NOW);
    const [run] = await store.sync.runs('default', 1);
    expect(run).toMatchObject({ id: dead, status: 'interrupted', error: 'the process stopped' });
    expect((await store.sync.runs('other', 1))[0]).toMatchObject({ id: other, status: 'running' });
    expect(await store.sync.runningRun('default')).toBeUndefined();
    // A run is read by id within its own connection only.
    expect(await store.sync.runById('default', dead)).toMatchObject({ id: dead, status: 'interrupted' });
    expect(await store.sync.runById('other', dead)).toBeUndefined();
  });
});
