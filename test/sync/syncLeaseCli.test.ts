import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/postgres/databaseUrl.js';
import { type DialectHomes, dialectHomes } from '../helpers/dialectHomes.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { BIN, type CliResult, runCli } from '../helpers/runCli.js';
import { counts, freezeClock, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

/**
 * Trials per dialect (PostgreSQL's store opens take longer: fewer trials, the same contention). Each
 * trial forces both syncs to plan in the same instant; before the lease, separate passes started in 6
 * of 16 such trials (docs/sync.md), which 12 trials would miss with odds of about 1 in 280, and 6 with
 * about 1 in 17.
 */
const TRIALS: Record<string, number> = { sqlite: 12, postgres: 6 };
const SYNC = ['sync', '--full', '--json', '--sensors', 'Online'];
const HELD =
  /^A sync of "default" is running \(run \d+, (page \d+, )?pid \d+ on host [^)]+\): wait for it with `node bin\/tanium-bridge\.js sync --wait( --home \S+)?`, or try again later\.$/;
const GATEWAY = '/plugin/products/gateway/graphql';

let h: Harness;

beforeAll(async () => {
  // Complete answers: the store is compared with the fleet's whole truth (gaps: realism.test.ts).
  h = await startHarness({ endpoints: 300, seed: 21, realism: 0 });
  freezeClock(h.emulator);
});
afterAll(() => h.close());

async function storeState(homes: DialectHomes, home: string) {
  const store = await homes.open(home);
  try {
    return { counts: await counts(store), runs: await store.sync.runs('default', 1000) };
  } finally {
    await store.close();
  }
}

/** Starts the CLI; `done` resolves when it exits. */
function startCli(
  homes: DialectHomes,
  home: string,
  args: string[],
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args, '--home', home], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...homes.env(home) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return { child, done };
}

/**
 * Makes two syncs plan at the same moment: a third connection holds what the sync lease needs while
 * both start (SQLite: the write lock; PostgreSQL: the leases table, locked EXCLUSIVE), and lets go once
 * both wait for it.
 */
interface Contention {
  hold(): Promise<void>;
  untilBothWaiting(children: ChildProcess[]): Promise<void>;
  release(): Promise<void>;
}

function contention(homes: DialectHomes, home: string): Contention {
  return homes.dialect === 'sqlite' ? sqliteContention(home) : postgresContention(homes.env(home));
}

function sqliteContention(home: string): Contention {
  const file = join(home, 'bridge.db');
  let lock: Database.Database | undefined;
  return {
    async hold() {
      lock = new Database(file, { timeout: 15_000 });
      lock.exec('BEGIN IMMEDIATE');
    },
    async untilBothWaiting(children) {
      const path = realpathSync(file);
      await until(() => children.every((c) => hasOpen(c.pid!, path)), 'the syncs never opened the database');
      // From opening the file to asking for the write lock (migrations) is a few statements.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async release() {
      lock!.exec('COMMIT');
      lock!.close();
    },
  };
}

function postgresContention(env: Record<string, string>): Contention {
  const target = parseDatabaseUrl(env['TANIUM_BRIDGE_DB']!);
  const client = new pg.Client({
    connectionString: target.connectionString,
    options: `-c search_path=${target.schema}`,
  });
  return {
    async hold() {
      await client.connect();
      await client.query('BEGIN');
      await client.query('LOCK TABLE leases IN EXCLUSIVE MODE');
    },
    async untilBothWaiting() {
      const waiting = async () =>
        (
          await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'leases'::regclass AND NOT granted`,
          )
        ).rows[0]!.n;
      for (const deadline = Date.now() + 30_000; (await waiting()) < 2; ) {
        if (Date.now() > deadline) throw new Error('the syncs never asked for the sync lease');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Whether a process has the database file open (it is then waiting for the write lock we hold). */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

async function until(done: () => boolean, failure: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts `sync --json` and SIGKILLs it after its first page; resolves with the run id it started. */
function killedAfterFirstPage(homes: DialectHomes, home: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...SYNC, '--home', home], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...homes.env(home) },
    });
    let buffer = '';
    let runId = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const event = JSON.parse(buffer.slice(0, nl)) as { event: string; runId?: number };
        buffer = buffer.slice(nl + 1);
        if (event.event === 'start') runId = event.runId!;
        if (event.event === 'page') child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve(runId));
  });
}

describe.each(DIALECTS)('two syncs of one connection from two processes at once ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  const trials = TRIALS[dialect.name]!;
  let home: string;
  beforeAll(async () => {
    home = await homes.home();
    const saved = await runCli(['connect', '--server', h.url], { home, input: h.token });
    expect(saved.code, saved.stderr).toBe(0);
  });
  afterAll(() => homes.dropAll());

  it(`${TRIALS[dialect.name]} trials with the lease's lock contended: one pass each, the other reports the lease, the store equals the truth`, async () => {
    // Every page of endpoints takes at least 300 ms, so the pass outlasts the loser's start (which
    // only has to read the lease once the lock is let go). The pass's other Gateway requests answer
    // at once: slowed too, they made every pass seconds longer and tested nothing more.
    const rules = [{ path: GATEWAY, operation: 'SyncEndpoints', fault: 'latency:300', rate: 1 }];
    expect((await h.call('POST', '/__emulator/faults', { token: null, body: { rules } })).status).toBe(200);
    const expected = await truth(h.url);
    const first = await runCli(SYNC, { home });
    expect(first.code, first.stderr).toBe(0);
    const outcomes: string[] = [];
    // Each trial's runs are those after the previous trial's (the first trial's: after `first`'s).
    let before = (await storeState(homes, home)).runs.length;
    for (let trial = 0; trial < trials; trial++) {
      const lock = contention(homes, home);
      await lock.hold();
      const started = [startCli(homes, home, SYNC), startCli(homes, home, SYNC)];
      const both = Promise.all(started.map((s) => s.done));
      await lock.untilBothWaiting(started.map((s) => s.child));
      await lock.release();
      const results = await both;
      const codes = results.map((r) => r.code).sort();
      outcomes.push(codes.join('/'));
      expect(codes, results.map((r) => r.stderr).join('\n')).toEqual([0, 75]);
      const loser = results.find((r) => r.code === 75)!;
      expect(loser.stderr.trim()).toMatch(HELD);
      // With --json, stdout ends with the error object and holds nothing else (docs/cli.md).
      expect(JSON.parse(loser.stdout)).toMatchObject({ error: { code: 'sync_running' } });
      const state = await storeState(homes, home);
      expect(state.counts).toEqual({
        endpoints: expected.endpoints,
        cveFindings: expected.cveFindings,
        complianceFindings: expected.complianceFindings,
      });
      const mine = state.runs.slice(0, state.runs.length - before);
      expect(mine.map((r) => r.status)).toEqual(['complete']);
      before = state.runs.length;
    }
    expect(outcomes).toEqual(Array(trials).fill('0/75'));
    await h.call('DELETE', '/__emulator/faults', { token: null });
  }, 600_000);

  it('a killed sync leaves its run running; the next start marks it interrupted and takes over at once', async () => {
    const killed = await killedAfterFirstPage(homes, home);
    expect(killed).toBeGreaterThan(0);
    expect((await storeState(homes, home)).runs.find((r) => r.id === killed)?.status).toBe('running');
    const next = await runCli(SYNC, { home });
    expect(next.code, next.stderr).toBe(0);
    const start = JSON.parse(next.stdout.split('\n')[0]!) as {
      event: string;
      interrupted: number[];
      resumed: boolean;
    };
    expect(start).toMatchObject({ event: 'start', interrupted: [killed], resumed: true });
    const run = (await storeState(homes, home)).runs.find((r) => r.id === killed);
    expect(run).toMatchObject({ status: 'interrupted', pages: 1 });
  }, 120_000);
});
