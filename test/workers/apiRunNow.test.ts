import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withJobsLease } from '../../src/jobs/jobsLease.js';
import { JOB_KINDS, newJob } from '../../src/store/jobs.js';
import { newOwner } from '../../src/store/leaseOwner.js';
import { documentedAnswerProblems } from '../helpers/documentedAnswer.js';
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

type Reply = { status: number; body: Record<string, unknown> };

// The cases share one tenant, one serve and (from the second on) one worker, and run in order.
describe('serve --no-scheduler queues the syncs and rotations asked through the API for the workers', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  let tenant: Tenant;
  let name: string;
  let serve: Proc;
  let worker: Proc | undefined;
  let call: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<Reply>;
  const procs: Proc[] = [];

  /** Waits for the queue job at `path` to end, whichever way it ends. */
  const ended = (path: string) =>
    waitFor(`${path} ended`, 120_000, async () => {
      const state = (await call('GET', path)).body as unknown as Queued;
      return ['completed', 'failed', 'cancelled'].includes(state.state) ? state : undefined;
    });

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 120);
    tenant = emulator.tenants[0] as Tenant;
    name = (await connectTenants(scale, [tenant]))[0] as string;
    // Nothing of the schedule is due: every job the worker runs here is one the API asked for.
    const later = Date.now() + 24 * 3_600_000;
    for (const job of JOB_KINDS) await scale.store.jobs.put({ ...newJob(name, job), nextRunAt: later });
    const created = await runCli(['apikey', 'create', '--name', 'ops', '--role', 'admin', '--json'], {
      home: scale.home,
      env: scale.env,
    });
    expect(created.code, created.stderr).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    serve = await startProc(['serve', '--port', '0', '--json', '--no-scheduler'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_serve`),
    });
    procs.push(serve);
    const base = (JSON.parse(serve.firstLine) as { url: string }).url;
    call = async (method, path, body) => {
      const reply = await request(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: reply.statusCode, body: (await reply.body.json()) as Record<string, unknown> };
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  let job: Queued;

  /**
   * Checks an answer against its route's schema in the served OpenAPI document (by default the 200 of
   * `GET /v1/queue/{queue}/{id}`): it fits, and it has no field the document leaves out.
   */
  const fitsDocument = async (
    answer: Record<string, unknown>,
    route: Parameters<typeof documentedAnswerProblems>[1] = {
      path: '/v1/queue/{queue}/{id}',
      method: 'get',
      status: 200,
    },
  ) => {
    const openapi = (await call('GET', '/v1/openapi.json')).body;
    expect(documentedAnswerProblems(openapi, route, answer)).toEqual([]);
  };

  it('answers 202 with the queue job before any worker runs, and refuses a second ask naming it', async () => {
    const asked = await call('POST', `/v1/connections/${name}/sync`, { full: true });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    job = asked.body as unknown as Queued;
    await fitsDocument(asked.body, { path: '/v1/connections/{name}/sync', method: 'post', status: 202 });
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
    // The status URL answers the object the 202 did, with the state now, as its document says.
    const status = await call('GET', job.status);
    expect(status.body).toEqual(job);
    await fitsDocument(status.body);
  }, 60_000);

  it('a worker runs the queued sync (not serve), and its state and result are read back', async () => {
    worker = await startProc(['worker', '--json', '--tick', '0.5s'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_w1`),
    });
    procs.push(worker);
    const synced = await ended(job.status);
    expect(synced).toMatchObject({
      state: 'completed',
      result: { outcome: 'ok', runId: expect.any(Number) },
    });
    await fitsDocument(synced as unknown as Record<string, unknown>);
    const run = await call('GET', `/v1/connections/${name}/runs/${synced.result!.runId}`);
    expect(run.body).toMatchObject({ status: 'complete' });
    // The worker ran it: the run's sync lease was the worker's, and every endpoint is stored.
    expect(ownerPid((run.body as { owner: string | null }).owner)).toBe(worker.child.pid);
    expect(await scale.store.sync.count(name, 'assets')).toBe((await truth(tenant.url)).endpoints);
  }, 150_000);

  /** Asks for a rotation now and checks the worker rotated the token. */
  const rotateNow = async () => {
    const rotate = await call('POST', `/v1/connections/${name}/rotate`, {});
    expect(rotate.status, JSON.stringify(rotate.body)).toBe(202);
    const rotation = rotate.body as unknown as Queued;
    await fitsDocument(rotate.body, { path: '/v1/connections/{name}/rotate', method: 'post', status: 202 });
    expect(rotation).toMatchObject({ queue: 'rotate', job: 'rotate', actor: 'apikey:ops' });
    const rotated = await ended(rotation.status);
    expect(rotated, JSON.stringify(rotated)).toMatchObject({
      state: 'completed',
      result: { outcome: 'rotated', report: { outcome: 'rotated' } },
    });
    await fitsDocument(rotated as unknown as Record<string, unknown>);
    const report = (rotated.result as { report: { oldTokenId: string; newTokenId: string } }).report;
    expect(report.newTokenId).not.toBe(report.oldTokenId);
    const check = await runCli(['check', '--name', name, '--json'], { home: scale.home, env: scale.env });
    expect(check.code, check.stderr).toBe(0);
  };

  it(
    'a rotation asked for now is queued, run by the worker, and the rotated token works',
    rotateNow,
    150_000,
  );

  it("a rotation asked for while a sync holds the connection's jobs lease completes, as in serve", async () => {
    // This process holds the lease as a running sync does for its whole run (a live pid of this machine).
    const held = await withJobsLease(scale.store, name, newOwner(), rotateNow);
    expect(held.ran).toBe(true);
  }, 150_000);

  it('an incremental sync of one stream runs with the new token, by the worker again', async () => {
    const one = await call('POST', `/v1/connections/${name}/sync`, { streams: ['assets'] });
    expect(one.status).toBe(202);
    const incremental = await ended((one.body as unknown as Queued).status);
    expect(incremental).toMatchObject({ state: 'completed', job: 'sync', result: { outcome: 'ok' } });
  }, 150_000);

  it('an unknown job id is 404 and a malformed one 400, each with its code and fix', async () => {
    const missing = await call('GET', '/v1/queue/sync/00000000-0000-0000-0000-000000000000');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'queue_job_not_found' } } });
    for (const id of ['-'.repeat(36), `${'0'.repeat(36)}`, '00000000-0000-0000-0000-00000000000g']) {
      const bad = await call('GET', `/v1/queue/rotate/${id}`);
      expect(bad, id).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_job_id', message: expect.any(String), fix: expect.any(String) } },
      });
    }
  }, 30_000);

  it('none ran inside serve, the schedule was left alone, and no output holds a token', async () => {
    expect(serve.logs()).not.toMatch(/"msg":"(job|requested job) started"/);
    expect(worker?.logs()).toMatch(/"outcome":"rotated"[^\n]*"msg":"requested job finished"/);
    for (const kind of JOB_KINDS)
      expect((await scale.store.jobs.get(name, kind))?.lastStartedAt ?? null).toBeNull();
    expect(await serve.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
    for (const text of [serve.logs(), serve.stdout(), worker?.logs() ?? '', worker?.stdout() ?? ''])
      expect(text).not.toContain(tenant.token);
  }, 60_000);
});
