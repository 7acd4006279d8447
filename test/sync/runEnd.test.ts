import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTaniumClient } from '../../src/sdk/index.js';
import { LeaseLostError } from '../../src/store/leases.js';
import type { Store } from '../../src/store/store.js';
import type { StreamName } from '../../src/streams/stream.js';
import { finishRun } from '../../src/sync/finishRun.js';
import { SYNC_LEASE_TTL_MS, syncLeaseKey } from '../../src/sync/lease.js';
import { runSync } from '../../src/sync/runner.js';
import { RunTally } from '../../src/sync/runTally.js';
import { INTERRUPTED_REASON, type StartedRun, startRun } from '../../src/sync/startRun.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { startLocalHttp } from '../helpers/localServers.js';
import { SETTINGS } from '../helpers/syncHarness.js';
import { type CliStore, DIALECTS } from '../store/dialects.js';

/**
 * How a run's end is recorded when its lease was taken over first (src/sync/finishRun.ts): the end
 * record checks the lease in its own transaction, so a run the store shows `interrupted` is never
 * reported complete, and a failure that could not be recorded is reported as the lost lease it follows
 * (docs/sync.md, "One sync per connection"). The takeover is made as a second process makes it, on a
 * second handle of the same store: the lease released (as if it had expired; the same on either
 * store's clock), then a real run started, which marks the first one interrupted.
 */
describe.each(DIALECTS)('the end of a run and its lease ($name)', (dialect) => {
  const STREAMS: StreamName[] = ['assets'];
  const KEY = syncLeaseKey('default');
  let cli: CliStore;
  let home: string;
  let store: Store;
  let other: Store;
  /** Runs started in a test, whose leases (and renewal timers) are given up after it. */
  let started: StartedRun[];

  beforeEach(async () => {
    cli = await dialect.cliEnv();
    home = tempDir('tb-run-end-');
    store = await cli.open(home);
    await store.connections.upsert(
      { name: 'default', kind: 'server', address: 'http://127.0.0.1:9' },
      new Date().toISOString(),
    );
    other = await cli.open(home);
    started = [];
  });

  afterEach(async () => {
    for (const run of started) await run.lease.release();
    await other.close();
    await store.close();
    await cli.drop();
  });

  /** A run of `on` holding the connection's lease, its pass begun (src/sync/startRun.ts). */
  async function begin(on: Store): Promise<StartedRun> {
    const run = await startRun({
      store: on,
      connection: 'default',
      streams: STREAMS,
      settings: SETTINGS,
      full: false,
      pageSize: () => 50,
      partitions: () => 1,
      now: () => new Date().toISOString(),
      ttlMs: SYNC_LEASE_TTL_MS,
    });
    started.push(run);
    return run;
  }

  /** Another process finds the lease expired and starts its own run. */
  async function takeOver(run: StartedRun): Promise<StartedRun> {
    expect(await other.leases.release(KEY, run.lease.owner)).toBe(true);
    return begin(other);
  }

  const summaryOf = (run: StartedRun) => new RunTally('default', run, STREAMS, {}).finish();
  const statusOf = async (id: number) => (await store.sync.runById('default', id))!;
  const now = () => new Date().toISOString();

  it('a run whose lease was taken over before its end is not recorded complete: LeaseLostError', async () => {
    const first = await begin(store);
    const second = await takeOver(first);
    const ended = await finishRun(store, first.lease, summaryOf(first), undefined, now()).catch(
      (error: unknown) => error,
    );
    expect(ended).toBeInstanceOf(LeaseLostError);
    expect((ended as LeaseLostError).message).toBe(
      `The lease ${KEY} is no longer ours (it expired and another process took it over): run ${first.runId} was not recorded complete`,
    );
    // The new holder's start marked it interrupted; this end changed nothing of it, nor the lease.
    expect(await statusOf(first.runId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_REASON });
    expect(await statusOf(second.runId)).toMatchObject({ status: 'running' });
    expect(await store.leases.get(KEY)).toMatchObject({ owner: second.lease.owner });
    // The new holder still ends its own run complete.
    await finishRun(other, second.lease, summaryOf(second), undefined, now());
    expect(await statusOf(second.runId)).toMatchObject({ status: 'complete', error: null });
  });

  it('with the lease taken but no run of the new holder to mark it, the run marks itself interrupted', async () => {
    const run = await begin(store);
    await other.leases.release(KEY, run.lease.owner);
    await other.leases.acquire(KEY, 'elsewhere:1:x', 60_000, Date.now());
    const ended = await finishRun(store, run.lease, summaryOf(run), undefined, now()).catch(
      (error: unknown) => error,
    );
    expect(ended).toBeInstanceOf(LeaseLostError);
    expect(await statusOf(run.runId)).toMatchObject({
      status: 'interrupted',
      error: (ended as LeaseLostError).message,
    });
    expect(await store.leases.get(KEY)).toMatchObject({ owner: 'elsewhere:1:x' });
  });

  it('a run that holds its lease is recorded complete, and gives the lease up', async () => {
    const run = await begin(store);
    const summary = summaryOf(run);
    await finishRun(store, run.lease, summary, undefined, now());
    const record = await statusOf(run.runId);
    expect(record).toMatchObject({ status: 'complete', error: null });
    expect(record.summary).toMatchObject({ runId: run.runId, connection: 'default' });
    expect(await store.leases.get(KEY)).toBeUndefined();
  });

  it('a failure after the lease was taken over is not recorded, and is reported as the lost lease', async () => {
    const first = await begin(store);
    const second = await takeOver(first);
    const failure = new Error('Tanium was unreachable');
    const ended = await finishRun(store, first.lease, summaryOf(first), failure, now()).catch(
      (error: unknown) => error,
    );
    expect(ended).toBeInstanceOf(LeaseLostError);
    expect((ended as LeaseLostError).message).toBe(
      `The lease ${KEY} is no longer ours (it expired and another process took it over): run ${first.runId} was not recorded failed (Tanium was unreachable)`,
    );
    expect(await statusOf(first.runId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_REASON });
    expect(await store.leases.get(KEY)).toMatchObject({ owner: second.lease.owner });
  });

  it('a run stopped (or stopped by the lost lease) after the takeover ends quietly: it is interrupted either way', async () => {
    const first = await begin(store);
    await takeOver(first);
    const stop = Object.assign(new Error('stopped'), { name: 'AbortError' });
    await finishRun(store, first.lease, summaryOf(first), stop, now());
    await finishRun(
      store,
      first.lease,
      summaryOf(first),
      new LeaseLostError(KEY, 'page 3 was not written'),
      now(),
    );
    expect(await statusOf(first.runId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_REASON });
  });

  it('a failure while the lease is ours is recorded failed, with its message', async () => {
    const run = await begin(store);
    await finishRun(store, run.lease, summaryOf(run), new Error('Tanium was unreachable'), now());
    expect(await statusOf(run.runId)).toMatchObject({ status: 'failed', error: 'Tanium was unreachable' });
    expect(await store.leases.get(KEY)).toBeUndefined();
  });

  it('runSync: a run that failed after another process took its lease over rejects with LeaseLostError', async () => {
    let takeover: Promise<StartedRun> | undefined;
    // The Gateway stand-in answers each request only once the takeover is stored, and answers it with a
    // refusal that is not retried: the run fails after its lease was taken, whatever the timing.
    const gateway = await startLocalHttp((req, res) => {
      req.resume();
      void (async () => {
        await takeover;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text: 'Bad request' }));
      })();
    });
    const client = createTaniumClient({ baseUrl: gateway.url, token: 'token-0', retry: { baseDelayMs: 1 } });
    let runId = 0;
    try {
      const error = await runSync({
        store,
        client,
        connection: 'default',
        streams: STREAMS,
        settings: SETTINGS,
        onEvent: (event) => {
          if (event.event !== 'start') return;
          runId = event.runId;
          takeover = (async () => {
            const held = await other.leases.get(KEY);
            await other.leases.release(KEY, held!.owner);
            return begin(other);
          })();
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LeaseLostError);
      expect((error as LeaseLostError).message).toMatch(
        new RegExp(`^The lease ${KEY} is no longer ours .*: run ${runId} was not recorded failed \\(.+\\)$`),
      );
      expect(await statusOf(runId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_REASON });
      const holder = await takeover!;
      expect(await store.leases.get(KEY)).toMatchObject({ owner: holder.lease.owner });
    } finally {
      await client.close();
      await gateway.close();
    }
  });
});
