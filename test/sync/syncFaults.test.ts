import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError } from '../../src/sdk/index.js';
import type { SyncEvent } from '../../src/sync/events.js';
import { dialectHomes } from '../helpers/dialectHomes.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli, tempHome } from '../helpers/runCli.js';
import {
  counts,
  digest,
  freezeClock,
  type SyncTarget,
  syncTarget,
  timeLimit,
  truth,
} from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const ENDPOINTS = 300;
const GATEWAY = '/plugin/products/gateway/graphql';
/** Thirty pages: enough requests for a fault rate of 5% to fire (the draws follow the seed). */
const PAGE = { min: 10, max: 10 };
/** One collection: these tests count its pages (partitioned passes: parallelCursors.test.ts). */
const ONE = { pageSize: PAGE, parallel: 1 };

interface Stats {
  faults: { total: number; byKind: Record<string, number> };
}

let h: Harness;
let clean: Record<string, string>;

beforeAll(async () => {
  // Complete answers: the store is compared with the fleet's whole truth (gaps: realism.test.ts).
  h = await startHarness({ endpoints: ENDPOINTS, seed: 8, realism: 0 });
  freezeClock(h.emulator);
  const t = await syncTarget(h.emulator);
  try {
    await t.sync({ pageSize: PAGE });
    clean = await digest(t.store);
  } finally {
    await t.close();
  }
}, 120_000);
afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

async function install(rules: unknown[]) {
  const reply = await h.call('POST', '/__emulator/faults', { token: null, body: { rules } });
  expect(reply.status, reply.text).toBe(200);
  await h.call('DELETE', '/__emulator/stats', { token: null });
}

const faultStats = async () => (await h.call<Stats>('GET', '/__emulator/stats', { token: null })).json.faults;

async function expectTruth(t: SyncTarget) {
  const now = await truth(h.url);
  expect(await counts(t.store)).toEqual({
    endpoints: now.endpoints,
    cveFindings: now.cveFindings,
    complianceFindings: now.complianceFindings,
  });
  expect(await digest(t.store)).toEqual(clean);
  const runs = await t.store.sync.runs('default', 10);
  expect(runs.map((r) => r.status)).toEqual(['complete']);
}

// The undisturbed digest comes from SQLite: each dialect's disturbed sync must give the same records.
describe.each(DIALECTS)('a sync against a Gateway that misbehaves ($name)', (dialect) => {
  it.each([0.05, 0.2])(
    'cursors expiring on %s of pages: one run, continued after the last committed id, equal to the truth',
    async (rate) => {
      await install([{ path: GATEWAY, fault: 'expire-cursor', rate }]);
      const t = await syncTarget(h.emulator, h.url, dialect);
      try {
        const events: SyncEvent[] = [];
        const summary = await t.sync({ ...ONE, onEvent: (e) => events.push(e) });
        const resumes = events.filter((e) => e.event === 'resume');
        expect((await faultStats()).byKind['expire-cursor']).toBe(resumes.length);
        expect(summary.resumes).toBe(resumes.length);
        expect(summary.resumes).toBeGreaterThan(0);
        expect(summary.restarts).toBe(0);
        // Progress is never thrown away: every endpoint is read once.
        expect(summary.endpoints).toBe(ENDPOINTS);
        expect(summary.pages).toBe(ENDPOINTS / PAGE.max);
        await expectTruth(t);
      } finally {
        await t.close();
      }
    },
    timeLimit(dialect, 120_000),
  );

  it(
    'Gateway errors[] ("Internal server error", HTTP 200) on 5% of requests: one run, equal to the truth',
    async () => {
      await install([{ path: GATEWAY, fault: 'graphql-error', rate: 0.05 }]);
      const t = await syncTarget(h.emulator, h.url, dialect);
      try {
        const summary = await t.sync(ONE);
        expect((await faultStats()).byKind['graphql-error']).toBeGreaterThan(0);
        expect(summary.pages).toBe(ENDPOINTS / PAGE.max);
        await expectTruth(t);
      } finally {
        await t.close();
      }
    },
    timeLimit(dialect, 120_000),
  );

  it(
    'a Gateway error that is not transient fails the run with its message, asked once',
    async () => {
      await install([{ path: GATEWAY, fault: 'status:400', count: 1 }]);
      const t = await syncTarget(h.emulator, h.url, dialect);
      try {
        const before = (
          await h.call<{ requests: { total: number } }>('GET', '/__emulator/stats', { token: null })
        ).json;
        const error = await t.sync({ pageSize: PAGE }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphQLError);
        expect((error as Error).message).toMatch(/^Tanium Gateway answered with errors: InjectedFault: 400/);
        const after = (
          await h.call<{ requests: { total: number } }>('GET', '/__emulator/stats', { token: null })
        ).json;
        expect(after.requests.total - before.requests.total).toBe(1);
        const [run] = await t.store.sync.runs('default', 1);
        expect(run).toMatchObject({ status: 'failed', error: (error as Error).message });
      } finally {
        await t.close();
      }
    },
    timeLimit(dialect, 60_000),
  );
});

describe.each(DIALECTS)('request timeouts ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  afterAll(() => homes.dropAll());

  it(
    'sync --timeout 1 gives up on a Gateway answer that takes 15 s and asks again',
    async () => {
      const home = await homes.home();
      expect((await runCli(['connect', '--server', h.url], { home, input: h.token })).code).toBe(0);
      await install([{ path: GATEWAY, fault: 'latency:15000', count: 3 }]);
      const result = await runCli(['sync', '--json', '--streams', 'assets', '--timeout', '1'], { home });
      expect(result.code, result.stderr).toBe(0);
      expect((await faultStats()).byKind['latency:15000']).toBe(3);
      const store = await homes.open(home);
      try {
        // Every asset, as a sync without faults stored them.
        expect((await digest(store)).assets).toBe(clean['assets']);
        expect(await store.sync.count('default', 'assets')).toBe((await truth(h.url)).endpoints);
      } finally {
        await store.close();
      }
    },
    timeLimit(dialect, 40_000),
  );

  it(
    'timeouts saved with the connection (--header-timeout, --body-timeout) apply to later syncs and requests',
    async () => {
      const home = await homes.home();
      expect((await runCli(['connect', '--server', h.url], { home, input: h.token })).code).toBe(0);
      const saved = await runCli(
        ['sync', '--streams', 'assets', '--header-timeout', '1', '--body-timeout', '2'],
        { home },
      );
      expect(saved.code, saved.stderr).toBe(0);
      const store = await homes.open(home);
      try {
        expect(await store.sync.settings('default')).toMatchObject({
          headersTimeoutMs: 1_000,
          bodyTimeoutMs: 2_000,
        });
      } finally {
        await store.close();
      }
      await install([{ path: GATEWAY, fault: 'latency:15000', count: 2 }]);
      const again = await runCli(['sync', '--json', '--streams', 'assets', '--full'], { home });
      expect(again.code, again.stderr).toBe(0);
      expect((await faultStats()).byKind['latency:15000']).toBe(2);
      await install([{ path: '/api/v2/*', fault: 'latency:15000', count: 10 }]);
      const request = await runCli(['request', 'platform', 'GET', '/session/current', '--timeout', '0.5'], {
        home,
      });
      expect(request.code).toBe(1);
      expect(request.stderr.trim()).toMatch(
        /^Timed out waiting for the response for GET \/api\/v2\/session\/current/,
      );
      expect(request.stderr.trim().split('\n')).toHaveLength(1);
    },
    timeLimit(dialect, 60_000),
  );
});

describe('timeout options', () => {
  it('bad timeout values are refused with one line', async () => {
    const home = tempHome();
    expect((await runCli(['connect', '--server', h.url], { home, input: h.token })).code).toBe(0);
    const bad = await runCli(['sync', '--timeout', 'soon'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('Invalid --timeout "soon": use a number of seconds from 0.1 to 600.');
  }, 30_000);
});
