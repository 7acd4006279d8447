import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DialectHomes, dialectHomes } from '../helpers/dialectHomes.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS } from '../helpers/runCli.js';
import { homeWithKeys, serve } from '../helpers/serveHarness.js';
import { DIALECTS } from '../store/dialects.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the home's serve processes recorded, read through the repositories of its store. */
async function history(homes: DialectHomes, home: string) {
  const store = await homes.open(home);
  try {
    return {
      rotations: await store.rotation.history('default', 10_000),
      runs: await store.sync.runs('default', 10_000),
    };
  } finally {
    await store.close();
  }
}

/** Intervals that overlap in time: [start, end] pairs, sorted by start. */
function overlaps(intervals: { start: string; end: string | null }[]): number {
  const sorted = intervals
    .map((i) => [Date.parse(i.start), i.end === null ? Number.POSITIVE_INFINITY : Date.parse(i.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  let count = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] < sorted[i - 1]![1]) count++;
  return count;
}

// Each dialect has its own tenant (its clock moves 16 days across the two cases) and its own stores
// (PostgreSQL: a schema per home, dropped after).
describe.each(DIALECTS)('the scheduler inside serve ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  let h: Harness;
  /** Made before the first case moves the clock 10 days on (the harness's own token expires meanwhile). */
  let second: string;

  beforeAll(async () => {
    h = await startHarness({ endpoints: 60 });
    second = (await createToken(h, { expire_in_days: 30 })).token_string as string;
  });

  afterAll(async () => {
    await h?.close();
    await homes.dropAll();
  });

  it(
    'rotates a 7-day token about daily across 10 simulated days, and it never stops working',
    async () => {
      const created = await createToken(h, { expire_in_days: 7 });
      const { home, admin } = await homeWithKeys(h, created.token_string, await homes.home());
      const api = await serve(home, admin, ['--jobs', 'rotate', '--rotate-every', '1s', '--tick', '0.2s']);
      try {
        for (let step = 0; step < 40; step++) {
          await h.advance('6h');
          const mark = Date.now();
          // Wait until a rotate job has started and finished after this advance.
          for (let i = 0; i < 100; i++) {
            const jobs = (await api.call('GET', '/v1/jobs')).json.jobs as {
              lastStartedAt: string | null;
              lastFinishedAt: string | null;
            }[];
            const job = jobs[0]!;
            if (job.lastStartedAt && Date.parse(job.lastStartedAt) >= mark && job.lastFinishedAt) break;
            await sleep(100);
          }
          const check = await api.call('POST', '/v1/connections/default/check');
          expect(check.json.ok, `day ${(step + 1) / 4}: ${check.text}`).toBe(true);
        }
      } finally {
        expect(await api.stop()).toBe(0);
      }
      const { rotations } = await history(homes, home);
      const rotated = rotations.filter((r) => r.outcome === 'rotated');
      // Due once a day (the default policy): 10 days of 6-hour steps give 9 or 10 rotations.
      expect(rotated.length).toBeGreaterThanOrEqual(9);
      expect(rotated.length).toBeLessThanOrEqual(11);
      expect(rotations.filter((r) => r.outcome !== 'rotated' && r.outcome !== 'not_due')).toEqual([]);
    },
    CLI_SUITE_TIMEOUT_MS,
  );

  it(
    'two serve processes on one home never rotate or sync one connection at once',
    async () => {
      const { home, admin } = await homeWithKeys(h, second, await homes.home());
      const args = ['--rotate-every', '1s', '--sync-every', '1s', '--full-every', '3s', '--tick', '0.1s'];
      const [a, b] = await Promise.all([serve(home, admin, args), serve(home, admin, args)]);
      try {
        for (let step = 0; step < 12; step++) {
          await h.advance('12h');
          await sleep(700);
        }
      } finally {
        expect(await a.stop()).toBe(0);
        expect(await b.stop()).toBe(0);
      }
      const { rotations, runs } = await history(homes, home);
      expect(rotations.filter((r) => r.outcome === 'rotated').length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(overlaps(rotations.map((r) => ({ start: r.startedAt, end: r.finishedAt })))).toBe(0);
      expect(overlaps(runs.map((r) => ({ start: r.startedAt, end: r.finishedAt })))).toBe(0);
      // Rotation and sync of one connection never overlap either: the jobs lease covers both.
      const all = [
        ...rotations.map((r) => ({ start: r.startedAt, end: r.finishedAt })),
        ...runs.map((r) => ({ start: r.startedAt, end: r.finishedAt })),
      ];
      expect(overlaps(all)).toBe(0);
      expect(rotations.filter((r) => ['lost', 'refused', 'unknown'].includes(r.outcome))).toEqual([]);
    },
    CLI_SUITE_TIMEOUT_MS,
  );
});
