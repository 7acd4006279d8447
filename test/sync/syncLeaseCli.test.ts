import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { BIN, type CliResult, runCli, tempHome } from '../helpers/runCli.js';
import { counts, freezeClock, truth } from '../helpers/syncHarness.js';

const TRIALS = 30;
const SYNC = ['sync', '--full', '--json', '--sensors', 'Online'];
const HELD =
  /^A sync of "default" is running \(run \d+, (page \d+, )?pid \d+ on host [^)]+\): wait for it with `node bin\/tanium-bridge\.js sync --wait( --home \S+)?`, or try again later\.$/;
const GATEWAY = '/plugin/products/gateway/graphql';

let h: Harness;
let home: string;
let file: string;

beforeAll(async () => {
  // Complete answers: the store is compared with the fleet's whole truth (gaps: realism.test.ts).
  h = await startHarness({ endpoints: 300, seed: 21, realism: 0 });
  freezeClock(h.emulator);
  home = tempHome();
  const saved = await runCli(['connect', '--server', h.url], { home, input: h.token });
  expect(saved.code, saved.stderr).toBe(0);
  file = join(home, 'bridge.db');
});
afterAll(() => h.close());

async function storeState() {
  const store = SqliteStore.open(file);
  try {
    return { counts: await counts(store), runs: await store.sync.runs('default', 1000) };
  } finally {
    await store.close();
  }
}

/** Starts the CLI; `done` resolves when it exits. */
function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args, '--home', home], {
    stdio: ['ignore', 'pipe', 'pipe'],
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

async function untilBothWaiting(children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  const path = realpathSync(file);
  while (!children.every((c) => hasOpen(c.pid!, path))) {
    if (Date.now() > deadline) throw new Error('the syncs never opened the database');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // From opening the file to asking for the write lock (migrations) is a few statements.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Starts `sync --json` and SIGKILLs it after its first page; resolves with the run id it started. */
function killedAfterFirstPage(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...SYNC, '--home', home], {
      stdio: ['ignore', 'pipe', 'pipe'],
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

describe('two syncs of one connection from two processes at once', () => {
  it(`${TRIALS} trials with the write lock contended: one pass each, the other reports the lease, the store equals the truth`, async () => {
    // Every Gateway page takes at least 300 ms, so the pass outlasts the loser's start.
    const rules = [{ path: GATEWAY, fault: 'latency:300', rate: 1 }];
    expect((await h.call('POST', '/__emulator/faults', { token: null, body: { rules } })).status).toBe(200);
    const expected = await truth(h.url);
    const first = await runCli(SYNC, { home });
    expect(first.code, first.stderr).toBe(0);
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const before = (await storeState()).runs.length;
      // A third connection holds the write lock while both start, so they plan at the same moment.
      const lock = new Database(file, { timeout: 15_000 });
      lock.exec('BEGIN IMMEDIATE');
      const started = [startCli(SYNC), startCli(SYNC)];
      const both = Promise.all(started.map((s) => s.done));
      await untilBothWaiting(started.map((s) => s.child));
      lock.exec('COMMIT');
      lock.close();
      const results = await both;
      const codes = results.map((r) => r.code).sort();
      outcomes.push(codes.join('/'));
      expect(codes, results.map((r) => r.stderr).join('\n')).toEqual([0, 75]);
      const loser = results.find((r) => r.code === 75)!;
      expect(loser.stderr.trim()).toMatch(HELD);
      // With --json, stdout ends with the error object and holds nothing else (docs/cli.md).
      expect(JSON.parse(loser.stdout)).toMatchObject({ error: { code: 'sync_running' } });
      const state = await storeState();
      expect(state.counts).toEqual({
        endpoints: expected.endpoints,
        cveFindings: expected.cveFindings,
        complianceFindings: expected.complianceFindings,
      });
      const mine = state.runs.slice(0, state.runs.length - before);
      expect(mine.map((r) => r.status)).toEqual(['complete']);
    }
    expect(outcomes).toEqual(Array(TRIALS).fill('0/75'));
    await h.call('DELETE', '/__emulator/faults', { token: null });
  }, 600_000);

  it('a killed sync leaves its run running; the next start marks it interrupted and takes over at once', async () => {
    const killed = await killedAfterFirstPage();
    expect(killed).toBeGreaterThan(0);
    expect((await storeState()).runs.find((r) => r.id === killed)?.status).toBe('running');
    const next = await runCli(SYNC, { home });
    expect(next.code, next.stderr).toBe(0);
    const start = JSON.parse(next.stdout.split('\n')[0]!) as {
      event: string;
      interrupted: number[];
      resumed: boolean;
    };
    expect(start).toMatchObject({ event: 'start', interrupted: [killed], resumed: true });
    const run = (await storeState()).runs.find((r) => r.id === killed);
    expect(run).toMatchObject({ status: 'interrupted', pages: 1 });
  }, 120_000);
});
