import { afterEach, describe, expect, it } from 'vitest';
import { newJob } from '../../src/store/jobs.js';
import type { RequestAuditEntry } from '../../src/store/requestAudit.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from './dialects.js';

/** The service's tables (API keys, web sign-in, request audit, jobs), through the repositories. */

const NOW = '2030-01-01T00:00:00.000Z';
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

async function fresh(dialect: (typeof DIALECTS)[number]): Promise<Store> {
  const store = await dialect.open();
  open.push(store);
  return store;
}

const request = (
  connection: string,
  over: Partial<RequestAuditEntry> = {},
): Omit<RequestAuditEntry, 'id'> => ({
  at: NOW,
  actor: 'cli',
  connection,
  module: 'platform',
  method: 'GET',
  path: '/api/v2/session/current?x=1',
  status: 200,
  durationMs: 12,
  requestBytes: 0,
  requestSha256: null,
  responseBytes: 345,
  outcome: 'ok',
  error: null,
  ...over,
});

describe.each(DIALECTS)('service tables ($name)', (dialect) => {
  it('API keys: created once per name, listed oldest first, revoked once, used at most once a minute', async () => {
    const store = await fresh(dialect);
    const key = {
      id: 'tbk_a',
      name: 'siem',
      role: 'viewer' as const,
      secretHash: 'ab'.repeat(32),
      createdAt: NOW,
    };
    expect(await store.apiKeys.create(key)).toBe(true);
    expect(await store.apiKeys.create({ ...key, id: 'tbk_b' })).toBe(false);
    expect(
      await store.apiKeys.create({
        ...key,
        id: 'tbk_c',
        name: 'ops',
        role: 'admin',
        createdAt: '2030-01-02T00:00:00.000Z',
      }),
    ).toBe(true);
    expect(await store.apiKeys.byId('tbk_a')).toEqual({ ...key, lastUsedAt: null, revokedAt: null });
    expect(await store.apiKeys.byId('tbk_b')).toBeUndefined();
    expect((await store.apiKeys.list()).map((k) => k.name)).toEqual(['siem', 'ops']);

    await store.apiKeys.touch('tbk_a', '2030-01-01T00:00:10.000Z');
    await store.apiKeys.touch('tbk_a', '2030-01-01T00:00:50.000Z');
    expect((await store.apiKeys.byId('tbk_a'))?.lastUsedAt).toBe('2030-01-01T00:00:10.000Z');
    await store.apiKeys.touch('tbk_a', '2030-01-01T00:01:11.000Z');
    expect((await store.apiKeys.byId('tbk_a'))?.lastUsedAt).toBe('2030-01-01T00:01:11.000Z');

    expect(await store.apiKeys.revoke('siem', NOW)).toBe(true);
    expect(await store.apiKeys.revoke('siem', NOW)).toBe(false);
    expect(await store.apiKeys.revoke('nobody', NOW)).toBe(false);
    expect((await store.apiKeys.byId('tbk_a'))?.revokedAt).toBe(NOW);
  });

  it('web sign-in: one password; setting it ends every session; sessions expire and are pruned', async () => {
    const store = await fresh(dialect);
    expect(await store.webAuth.passwordHash()).toBeUndefined();
    await store.webAuth.setPasswordHash('scrypt$1', NOW);
    await store.webAuth.createSession('s1', NOW, 2_000);
    await store.webAuth.createSession('s2', NOW, 5_000);
    expect(await store.webAuth.session('s1', 1_999)).toEqual({ expiresAtMs: 2_000 });
    expect(await store.webAuth.session('s1', 2_000)).toBeUndefined();
    expect(await store.webAuth.pruneSessions(3_000)).toBe(1);
    expect(await store.webAuth.session('s2', 3_000)).toEqual({ expiresAtMs: 5_000 });
    await store.webAuth.deleteSession('s2');
    expect(await store.webAuth.session('s2', 3_000)).toBeUndefined();

    await store.webAuth.createSession('s3', NOW, 9_000);
    await store.webAuth.setPasswordHash('scrypt$2', NOW);
    expect(await store.webAuth.passwordHash()).toBe('scrypt$2');
    expect(await store.webAuth.session('s3', 3_000)).toBeUndefined();
  });

  it('request audit: ids ascend, newest first, by connection, paged by id; survives its connection', async () => {
    const store = await fresh(dialect);
    const ids: number[] = [];
    for (const connection of ['a', 'b', 'a', 'a'])
      ids.push(await store.requestAudit.append(request(connection, { path: `/p/${ids.length}` })));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(4);
    const failed = await store.requestAudit.append(
      request('a', {
        status: null,
        responseBytes: null,
        outcome: 'error',
        error: 'timed out',
        durationMs: 30_000,
      }),
    );
    const all = await store.requestAudit.list({ limit: 10 });
    expect(all.map((entry) => entry.id)).toEqual([failed, ...ids.reverse()]);
    expect(all[0]).toEqual({
      ...request('a', {
        status: null,
        responseBytes: null,
        outcome: 'error',
        error: 'timed out',
        durationMs: 30_000,
      }),
      id: failed,
    });
    const page = await store.requestAudit.list({ connection: 'a', beforeId: failed, limit: 2 });
    expect(page.map((entry) => entry.path)).toEqual(['/p/3', '/p/2']);
    expect((await store.requestAudit.list({ connection: 'b', limit: 10 })).map((e) => e.path)).toEqual([
      '/p/1',
    ]);
  });

  it('jobs: one row per connection and kind, overwritten, removed with the connection', async () => {
    const store = await fresh(dialect);
    await store.connections.upsert({ name: 'a', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
    expect(await store.jobs.get('a', 'sync')).toBeUndefined();
    const job = { ...newJob('a', 'sync'), everyMs: 900_000, nextRunAt: 1_893_456_000_000 };
    await store.jobs.put(job);
    await store.jobs.put({
      ...newJob('a', 'rotate'),
      failures: 2,
      lastOutcome: 'failed',
      lastError: 'Tanium answered 503',
    });
    await store.jobs.put({ ...job, lastStartedAt: NOW, lastFinishedAt: NOW, lastOutcome: 'ok' });
    expect(await store.jobs.get('a', 'sync')).toEqual({
      ...job,
      lastStartedAt: NOW,
      lastFinishedAt: NOW,
      lastOutcome: 'ok',
    });
    expect((await store.jobs.list()).map((j) => [j.job, j.failures])).toEqual([
      ['rotate', 2],
      ['sync', 0],
    ]);
    await expect(store.jobs.put(newJob('ghost', 'sync'))).rejects.toThrow(/foreign key/i);
    await store.connections.remove('a');
    expect(await store.jobs.list()).toEqual([]);
  });
});
