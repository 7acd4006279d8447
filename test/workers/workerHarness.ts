import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { saveConnection } from '../../src/connections/connections.js';
import { startTenants } from '../../src/emulator/startTenants.js';
import { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import type { Store } from '../../src/store/store.js';
import { STREAM_NAMES, STREAMS } from '../../src/streams/index.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { type PostgresTarget, postgresTarget } from '../helpers/postgres.js';
import { CLI } from '../helpers/spawnCli.js';
import { freezeClock, truth } from '../helpers/syncHarness.js';

/** The admin connection of the test server, for the test's own schemas and its own sessions only. */
const BASE = process.env['TANIUM_BRIDGE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A CLI process of the scale-out suites: its first stdout line (the announcement) and its logs. */
export interface Proc {
  child: ChildProcess;
  firstLine: string;
  logs(): string;
  stdout(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the built CLI with `env` and waits for its first stdout line. */
export async function startProc(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Proc> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no output within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before its first line: ${stderr}`));
    });
  });
  return {
    child,
    firstLine,
    logs: () => stderr,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

export interface Tenant {
  url: string;
  token: string;
  /** How many API tokens the tenant holds now (tenants served from the test process only). */
  tokenCount?: () => number;
}

/**
 * N emulated tenants served over HTTP from the test process (tenant k at 127.0.0.k), each tenant's
 * clock stopped so that its truth read at the end is the fleet the workers synced (it still moves
 * with `/__emulator/clock`).
 */
export async function startFrozenTenants(
  count: number,
  endpoints: number,
): Promise<{ tenants: Tenant[]; close(): Promise<void> }> {
  const served = await startTenants({ tenants: count, endpoints, seed: 7, realism: 0 });
  for (const tenant of served.tenants) freezeClock(tenant);
  return {
    tenants: served.tenants.map((t) => ({
      url: t.url,
      token: t.token,
      tokenCount: () => t.state.tokens.records.length,
    })),
    close: () => served.close(),
  };
}

/** `tanium-bridge emulator --tenants N` as its own process: tenant k at 127.0.0.k. */
export async function startTenantsProcess(
  count: number,
  endpoints: number,
): Promise<{ proc: Proc; tenants: Tenant[] }> {
  const proc = await startProc(
    ['emulator', '--tenants', String(count), '--endpoints', String(endpoints), '--realism', '0', '--json'],
    {},
    60_000,
  );
  return { proc, tenants: (JSON.parse(proc.firstLine) as { tenants: Tenant[] }).tenants };
}

/**
 * One scale-out test's world: its own schema (and pg-boss's beside it), a home folder, a master key
 * every process shares through the environment, and a store the test reads through the repositories.
 */
export interface Scale {
  url: string;
  schema: string;
  home: string;
  env: Record<string, string>;
  store: PostgresStore;
  /**
   * Ends the sessions whose application_name starts with `prefix` (the test names every process it
   * starts) while one of them is inside a page transaction: the test holds the lock a
   * page's checkpoint write needs, waits until a session of `prefix` waits on it, then ends them all.
   * (Ended while idle, a pool session is simply replaced on the next query, and nothing fails.)
   */
  terminateMidPage(prefix: string): Promise<number>;
  close(): Promise<void>;
}

export async function openScale(): Promise<Scale> {
  const target: PostgresTarget | undefined = await postgresTarget();
  if (!target) throw new Error(`the worker tests need PostgreSQL at ${BASE}`);
  const schema = `tbw_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = target.url(schema);
  const home = tempDir('tb-workers-');
  const key = randomBytes(32).toString('base64');
  process.env['TANIUM_BRIDGE_MASTER_KEY'] = key;
  const store = await PostgresStore.open(url);
  const env = { TANIUM_BRIDGE_MASTER_KEY: key, TANIUM_BRIDGE_DB: url, TANIUM_BRIDGE_HOME: home };
  return {
    url,
    schema,
    home,
    env,
    store,
    async terminateMidPage(prefix) {
      const admin = new pg.Client({ connectionString: BASE });
      await admin.connect();
      try {
        await admin.query('BEGIN');
        await admin.query(
          `LOCK TABLE "${schema}".sync_checkpoints, "${schema}".sync_partitions IN SHARE ROW EXCLUSIVE MODE`,
        );
        // A session of `prefix` waiting for (not holding) the lock on one of those tables: a page write.
        await waitFor('a page transaction waiting on the checkpoint lock', 60_000, async () => {
          const { rowCount } = await admin.query(
            `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE a.application_name LIKE $1 AND NOT l.granted AND l.locktype = 'relation'
               AND l.relation IN ($2::regclass, $3::regclass)`,
            [`${prefix}%`, `"${schema}".sync_checkpoints`, `"${schema}".sync_partitions`],
          );
          return rowCount ? true : undefined;
        });
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()',
          [`${prefix}%`],
        );
        return rowCount ?? 0;
      } finally {
        await admin.query('ROLLBACK').catch(() => undefined);
        await admin.end();
      }
    },
    async close() {
      await store.close();
      await target.dropSchema(`${schema}_pgboss`);
      await target.dropSchema(schema);
    },
  };
}

/** The URL a process of this test connects with, its sessions named `name` in pg_stat_activity. */
export const named = (url: string, name: string) => `${url}&application_name=${encodeURIComponent(name)}`;

/** Saves connection `t<k>` for tenant k, its token sealed with the shared master key. */
export async function connectTenants(scale: Scale, tenants: Tenant[]): Promise<string[]> {
  const names: string[] = [];
  for (const [i, tenant] of tenants.entries()) {
    const name = `t${i + 1}`;
    await saveConnection(
      { store: scale.store, home: scale.home },
      { name, target: { kind: 'server', address: tenant.url }, token: tenant.token },
    );
    names.push(name);
  }
  return names;
}

/** Sets (or clears, with null) one fault rule on every Gateway request of a tenant. */
export async function gatewayFault(tenant: Tenant, fault: string | null): Promise<void> {
  if (fault === null) {
    await fetch(`${tenant.url}/__emulator/faults`, { method: 'DELETE' });
    return;
  }
  const reply = await fetch(`${tenant.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ path: '/plugin/products/gateway/graphql', fault, rate: 1 }] }),
  });
  if (!reply.ok) throw new Error(`fault not installed: ${await reply.text()}`);
}

export async function advanceClock(tenant: Tenant, by: string): Promise<void> {
  await fetch(`${tenant.url}/__emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: by }),
  });
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** What the store holds of a connection against what its tenant holds. */
export async function storedAgainstTruth(store: Store, connection: string, tenant: Tenant) {
  const t = await truth(tenant.url);
  return {
    stored: {
      endpoints: await store.sync.count(connection, 'assets'),
      cveFindings: await store.sync.count(connection, 'vulnerabilities'),
      complianceFindings: await store.sync.count(connection, 'compliance'),
    },
    truth: { endpoints: t.endpoints, cveFindings: t.cveFindings, complianceFindings: t.complianceFindings },
  };
}

/** Rows of a connection whose primary key appears more than once, per stream (read through the repository). */
export async function duplicatedKeys(store: Store, connection: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const stream of STREAM_NAMES) {
    const seen = new Set<string>();
    let duplicated = 0;
    for await (const row of store.sync.rows(connection, stream)) {
      const key = JSON.stringify(STREAMS[stream].primaryKey.map((field) => row[field]));
      if (seen.has(key)) duplicated++;
      seen.add(key);
    }
    out[stream] = duplicated;
  }
  return out;
}

/** Pairs of intervals that overlap (an open interval, never finished, runs to the end of time). */
export function overlapping(intervals: { start: string; end: string | null }[]): number {
  const sorted = intervals
    .map((i) => ({
      start: Date.parse(i.start),
      end: i.end === null ? Number.POSITIVE_INFINITY : Date.parse(i.end),
    }))
    .sort((a, b) => a.start - b.start);
  let overlaps = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const interval of sorted) {
    if (interval.start < reach) overlaps++;
    reach = Math.max(reach, interval.end);
  }
  return overlaps;
}

/** The pid in a lease owner `host:pid:uuid`. */
export const ownerPid = (owner: string | null) => (owner === null ? null : Number(owner.split(':')[1]));
