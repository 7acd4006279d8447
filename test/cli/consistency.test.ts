/**
 * The same rules for every command, through the real CLI: --version, the global options in every
 * subcommand's help, failures on stderr, one mention of a refused sensor, progress lines when stderr is
 * not a terminal, an emulator state file with token digests only, and an emulator that ends with its parent.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commandList.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { BIN, CLI_SUITE_TIMEOUT_MS, pool, runCli, tempHome } from '../helpers/runCli.js';
import { startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';

const SUBCOMMANDS = ['token replace', 'apikey create', 'apikey list', 'apikey revoke', 'admin set-password'];
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ endpoints: 150, realism: 0 });
});
/** The emulator a parent started, ended here if a failing test left it running. */
let orphan: number | undefined;
afterAll(async () => {
  await harness.close();
  if (orphan !== undefined && alive(orphan)) process.kill(orphan, 'SIGTERM');
});

describe('one set of rules for every command (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version'], { home: tempHome() });
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it("every command's help shows the global options", async () => {
    const home = tempHome();
    const names = [...COMMANDS.map((entry) => entry.name), ...SUBCOMMANDS];
    const helps = await pool(names, 3, (name) => runCli([...name.split(' '), '--help'], { home }));
    helps.forEach((help, index) => {
      expect({ command: names[index], code: help.code }).toEqual({ command: names[index], code: 0 });
      const global = help.stdout.slice(help.stdout.indexOf('Global Options:'));
      expect(global).toMatch(/^Global Options:\n/);
      for (const option of ['--json', '--home <dir>', '--version']) expect(global).toContain(`  ${option}`);
    });
  });

  it('a failed rotation is reported on stderr, not stdout', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', 'http://127.0.0.1:9'], { home, input: 'token-abc' });
    const result = await runCli(['rotate'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Rotation of "default" failed: .+\n$/);
  });

  it('a sensor Tanium refuses is named once, with a fix that is not "run again"', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', harness.url], { home, input: harness.token });
    const result = await runCli(['sync', '--sensors', 'No Such Sensor'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => !line.startsWith('Progress: '));
    expect(lines).toEqual([
      `Sync of "default" failed: Tanium Gateway answered with errors: Sensor "No Such Sensor" does not exist: a sensor must refer to an existing sensor. Choose other sensors, e.g. \`node bin/tanium-bridge.js sync --sensors 'Installed Applications,Online' --home ${home}\`.`,
      '',
    ]);
    expect(result.stderr.match(/No Such Sensor/g)).toHaveLength(1);
  });

  it('a sensor name no sensor can have is refused in one line, and nothing is saved', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', harness.url], { home, input: harness.token });
    // Blanks around a name are trimmed, as before, not refused.
    const saved = await runCli(['sync', '--streams', 'assets', '--sensors', 'Online\n'], { home });
    expect(saved.code, saved.stderr).toBe(0);
    const result = await runCli(['sync', '--sensors', 'Online,Bad\tName'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `Invalid sensor name "Bad\\tName": use each sensor's name as Tanium shows it, without control characters.\n`,
    );
    const store = SqliteStore.open(join(home, 'bridge.db'));
    try {
      expect((await store.sync.settings('default')).sensors).toEqual(['Online']);
    } finally {
      await store.close();
    }
  });

  it('sync prints progress lines on stderr when it is not a terminal', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', harness.url], { home, input: harness.token });
    const result = await runCli(['sync', '--streams', 'assets'], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Progress: [\d,]+ of 150 endpoints, \d+ pages, [\d,]+ rows\n/);
    expect(result.stdout).toMatch(/^Synced "default"/);
  });

  it('the emulator state file keeps digests, never the token it announced, and is private', async () => {
    const state = join(tempHome(), 'state.json');
    const { child, firstLine } = await startCliUntilFirstLine(['emulator', '--json', '--state', state]);
    const { token } = JSON.parse(firstLine) as { token: string };
    await stopChild(child);
    const text = readFileSync(state, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice('token-'.length));
    expect(statSync(state).mode & 0o777).toBe(0o600);
  });

  it('the emulator ends when the process that started it is killed', async () => {
    // A parent like npm: it starts the emulator, prints its pid once it listens, and is then killed
    // without a word (SIGKILL: it cannot pass anything on).
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(BIN)}, 'emulator', '--endpoints', '10'], { stdio: ['ignore', 'pipe', 'inherit'] }); c.stdout.once('data', () => console.log(c.pid)); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = Number(
      await new Promise<string>((resolve) => parent.stdout.once('data', (c) => resolve(String(c)))),
    );
    orphan = pid;
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    // It checks its parent twice a second; the polls are bounded so that a failure cannot hang the suite.
    for (let polls = 0; alive(pid) && polls < 600; polls++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
  });
});

/** Running, and not a zombie waiting for whichever process adopted it to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
