import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DialectHomes, dialectHomes } from '../helpers/dialectHomes.js';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';
import { BIN, runCli } from '../helpers/runCli.js';
import { digest, freezeClock, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const SENSORS = ['--sensors', 'Online,Applicable Patches'];
let h: Harness;

beforeAll(async () => {
  // Enough endpoints for several page events (each stores at most 8,000 rows, about 220 endpoints
  // here), so that the kill after two lands mid-pass; a larger fleet only made every pass longer.
  h = await startHarness({ endpoints: 1000, seed: 4 });
  freezeClock(h.emulator);
});
afterAll(() => h.close());

async function connectedHome(homes: DialectHomes): Promise<string> {
  const home = await homes.home();
  const saved = await runCli(['connect', '--server', h.url], { home, input: h.token });
  expect(saved.code, saved.stderr).toBe(0);
  return home;
}

async function storeDigest(homes: DialectHomes, home: string) {
  const store = await homes.open(home);
  try {
    return await digest(store);
  } finally {
    await store.close();
  }
}

/** Starts `sync --json` and SIGKILLs it after `pages` page events; resolves with the events seen. */
function syncKilledAfter(
  homes: DialectHomes,
  home: string,
  pages: number,
): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--json', ...SENSORS, '--home', home], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...homes.env(home) },
    });
    const events: Record<string, unknown>[] = [];
    let buffer = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      // Lines the process printed before the kill landed (later in this chunk, or in the pipe) are not
      // what the kill interrupted: only the events up to the kill are kept.
      for (let nl = buffer.indexOf('\n'); nl >= 0 && !killed; nl = buffer.indexOf('\n')) {
        events.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
        buffer = buffer.slice(nl + 1);
        if (events.filter((e) => e['event'] === 'page').length === pages) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    // A sync that ended before the kill landed would prove nothing about resuming.
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve(events)
        : reject(new Error(`the sync ended (${signal}) before the kill`)),
    );
  });
}

describe.each(DIALECTS)('sync, export and demo from the command line ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  afterAll(() => homes.dropAll());
  let undisturbed: string;

  it('sync --json prints one JSON event per line and ends with a summary per stream', async () => {
    undisturbed = await connectedHome(homes);
    const result = await runCli(['sync', '--json', ...SENSORS], { home: undisturbed });
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; summary?: { streams: Record<string, unknown> } });
    expect(events[0]!.event).toBe('start');
    expect(events.filter((e) => e.event === 'page').length).toBeGreaterThan(3);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(Object.keys(done.summary!.streams).sort()).toEqual([
      'assets',
      'compliance',
      'sensors',
      'vulnerabilities',
    ]);
    const now = await truth(h.url);
    expect(done.summary!.streams['assets']).toMatchObject({
      added: now.endpoints,
      removed: 0,
      quarantined: 0,
    });
    // The endpoints whose lists the emulator answered null (the test profile) are counted, per stream.
    expect(now.answers.cveFindingsNull).toBeGreaterThan(0);
    expect(done.summary!.streams['vulnerabilities']).toMatchObject({ unknown: now.answers.cveFindingsNull });
    expect(done.summary!.streams['compliance']).toMatchObject({
      unknown: now.answers.complianceFindingsNull,
    });
    const human = await runCli(['sync'], { home: undisturbed });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Synced "default" \(incremental pass since .*\n {2}assets +\+0 added/);
    expect(human.stdout).toMatch(/\n {2}vulnerabilities .* 0 quarantined {2}\d+ unknown {2}\(/);
  }, 120_000);

  it('a sync killed mid-run and run again gives the same result as an undisturbed run', async () => {
    const home = await connectedHome(homes);
    const events = await syncKilledAfter(homes, home, 2);
    expect(events.filter((e) => e['event'] === 'page')).toHaveLength(2);
    const again = await runCli(['sync', '--json', ...SENSORS], { home });
    expect(again.code, again.stderr).toBe(0);
    const start = JSON.parse(again.stdout.split('\n')[0]!) as { resumed: boolean; mode: string };
    expect(start).toMatchObject({ resumed: true, mode: 'full' });
    const ours = await storeDigest(homes, home);
    // The undisturbed home has since run an incremental pass too, which changes nothing at frozen time.
    expect(ours).toEqual(await storeDigest(homes, undisturbed));
  }, 120_000);

  it('export: NDJSON and CSV row counts equal the store; CSV has a header row', async () => {
    const store = await homes.open(undisturbed);
    const expected = {
      assets: await store.sync.count('default', 'assets'),
      compliance: await store.sync.count('default', 'compliance'),
      sensors: await store.sync.count('default', 'sensors'),
    };
    await store.close();
    const ndjson = await runCli(['export', 'assets'], { home: undisturbed });
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const lines = ndjson.stdout.trim().split('\n');
    expect(lines).toHaveLength(expected.assets);
    const exported = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(exported[0]).toMatchObject({ endpoint_id: expect.any(String) });
    // A list column comes out as a list, or null where Tanium answered none (this fleet's answers have
    // gaps that follow the time of day, so not always in the first row), never as its stored JSON text.
    expect(exported.filter((r) => r['ip_addresses'] !== null && !Array.isArray(r['ip_addresses']))).toEqual(
      [],
    );
    expect(exported.filter((r) => Array.isArray(r['ip_addresses'])).length).toBeGreaterThan(0);
    const out = join(tempDir(), 'compliance.csv');
    const csv = await runCli(['export', 'compliance', '--format', 'csv', '--out', out, '--json'], {
      home: undisturbed,
    });
    expect(csv.code, csv.stderr).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ rows: expected.compliance });
    const rows = readFileSync(out, 'utf8').split('\r\n').filter(Boolean);
    expect(rows[0]).toBe(
      'endpoint_id,finding_id,rule_id,rule,category,state,standard,standard_version,profile,profile_version,first_found,last_scan,excepted,answered_at,status',
    );
    expect(rows).toHaveLength(expected.compliance + 1);
    const sensors = await runCli(['export', 'sensors', '--format', 'csv'], { home: undisturbed });
    expect(sensors.stdout.split('\r\n').filter(Boolean)).toHaveLength(expected.sensors + 1);
    const bad = await runCli(['export', 'nope'], { home: undisturbed });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'Unknown stream "nope": use one of assets, vulnerabilities, compliance, sensors.',
    );
  }, 60_000);

  it('demo works from a clean home: a full sync of every stream, then status', async () => {
    const home = join(tempDir(), 'demo-home');
    // A home demo makes itself, with a fresh store of the dialect (PostgreSQL: by its environment).
    const env = homes.env(await homes.home());
    // The default fleet (3,000 endpoints, README.md) is synced into SQLite; into PostgreSQL, where a
    // page costs several round trips, a smaller one shows the same: every stream, then status.
    const endpoints = dialect.name === 'sqlite' ? 3000 : 1000;
    const fleet = dialect.name === 'sqlite' ? [] : ['--endpoints', String(endpoints)];
    const demo = await runCli(['demo', '--once', '--json', ...fleet], { home, env });
    expect(demo.code, demo.stderr).toBe(0);
    const result = JSON.parse(demo.stdout) as {
      user: string;
      totals: Record<string, number>;
      summary: { mode: string };
    };
    expect(result.user).toBe('tanium-admin');
    expect(result.summary.mode).toBe('full');
    expect(result.totals['assets']).toBe(endpoints);
    expect(result.totals['vulnerabilities']).toBeGreaterThan(endpoints);
    expect(result.totals['compliance']).toBeGreaterThan(endpoints * 10);
    expect(result.totals['sensors']).toBeGreaterThan(endpoints);
    const status = await runCli(['status', '--name', 'demo'], { home, env });
    expect(status.code, status.stderr).toBe(0);
  }, 150_000);
});
