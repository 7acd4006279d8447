import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/sync/events.js';
import {
  connectTenants,
  gatewayFault,
  named,
  openScale,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  storedAgainstTruth,
  type Tenant,
  waitFor,
} from './workerHarness.js';

const lines = (text: string, msg: string) => text.split('\n').filter((l) => l.includes(`"msg":"${msg}"`));

describe("a worker's PostgreSQL sessions dropped by the server during a sync", () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  let worker: Proc | undefined;

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 1000);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  it('the job fails cleanly (one line, the worker stays up, no retry storm) and the next run resumes', async () => {
    const [tenant] = emulator.tenants as [Tenant];
    const [name] = (await connectTenants(scale, [tenant])) as [string];
    // Pages of 300 ms at least: the reconcile still has pages to write when the test takes its lock.
    await gatewayFault(tenant, 'latency:300');
    const application = `${scale.schema}_w1`;
    worker = await startProc(['worker', '--json', '--tick', '0.5s', '--log-level', 'info'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, application),
    });
    const running = await waitFor('a sync with pages committed', 60_000, async () => {
      const [run] = await scale.store.sync.runs(name, 1);
      return run?.status === 'running' && run.pages > 0 ? run : undefined;
    });
    // Only this worker's sessions: the test named them; every other session is left alone. They are
    // ended while a page transaction is open, so the job meets the drop rather than a replaced session.
    expect(await scale.terminateMidPage(application)).toBeGreaterThan(0);
    await gatewayFault(tenant, null);

    const failed = await waitFor('the job recorded as failed', 60_000, async () => {
      const job = await scale.store.jobs.get(name, 'reconcile');
      return job?.lastOutcome === 'failed' ? job : undefined;
    }).catch((error: Error) => {
      // The worker's own account says which job met the drop, if not this one.
      throw new Error(`${error.message}; worker logs:\n${worker?.logs()}`);
    });
    expect(failed.failures).toBe(1);
    expect(failed.lastError).not.toContain('\n');
    // The store's own problem (database_unreachable), not a raw pg error.
    expect(failed.lastError).toMatch(/Cannot use the PostgreSQL database/);
    expect(worker.child.exitCode).toBeNull();
    expect(lines(worker.logs(), 'job failed')).toHaveLength(1);

    // After the backoff the next run goes on from the committed pages, to the tenant's truth.
    const resumed = await waitFor('the next run, complete', 90_000, async () => {
      const [last] = await scale.store.sync.runs(name, 1);
      return last && last.id > running.id && last.status === 'complete' ? last : undefined;
    });
    expect((resumed.summary as SyncSummary).resumed).toBe(true);
    // The cut run is recorded failed, or, when that write met a dropped session too, interrupted by the next.
    const cut = (await scale.store.sync.runs(name, 10)).find((r) => r.id === running.id);
    expect(['failed', 'interrupted']).toContain(cut?.status);
    const { stored, truth } = await storedAgainstTruth(scale.store, name, tenant);
    expect(stored).toEqual(truth);
    expect(lines(worker.logs(), 'job failed')).toHaveLength(1);
    // Every line on stderr is a log record: no stack, no crash report.
    for (const line of worker.logs().trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    expect(await worker.stop()).toBe(0);
  }, 240_000);
});
