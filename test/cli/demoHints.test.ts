/**
 * Every command the demo prints under "Try next", run as printed (through a shell, from the folder the
 * demo ran in): each succeeds, acts on the demo's home, and nothing lands in the user's real home.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo, startDemo } from '../helpers/demo.js';
import { postgresTarget } from '../helpers/postgres.js';
import { CLI_SUITE_TIMEOUT_MS } from '../helpers/runCli.js';

const cwd = mkdtempSync(join(tmpdir(), 'tb-demo-cwd-'));
/** HOME for every process: the user's real ~/.tanium-bridge must never appear there. */
const userHome = mkdtempSync(join(tmpdir(), 'tb-user-home-'));
const env = { HOME: userHome };
const running: { kill: () => void }[] = [];

function shell(line: string, where = cwd): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], {
      cwd: where,
      env: { ...process.env, ...env, TANIUM_BRIDGE_HOME: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The indented lines after "Try next:". */
function hints(stdout: string): string[] {
  const after = stdout.slice(stdout.indexOf('Try next:') + 'Try next:'.length);
  return after
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim());
}

afterAll(() => {
  for (const child of running) child.kill();
});

describe('the demo prints commands that work pasted as is', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('runs every hint, as printed, from where the demo ran', async () => {
    const demo = await runDemo(['--endpoints', '200'], { cwd, env });
    expect(demo.code, demo.stderr).toBe(0);
    const printed = hints(demo.stdout);
    expect(printed).toHaveLength(4);
    // Outside the clone the entry point is spelled absolute; never npx, never a bare name.
    for (const line of printed) expect(line).toMatch(/^node \/\S+\/bin\/tanium-bridge\.js /);
    expect(demo.stdout).not.toContain('npx');

    const [exportCsv, exportFile, status, serve] = printed as [string, string, string, string];
    const csv = await shell(exportCsv);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^endpoint_id,/);
    const file = await shell(exportFile);
    expect(file.code, file.stderr).toBe(0);
    expect(file.stdout).toMatch(
      /^Exported \d+ vulnerabilities rows to vulnerabilities\.ndjson \(ndjson\)\.\n$/,
    );
    expect(statSync(join(cwd, 'vulnerabilities.ndjson')).mode & 0o777).toBe(0o600);
    const shown = await shell(status);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.split('\n')[0]).toBe('demo');

    // The last hint keeps the emulator up; the line it prints then names the sync to run elsewhere.
    const serveCommand = serve.replace(/\s+#.*$/, '');
    const served = startDemo(serveCommand.replace(/^node \S+ demo /, '').split(' '), { cwd, env });
    running.push(served.child);
    const out = await served.printed(/sync from another shell: (.+)\n/);
    const sync = await shell(/sync from another shell: (.+)\n/.exec(out)?.[1] as string);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/^Synced "demo"/);
    served.child.kill('SIGTERM');
    expect((await served.done).code).toBe(0);

    expect(existsSync(join(userHome, '.tanium-bridge'))).toBe(false);
    expect(readdirSync(cwd).sort()).toEqual(['.tanium-bridge-demo', 'vulnerabilities.ndjson']);
  });

  it('on PostgreSQL (--db) its hints repeat the database and act on the store the demo filled', async () => {
    const pg = await postgresTarget();
    if (!pg) return; // left out with one printed line; CI requires the server (TANIUM_BRIDGE_REQUIRE_PG=1)
    const schema = pg.freshSchema();
    const dir = mkdtempSync(join(tmpdir(), 'tb-demo-pg-'));
    try {
      const demo = await runDemo(['--endpoints', '80', '--db', pg.url(schema)], { cwd: dir, env });
      expect(demo.code, demo.stderr).toBe(0);
      const [exportCsv, , status] = hints(demo.stdout) as [string, string, string];
      for (const line of [exportCsv, status]) expect(line).toContain(`--db '${pg.url(schema)}'`);
      const csv = await shell(exportCsv, dir);
      expect(csv.code, csv.stderr).toBe(0);
      // The 80 synced endpoints come back through the hint: it read PostgreSQL, not an empty SQLite file.
      expect(csv.stdout.split('\n')[0]).toMatch(/^endpoint_id,/);
      expect(csv.stdout.split('\n').filter((line) => /^\d/.test(line)).length).toBe(9); // `| head`: 1 + 9
    } finally {
      await pg.dropSchema(schema);
    }
  });

  it('refuses a store holding another fleet, changes nothing, and --fresh replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-demo-fleet-'));
    const first = await runDemo(['--endpoints', '120', '--json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const before = statSync(join(dir, '.tanium-bridge-demo', 'bridge.db')).mtimeMs;
    const second = await runDemo(['--endpoints', '60'], { cwd: dir, env });
    expect(second).toMatchObject({ code: 1, stdout: '' });
    expect(second.stderr).toMatch(
      /^The demo store in \/\S+\/\.tanium-bridge-demo holds another fleet \(120 endpoints, this demo has 60\): run `node \/\S+\/bin\/tanium-bridge\.js demo --endpoints 60 --fresh --home \.tanium-bridge-demo` to replace it\.\n$/,
    );
    expect(statSync(join(dir, '.tanium-bridge-demo', 'bridge.db')).mtimeMs).toBe(before);
    const fresh = await runDemo(['--endpoints', '60', '--fresh', '--json'], { cwd: dir, env });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout).totals.assets).toBe(60);
  });
});
