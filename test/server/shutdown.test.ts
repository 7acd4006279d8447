import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsLease } from '../../src/jobs/jobsLease.js';
import { DISPATCH_LEASE } from '../../src/jobs/workers/dispatcher.js';
import { leaseKey } from '../../src/rotation/lease.js';
import { syncLeaseKey } from '../../src/sync/lease.js';
import { dialectHomes } from '../helpers/dialectHomes.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS } from '../helpers/runCli.js';
import { homeWithKeys, readEvents, serve } from '../helpers/serveHarness.js';
import { counts, freezeClock, timeLimit, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

let h: Harness;

beforeAll(async () => {
  // Complete answers: the store is compared with the fleet's whole truth (gaps: realism.test.ts). Pages
  // of 100, 200 and 300 endpoints: the signal comes after the first, with two still to read.
  h = await startHarness({ endpoints: 600, realism: 0 });
  freezeClock(h.emulator);
});

afterAll(async () => {
  await h.close();
});

/** Every lease a serving process takes for the connection `default`. */
const LEASES = [syncLeaseKey('default'), jobsLease('default'), DISPATCH_LEASE, leaseKey('default')];

describe.each(DIALECTS)('serve shutdown ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  afterAll(() => homes.dropAll());

  it(
    'SIGTERM mid-sync: exits 0 within 10 s after the page commits; the next start resumes and ends equal to the truth',
    async () => {
      const { home, admin } = await homeWithKeys(h, h.token, await homes.home());
      // Slow pages, so that the signal arrives in the middle of the pass.
      const slow = await h.call('POST', '/__emulator/faults', {
        token: null,
        body: { rules: [{ path: '/plugin/products/gateway/graphql', fault: 'latency:400', rate: 1 }] },
      });
      expect(slow.status).toBe(200);
      const args = ['--jobs', 'reconcile', '--full-every', '1d', '--tick', '0.2s'];
      const first = await serve(home, admin, args);
      const events = await readEvents(
        `${first.url}/v1/connections/default/sync/events`,
        admin,
        (e) => e.event === 'page',
        30_000,
      ).catch(() => []);
      if (!events.some((e) => e.event === 'page')) {
        // The stream opened before the scheduler started the run: poll for it instead.
        for (
          let i = 0;
          i < 100 && !(await first.call('GET', '/v1/connections/default/runs')).json.runs.length;
          i++
        )
          await new Promise((r) => setTimeout(r, 100));
      }
      const stopped = Date.now();
      first.child.kill('SIGTERM');
      const [code] = await once(first.child, 'exit');
      expect(code).toBe(0);
      expect(Date.now() - stopped).toBeLessThan(10_000);
      await h.call('DELETE', '/__emulator/faults', { token: null });

      let store = await homes.open(home);
      const [interrupted] = await store.sync.runs('default', 1);
      // Released on the way out, not left to expire.
      const held = await Promise.all(LEASES.map((key) => store.leases.get(key)));
      await store.close();
      expect(interrupted?.status).toBe('interrupted');
      expect(held).toEqual(LEASES.map(() => undefined));

      const second = await serve(home, admin, args);
      try {
        for (let i = 0; i < 300; i++) {
          const runs = (await second.call('GET', '/v1/connections/default/runs')).json.runs as {
            status: string;
          }[];
          if (runs.length >= 2 && runs[0]!.status === 'complete') break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        expect(await second.stop()).toBe(0);
      }
      store = await homes.open(home);
      try {
        const [resumed] = await store.sync.runs('default', 1);
        expect(resumed).toMatchObject({
          status: 'complete',
          summary: expect.objectContaining({ resumed: true }),
        });
        const t = await truth(h.url);
        expect(await counts(store)).toEqual({
          endpoints: t.endpoints,
          cveFindings: t.cveFindings,
          complianceFindings: t.complianceFindings,
        });
      } finally {
        await store.close();
      }
    },
    timeLimit(dialect, CLI_SUITE_TIMEOUT_MS),
  );
});
