import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTaniumClient, type TaniumClient } from '../../src/sdk/index.js';
import type { Store } from '../../src/store/store.js';
import type { SyncEvent, SyncSummary } from '../../src/sync/events.js';
import type { GatewayClient } from '../../src/sync/fetchPages.js';
import { type RunSyncOptions, runSync } from '../../src/sync/runner.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { gatewayEndpoints } from '../helpers/gatewayEndpoints.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, startCli, tempHome } from '../helpers/runCli.js';
import { ALL, counts, digest, freezeClock, SETTINGS, syncTarget, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

/**
 * Enough for the killed CLI (its own page sizes, from 100 up) to stop with pages of every partition still
 * to read: partitions of 180, 180, 120 and 120 endpoints, eight CLI pages in all.
 */
const ENDPOINTS = 600;
const GATEWAY = '/plugin/products/gateway/graphql';
/** Small pages, so that every partition takes several (5, 5, 3 and 3) and they interleave. */
const PAGE = { min: 40, max: 40 };

/** The split of `--parallel 4` as the test expects it: final digits 0-2, 3-5, 6-7, and the rest. */
const K4 = ['.*[0-2]', '.*[3-5]', '.*[6-7]', '!.*[0-7]'];

let h: Harness;
let clean: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ endpoints: ENDPOINTS, seed: 12, realism: 0 });
  freezeClock(h.emulator);
  // The reference: one collection (today's pass) into SQLite.
  const t = await syncTarget(h.emulator);
  try {
    const summary = await t.sync({ pageSize: PAGE, parallel: 1 });
    expect(summary.partitions).toBeUndefined();
    clean = await digest(t.store);
  } finally {
    await t.close();
  }
}, 180_000);
afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

async function install(rules: unknown[], on: Harness = h) {
  const reply = await on.call('POST', '/__emulator/faults', { token: null, body: { rules } });
  expect(reply.status, reply.text).toBe(200);
}

/** Every endpoint id the Gateway has now. */
async function gatewayIds(on: Harness = h): Promise<string[]> {
  return (await gatewayEndpoints<{ id: string }>(on, 'id')).map((n) => n.id).sort();
}

/** The partition filter of a request (`!` marks a negated one), or null for one collection. */
function partitionOf(filter: unknown): string | null {
  const leaves: Record<string, unknown>[] = [];
  const walk = (f: unknown) => {
    if (!f || typeof f !== 'object') return;
    const node = f as Record<string, unknown>;
    if (node['path'] === 'id' && node['op'] === 'MATCHES') leaves.push(node);
    for (const child of (node['filters'] as unknown[] | undefined) ?? []) walk(child);
  };
  walk(filter);
  const leaf = leaves[0];
  return leaf ? `${leaf['negated'] === true ? '!' : ''}${String(leaf['value'])}` : null;
}

const inPartition = (id: string, partition: string) => {
  const negated = partition.startsWith('!');
  return new RegExp(`^(?:${negated ? partition.slice(1) : partition})$`).test(id) !== negated;
};

interface Read {
  partition: string | null;
  ids: string[];
}

/**
 * The SDK client, passed through, recording which ids each request's answer held; `onAnswer` may change
 * an answer (a damaged record) or act before it is handed on (the fleet changes mid-pass).
 */
function recording(client: TaniumClient, onAnswer?: (data: unknown, n: number) => Promise<void> | void) {
  const reads: Read[] = [];
  /** The partition of each pass request, in the order they were sent. */
  const sent: (string | null)[] = [];
  const wrapped: GatewayClient = {
    async graphql<T>(query: string, variables?: Record<string, unknown>) {
      if (query.includes('SyncEndpoints')) sent.push(partitionOf(variables?.['filter']));
      const data = await client.graphql<T>(query, variables);
      const edges = (data as { endpoints?: { edges?: { node?: { id?: unknown } }[] } }).endpoints?.edges;
      // The pass's pages (not the computer group reads after a complete run).
      if (edges && query.includes('SyncEndpoints')) {
        await onAnswer?.(data, reads.length);
        reads.push({
          partition: partitionOf(variables?.['filter']),
          ids: edges.flatMap((e) => (typeof e.node?.id === 'string' ? [e.node.id] : [])),
        });
      }
      return data;
    },
  };
  return { reads, sent, client: wrapped };
}

/** Each id was read by one partition, once, and lies in the partition that read it. */
function expectDisjoint(reads: readonly Read[]) {
  const all = reads.flatMap((r) => r.ids);
  expect(new Set(all).size).toBe(all.length);
  for (const read of reads) {
    expect(K4).toContain(read.partition);
    for (const id of read.ids)
      expect(inPartition(id, read.partition!), `${id} in ${read.partition}`).toBe(true);
  }
  return all;
}

describe.each(DIALECTS)('parallel cursors on $name', (dialect) => {
  let store: Store;
  let client: TaniumClient;

  beforeAll(async () => {
    store = await dialect.open();
    client = createTaniumClient({ baseUrl: h.url, token: h.emulator.token, retry: { baseDelayMs: 20 } });
  });
  afterAll(async () => {
    await client.close();
    await store.close();
  });

  /** A fresh connection of this store (each test syncs one of its own). */
  async function connection(name: string) {
    await store.connections.upsert({ name, kind: 'server', address: h.url }, new Date().toISOString());
    return (options: Partial<RunSyncOptions> & { client?: GatewayClient } = {}) =>
      runSync({
        store,
        client,
        connection: name,
        streams: ALL,
        settings: SETTINGS,
        pageSize: PAGE,
        ...options,
      });
  }

  it('--parallel 4: four disjoint collections, each endpoint read once, the store equal to one collection', async () => {
    const sync = await connection('k4');
    const r = recording(client);
    const events: SyncEvent[] = [];
    const summary = await sync({ parallel: 4, client: r.client, onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ partitions: 4, endpoints: ENDPOINTS, resumes: 0, restarts: 0 });
    const read = expectDisjoint(r.reads);
    expect(read.sort()).toEqual(await gatewayIds());
    // All four collections are open from the start: one request of each is out before any second one
    // (whichever answers first is stored first), and pages of all four were stored.
    expect(new Set(r.sent.slice(0, 4)).size).toBe(4);
    const order = events.flatMap((e) => (e.event === 'page' ? [e.partition] : []));
    expect(new Set(order).size).toBe(4);
    expect(await digest(store, 'k4')).toEqual(clean);
    const checkpoints = await store.sync.checkpoints('k4');
    expect(checkpoints.map((c) => [c.status, c.partitions, c.parts.length])).toEqual(
      ALL.map(() => ['complete', 4, 0]),
    );
  }, 300_000);

  it('without --parallel a full pass reads one collection (no partition filter); --parallel auto splits it in 4', async () => {
    const one = await connection('default-one');
    const r1 = recording(client);
    const plain = await one({ client: r1.client });
    expect(plain.partitions).toBeUndefined();
    expect(r1.reads.every((read) => read.partition === null)).toBe(true);
    expect(await digest(store, 'default-one')).toEqual(clean);
    const auto = await connection('auto');
    const r4 = recording(client);
    const chosen = await auto({ parallel: 'auto', client: r4.client });
    expect(chosen).toMatchObject({ partitions: 4, endpoints: ENDPOINTS });
    expect(expectDisjoint(r4.reads).sort()).toEqual(await gatewayIds());
    expect(await digest(store, 'auto')).toEqual(clean);
  }, 300_000);

  it('a cursor expiring in one partition: that partition continues after its own last id, the others keep their cursors', async () => {
    const sync = await connection('expiry');
    await install([{ path: GATEWAY, fault: 'expire-cursor', count: 1 }]);
    const r = recording(client);
    const events: SyncEvent[] = [];
    const summary = await sync({ parallel: 4, client: r.client, onEvent: (e) => events.push(e) });
    const resumes = events.flatMap((e) => (e.event === 'resume' ? [e] : []));
    expect(resumes).toHaveLength(1);
    expect(summary).toMatchObject({ resumes: 1, restarts: 0, endpoints: ENDPOINTS });
    // The partition that lost its cursor asked again after the last id it had read (and committed).
    const afterId = resumes[0]!.afterId;
    const partition = K4.find((p) => inPartition(afterId, p))!;
    const own = r.reads.filter((read) => read.partition === partition).flatMap((read) => read.ids);
    const at = own.indexOf(afterId);
    expect(own[at + 1]! > afterId).toBe(true);
    expect(new Set(own).size).toBe(own.length);
    expectDisjoint(r.reads);
    expect(await digest(store, 'expiry')).toEqual(clean);
  }, 300_000);

  it('a record refused in one partition is quarantined there; the pass completes and the rest is stored', async () => {
    const sync = await connection('quarantine');
    let damaged: string | undefined;
    const r = recording(client, (data, n) => {
      const edges = (data as { endpoints: { edges: { node: Record<string, unknown> }[] } }).endpoints.edges;
      if (n === 2 && edges.length > 3) {
        damaged = String(edges[3]!.node['id']);
        edges[3]!.node['eidFirstSeen'] = 'yesterday';
      }
    });
    const summary = await sync({ parallel: 4, client: r.client });
    expect(damaged).toBeDefined();
    expect(summary.streams.assets).toMatchObject({ quarantined: 1 });
    const quarantined = await store.sync.quarantined('quarantine', 'assets');
    expect(quarantined.map((q) => q.key)).toEqual([damaged]);
    expect((await counts(store, 'quarantine')).endpoints).toBe(ENDPOINTS - 1);
    const runs = await store.sync.runs('quarantine', 5);
    expect(runs.map((run) => run.status)).toEqual(['complete']);
    // The next full pass, with an intact answer, stores it.
    await sync({ parallel: 4, full: true });
    expect(await digest(store, 'quarantine')).toEqual(clean);
  }, 300_000);

  it('endpoints joining and leaving during a K=4 pass: read at most once, by their own partition; the next pass settles them', async () => {
    // An emulator of its own: its clock moves on during the pass.
    const own = await startHarness({ endpoints: 400, seed: 13, realism: 0 });
    freezeClock(own.emulator);
    const ownClient = createTaniumClient({
      baseUrl: own.url,
      token: own.emulator.token,
      retry: { baseDelayMs: 20 },
    });
    try {
      await churnPass(own, ownClient);
    } finally {
      await ownClient.close();
      await own.close();
    }
  }, 300_000);

  async function churnPass(own: Harness, ownClient: TaniumClient) {
    const sync = await connection('churn');
    const before = await gatewayIds(own);
    let advanced = false;
    const r = recording(ownClient, async (_data, n) => {
      // After the sixth page: six days of churn (0.2% of the fleet joins and 0.2% leaves per day:
      // docs/emulator-fleet.md, so about five of these 400 endpoints do each; a week would outlive the
      // token). The open partitions' cursors expire with them (idle for more than 5 minutes of Tanium's
      // time), so those partitions go on after their last id in a later snapshot of the fleet.
      if (n >= 5 && !advanced) {
        advanced = true;
        await own.advance('6d');
      }
    });
    const summary = await sync({ parallel: 4, client: r.client });
    expect(summary.resumes).toBeGreaterThan(0);
    const after = await gatewayIds(own);
    const read = new Set(expectDisjoint(r.reads));
    const left = before.filter((id) => !after.includes(id));
    const joined = after.filter((id) => !before.includes(id));
    expect(left.length).toBeGreaterThan(0);
    expect(joined.length).toBeGreaterThan(0);
    // Present from start to end: read (and stored) exactly once. Absent throughout: never read.
    for (const id of before.filter((x) => after.includes(x))) expect(read.has(id), id).toBe(true);
    for (const id of read) expect(before.includes(id) || after.includes(id), id).toBe(true);
    const stored: string[] = [];
    for await (const row of store.sync.rows('churn', 'assets')) stored.push(String(row['endpoint_id']));
    expect(stored.sort()).toEqual([...read].sort());
    // The next full pass equals the fleet as it is now: joined added, left swept.
    await sync({ parallel: 4, full: true, client: ownClient });
    const now = await truth(own.url);
    expect(await counts(store, 'churn')).toEqual({
      endpoints: now.endpoints,
      cveFindings: now.cveFindings,
      complianceFindings: now.complianceFindings,
    });
    const again: string[] = [];
    for await (const row of store.sync.rows('churn', 'assets')) again.push(String(row['endpoint_id']));
    expect(again.sort()).toEqual(after);
  }

  it(
    'a sync killed mid-pass with --parallel 4 resumes each partition from its own checkpoint: no page lost or doubled',
    async () => {
      const cli = await dialect.cliEnv();
      const home = tempHome();
      try {
        const saved = await runCli(['connect', '--server', h.url], { home, input: h.token, env: cli.env });
        expect(saved.code, saved.stderr).toBe(0);
        const args = ['sync', '--json', '--parallel', '4', '--sensors', SETTINGS.sensors.join(',')];
        const killed = await killedAfter(args, home, cli.env, 4);
        expect(killed.some((e) => e['event'] === 'done')).toBe(false);
        const first = await cli.open(home);
        const committed = await first.sync.count('default', 'assets');
        const [checkpoint] = await first.sync.checkpoints('default');
        await first.close();
        expect(checkpoint).toMatchObject({ status: 'running', partitions: 4 });
        expect(checkpoint!.parts.length).toBeGreaterThan(0);
        expect(committed).toBeGreaterThan(0);
        expect(committed).toBeLessThan(ENDPOINTS);
        const again = await runCli(args, { home, env: cli.env });
        expect(again.code, again.stderr).toBe(0);
        const events = again.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { event: string; resumed?: boolean; summary?: SyncSummary });
        expect(events[0]).toMatchObject({ event: 'start', resumed: true, mode: 'full' });
        const done = events.at(-1)!;
        expect(done.event).toBe('done');
        // The resumed run reads exactly the endpoints the killed one had not committed.
        expect(done.summary!.endpoints).toBe(ENDPOINTS - committed);
        const second = await cli.open(home);
        try {
          expect(await digest(second)).toEqual(clean);
        } finally {
          await second.close();
        }
      } finally {
        await cli.drop();
      }
    },
    CLI_SUITE_TIMEOUT_MS,
  );
});

/** Starts the CLI with `args`, SIGKILLs it after `pages` page events; resolves with the events seen. */
function killedAfter(
  args: string[],
  home: string,
  env: Record<string, string>,
  pages: number,
): Promise<Record<string, unknown>[]> {
  const { child, done } = startCli(args, { home, env });
  const events: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      events.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
      if (events.filter((e) => e['event'] === 'page').length === pages) child.kill('SIGKILL');
    }
  });
  return done.then(() => events);
}
