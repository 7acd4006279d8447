import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import {
  advanceClock,
  connectTenants,
  named,
  openScale,
  overlapping,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  type Tenant,
  waitFor,
} from './workerHarness.js';

/** Holds Tanium's answer to the token call back after the token is created: the kill lands in between. */
async function holdTokenAnswers(tenant: Tenant, holdMs: number | null): Promise<void> {
  if (holdMs === null) {
    await fetch(`${tenant.url}/__emulator/faults`, { method: 'DELETE' });
    return;
  }
  await fetch(`${tenant.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      rules: [{ path: '/api/v2/api_tokens', fault: `latency-after-commit:${holdMs}`, rate: 1 }],
    }),
  });
}

describe('a worker killed in the middle of a rotation', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  const workers: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 20);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  const startWorker = async (name: string) => {
    const worker = await startProc(
      ['worker', '--json', '--jobs', 'rotate', '--tick', '0.5s', '--job-timeout', '10s'],
      {
        ...scale.env,
        TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_${name}`),
      },
    );
    workers.push(worker);
    return worker;
  };

  it('the next worker recovers it through the rotation state machine: the token works, nothing is lost', async () => {
    const [tenant] = emulator.tenants as [Tenant];
    const [name] = (await connectTenants(scale, [tenant])) as [string];
    await advanceClock(tenant, '25h');
    await holdTokenAnswers(tenant, 10_000);
    const tokensBefore = tenant.tokenCount!();
    const first = await startWorker('w1');
    await waitFor('the rotation sent to Tanium', 60_000, async () =>
      (await scale.store.rotation.get(name))?.phase === 'sent' ? true : undefined,
    );
    // Tanium has created the new token; its answer is held back, so the kill lands in between.
    await waitFor('the new token created by Tanium', 10_000, async () =>
      tenant.tokenCount!() > tokensBefore ? true : undefined,
    );
    expect((await scale.store.rotation.get(name))?.phase).toBe('sent');
    first.child.kill('SIGKILL');
    await holdTokenAnswers(tenant, null);
    await startWorker('w2');

    await waitFor('a rotation completed after the kill', 90_000, async () => {
      const record = await scale.store.rotation.get(name);
      return record?.phase === 'idle' && record.lastOutcome === 'rotated' ? true : undefined;
    });
    const history = await scale.store.rotation.history(name, 100);
    expect(history.some((r) => r.outcome === 'rotated')).toBe(true);
    expect(history.filter((r) => ['lost', 'refused', 'in_progress'].includes(r.outcome))).toEqual([]);
    expect(overlapping(history.map((r) => ({ start: r.startedAt, end: r.finishedAt })))).toBe(0);
    // The stored token is one Tanium accepts.
    const check = await runCli(['check', '--name', name, '--json'], { home: scale.home, env: scale.env });
    expect(check.code, check.stderr).toBe(0);
    for (const worker of workers) expect(worker.logs() + worker.stdout()).not.toContain(tenant.token);
  }, 180_000);
});
