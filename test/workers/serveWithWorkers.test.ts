import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import { truth } from '../helpers/syncHarness.js';
import {
  connectTenants,
  named,
  openScale,
  ownerPid,
  type Proc,
  type Scale,
  startProc,
  startTenantsProcess,
  type Tenant,
  waitFor,
} from './workerHarness.js';

interface JobLine {
  connection: string;
  job: string;
  everyMs: number | null;
  effectiveEveryMs: number;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastOutcome: string | null;
}

describe('serve --no-scheduler with two workers on one PostgreSQL', () => {
  let scale: Scale;
  let emulator: { proc: Proc; tenants: Tenant[] };
  const procs: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startTenantsProcess(2, 150);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await emulator?.proc.stop();
    await scale?.close();
  }, 60_000);

  it('a connection created and a schedule set through the API are run by the workers, and serve serves their data', async () => {
    const [one, two] = emulator.tenants as [Tenant, Tenant];
    await connectTenants(scale, [one]);
    const created = await runCli(['apikey', 'create', '--name', 'admin', '--role', 'admin', '--json'], {
      home: scale.home,
      env: scale.env,
    });
    expect(created.code, created.stderr).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    const serve = await startProc(
      ['serve', '--port', '0', '--json', '--no-scheduler', '--log-level', 'info'],
      { ...scale.env, TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_serve`) },
    );
    procs.push(serve);
    const base = (JSON.parse(serve.firstLine) as { url: string }).url;
    const call = async (method: string, path: string, body?: unknown) => {
      const reply = await request(`${base}${path}`, {
        method: method as 'GET',
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await reply.body.text();
      return { status: reply.statusCode, text };
    };
    const workerArgs = ['worker', '--json', '--tick', '0.5s', '--log-level', 'info'];
    const workers = [
      await startProc(workerArgs, { ...scale.env, TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_w1`) }),
      await startProc(workerArgs, { ...scale.env, TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_w2`) }),
    ];
    procs.push(...workers);

    // A second connection, created through the API with its token.
    const posted = await call('POST', '/v1/connections', { name: 't2', server: two.url, token: two.token });
    expect(posted.status, posted.text).toBe(201);
    const jobsOf = async () => (JSON.parse((await call('GET', '/v1/jobs')).text) as { jobs: JobLine[] }).jobs;
    const done = (jobs: JobLine[], connection: string, job: string, after = 0) =>
      jobs.some(
        (j) =>
          j.connection === connection &&
          j.job === job &&
          j.lastOutcome === 'ok' &&
          j.lastFinishedAt !== null &&
          Date.parse(j.lastFinishedAt) > after,
      );
    await waitFor('both full passes run by the workers', 90_000, async () => {
      const jobs = await jobsOf();
      return done(jobs, 't1', 'reconcile') && done(jobs, 't2', 'reconcile') ? true : undefined;
    });

    // An interval set through the API: the incremental sync, an hour away, is due after 2 s instead.
    const mark = Date.now();
    const patched = await call('PATCH', '/v1/connections/t2/schedule', { syncEvery: '2s' });
    expect(patched.status, patched.text).toBe(200);
    const sync = (JSON.parse(patched.text) as { jobs: JobLine[] }).jobs.find((j) => j.job === 'sync');
    expect(sync).toMatchObject({ everyMs: 2_000, effectiveEveryMs: 2_000 });
    await waitFor('the incremental sync of t2 after the change', 60_000, async () =>
      done(await jobsOf(), 't2', 'sync', mark) ? true : undefined,
    );

    // serve serves what the workers stored: every endpoint of each tenant.
    for (const [name, tenant] of [
      ['t1', one],
      ['t2', two],
    ] as const) {
      const exported = await call('GET', `/v1/connections/${name}/assets?format=ndjson`);
      expect(exported.status).toBe(200);
      expect(exported.text.trim().split('\n')).toHaveLength((await truth(tenant.url)).endpoints);
    }
    // Every run was a worker's, none serve's.
    const workerPids = workers.map((w) => w.child.pid);
    for (const name of ['t1', 't2']) {
      const runs = await scale.store.sync.runs(name, 100);
      expect(runs.length).toBeGreaterThanOrEqual(name === 't2' ? 2 : 1);
      for (const run of runs) expect(workerPids, `${name} run ${run.id}`).toContain(ownerPid(run.owner));
    }
    expect(serve.logs()).not.toContain('"msg":"job started"');
    expect(await serve.stop()).toBe(0);
    for (const worker of workers) expect(await worker.stop()).toBe(0);
    for (const text of [serve.logs(), serve.stdout(), ...workers.map((w) => w.logs() + w.stdout())])
      for (const tenant of emulator.tenants) expect(text).not.toContain(tenant.token);
  }, 240_000);
});
