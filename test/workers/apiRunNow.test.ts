import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS, newJob } from '../../src/store/jobs.js';
import { runCli } from '../helpers/runCli.js';
import { truth } from '../helpers/syncHarness.js';
import {
  connectTenants,
  named,
  openScale,
  ownerPid,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  type Tenant,
  waitFor,
} from './workerHarness.js';

interface Queued {
  queued?: boolean;
  id: string;
  queue: string;
  connection: string;
  job: string;
  actor: string | null;
  state: string;
  status: string;
  runs?: string;
  result: { outcome: string; runId?: number; report?: unknown; error?: unknown } | null;
}

describe('serve --no-scheduler queues the syncs and rotations asked through the API for the workers', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  const procs: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 120);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  it('answers 202 with the queue job, a worker runs it (not serve), and its state and result are read back', async () => {
    const [tenant] = emulator.tenants as [Tenant];
    const [name] = (await connectTenants(scale, [tenant])) as [string];
    // Nothing of the schedule is due: every job the worker runs here is one the API asked for.
    const later = Date.now() + 24 * 3_600_000;
    for (const job of JOB_KINDS) await scale.store.jobs.put({ ...newJob(name, job), nextRunAt: later });
    const created = await runCli(['apikey', 'create', '--name', 'ops', '--role', 'admin', '--json'], {
      home: scale.home,
      env: scale.env,
    });
    expect(created.code, created.stderr).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    const serve = await startProc(['serve', '--port', '0', '--json', '--no-scheduler'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_serve`),
    });
    procs.push(serve);
    const base = (JSON.parse(serve.firstLine) as { url: string }).url;
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const reply = await request(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: reply.statusCode, body: (await reply.body.json()) as Record<string, unknown> };
    };

    // Asked before any worker runs: queued, and a second ask while it waits is refused, naming it.
    const asked = await call('POST', `/v1/connections/${name}/sync`, { full: true });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const job = asked.body as unknown as Queued;
    expect(job).toMatchObject({
      queued: true,
      queue: 'sync',
      connection: name,
      job: 'reconcile',
      actor: 'apikey:ops',
      state: 'created',
      status: `/v1/queue/sync/${job.id}`,
      runs: `/v1/connections/${name}/runs`,
    });
    const again = await call('POST', `/v1/connections/${name}/sync`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'sync_pending' } });
    expect(JSON.stringify(again.body)).toContain(job.id);
    expect((await call('GET', job.status)).body).toMatchObject({ id: job.id, state: 'created' });

    const worker = await startProc(['worker', '--json', '--tick', '0.5s'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_w1`),
    });
    procs.push(worker);
    const finished = async (path: string) =>
      waitFor(`${path} completed`, 90_000, async () => {
        const state = (await call('GET', path)).body as unknown as Queued;
        return state.state === 'completed' ? state : undefined;
      });
    const synced = await finished(job.status);
    expect(synced.result).toMatchObject({ outcome: 'ok', runId: expect.any(Number) });
    const run = await call('GET', `/v1/connections/${name}/runs/${synced.result!.runId}`);
    expect(run.body).toMatchObject({ status: 'complete' });
    // The worker ran it: the run's sync lease was the worker's, and every endpoint is stored.
    expect(ownerPid((run.body as { owner: string | null }).owner)).toBe(worker.child.pid);
    expect(await scale.store.sync.count(name, 'assets')).toBe((await truth(tenant.url)).endpoints);

    // A rotation asked now: queued as well, run by the worker, and the rotated token works.
    const rotate = await call('POST', `/v1/connections/${name}/rotate`, {});
    expect(rotate.status, JSON.stringify(rotate.body)).toBe(202);
    const rotation = rotate.body as unknown as Queued;
    expect(rotation).toMatchObject({ queue: 'rotate', job: 'rotate', actor: 'apikey:ops' });
    const rotated = await finished(rotation.status);
    expect(rotated.result).toMatchObject({ outcome: 'rotated', report: { outcome: 'rotated' } });
    const report = (rotated.result as { report: { oldTokenId: string; newTokenId: string } }).report;
    expect(report.newTokenId).not.toBe(report.oldTokenId);
    const check = await runCli(['check', '--name', name, '--json'], { home: scale.home, env: scale.env });
    expect(check.code, check.stderr).toBe(0);

    // An incremental sync of one stream with the new token, by the worker again.
    const one = await call('POST', `/v1/connections/${name}/sync`, { streams: ['assets'] });
    expect(one.status).toBe(202);
    const incremental = await finished((one.body as unknown as Queued).status);
    expect(incremental).toMatchObject({ job: 'sync', result: { outcome: 'ok' } });

    // None ran inside serve; the schedule was left alone; no token in any output.
    expect(serve.logs()).not.toMatch(/"msg":"(job|requested job) started"/);
    expect(worker.logs()).toMatch(/"outcome":"rotated"[^\n]*"msg":"requested job finished"/);
    for (const kind of JOB_KINDS)
      expect((await scale.store.jobs.get(name, kind))?.lastStartedAt ?? null).toBeNull();
    const missing = await call('GET', '/v1/queue/sync/00000000-0000-0000-0000-000000000000');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'queue_job_not_found' } } });
    expect(await serve.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
    for (const text of [serve.logs(), serve.stdout(), worker.logs(), worker.stdout()])
      expect(text).not.toContain(tenant.token);
  }, 240_000);
});
