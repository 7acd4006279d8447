/**
 * Failures a new user causes, through the real CLI: one exact line on stderr naming what is wrong and
 * the fix, the documented exit code (docs/cli.md), no Node error text, and nothing written where it
 * should not be.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVALID_DOMAIN_MESSAGE } from '../../src/connections/domain.js';
import { BIN, CLI_SUITE_TIMEOUT_MS, runCli, tempHome } from '../helpers/runCli.js';

/** runCli starts the CLI from this folder (the clone), so hints spell the entry point relative to it. */
const CLI = `node ${relative(process.cwd(), BIN)}`;
const TOKEN = 'token-firsthour000000000000000000';

describe('first-hour errors (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('a corrupt database: names the file and the recovery, and leaves it as it was', async () => {
    const home = tempHome();
    const db = join(home, 'bridge.db');
    writeFileSync(db, 'this is not a database, just text that is long enough for a header......');
    const result = await runCli(['status'], { home });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot open the database ${db}: it is not a SQLite database. Move it aside (\`mv ${db} ${db}.damaged\`) and connect again, or restore it from a backup.\n`,
    });
    expect(readFileSync(db, 'utf8')).toMatch(/^this is not a database/);
    expect(readdirSync(home)).toEqual(['bridge.db']);
  });

  it('a home that is a file, under a file, or where no folder can be made (no hang under /proc)', async () => {
    const base = tempHome();
    const file = join(base, 'afile');
    writeFileSync(file, '');
    const cases = [
      [file, 'a file of that name is in the way'],
      [join(file, 'x'), 'a part of the path is a file, not a folder'],
      ['/proc/tanium-bridge-x', 'no folder can be created there'],
    ] as const;
    for (const [home, reason] of cases) {
      const result = await runCli(['status'], { home });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `Cannot use ${home} as the home folder: ${reason}. Choose another with --home DIR (or TANIUM_BRIDGE_HOME).\n`,
      });
    }
    expect(readdirSync(base)).toEqual(['afile']);
  });

  it('sync before connect says to connect first, with the same --home, and creates no connection', async () => {
    const home = tempHome();
    expect(CLI).toBe('node bin/tanium-bridge.js');
    const result = await runCli(['sync'], { home });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `No connection named "default". Run \`${CLI} connect --domain <customer>-api.cloud.tanium.com --home ${home}\` first.\n`,
    });
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });

  it('--json ends with an error object on stdout', async () => {
    const home = tempHome();
    const result = await runCli(['sync', '--json'], { home });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) as string)).toEqual({
      error: {
        code: 'connection_not_found',
        message: `No connection named "default". Run \`${CLI} connect --domain <customer>-api.cloud.tanium.com --home ${home}\` first.`,
      },
    });
  });

  it('a bad --domain: the exact source message, then the reason on the next line; nothing stored', async () => {
    const home = tempHome();
    const cases = [
      ['https://acme-api.cloud.tanium.com', 'It is a URL: give the hostname alone, without https://.'],
      [
        'acme.cloud.tanium.com',
        "The name before .cloud.tanium.com must end with -api: the API's host, not the console's <customer>.cloud.tanium.com.",
      ],
      ['acme-api.cloud.tanium.com:443', 'It has a port: the API domain takes none.'],
    ] as const;
    for (const [domain, reason] of cases) {
      const result = await runCli(['connect', '--domain', domain], { home, input: TOKEN });
      expect(result).toEqual({ code: 1, stdout: '', stderr: `${INVALID_DOMAIN_MESSAGE}\n${reason}\n` });
    }
    expect(INVALID_DOMAIN_MESSAGE).toContain(
      'Invalid API domain: invalid API domain format: expected `<customer>-api.cloud.tanium.com`',
    );
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });

  it('connect refuses tokens with whitespace or control characters, or over 4 KiB, with the reason', async () => {
    const home = tempHome();
    const args = ['connect', '--server', 'http://127.0.0.1:9'];
    const spaced = await runCli(args, { home, input: 'token-abc def' });
    expect(spaced).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Refusing the token: it holds a space, line break or control character, which no API token has. Pipe the token alone, on one line.\n',
    });
    const lines = await runCli(args, { home, input: 'token-abc\ntoken-def\n' });
    expect(lines.stderr).toBe(spaced.stderr);
    const huge = await runCli(args, { home, input: `token-${'a'.repeat(5000)}` });
    expect(huge).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Refusing the token: it is 5,006 bytes, more than the 4,096 any API token has. Pipe the token alone.\n',
    });
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });

  it('rotate refuses --every and --share without --if-due, before touching the home', async () => {
    const home = join(tempHome(), 'never-made');
    for (const option of ['--every', '--share'] as const) {
      const result = await runCli(['rotate', option, option === '--every' ? '1d' : '0.5'], { home });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `Refusing ${option} without --if-due: it only says when a rotation is due, and rotate without --if-due rotates now. Add --if-due, or leave ${option} out.\n`,
      });
    }
    expect(existsSync(home)).toBe(false);
  });

  it('export --out that cannot be written: one line, and no file under the final name', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', 'http://127.0.0.1:9'], { home, input: TOKEN });
    const missing = join(home, 'no-such-folder', 'out.csv');
    const result = await runCli(['export', 'assets', '--out', missing], { home });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot use ${missing} as the output file: its folder does not exist. Choose another file with --out, or leave --out out to write to standard output.\n`,
    });
    const folder = join(home, 'a-folder');
    mkdirSync(folder);
    const onFolder = await runCli(['export', 'assets', '--out', folder], { home });
    expect(onFolder.stderr).toBe(
      `Cannot use ${folder} as the output file: it is a folder. Choose another file with --out, or leave --out out to write to standard output.\n`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(readdirSync(home).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('export --out replaces a file of another mode with a private (0600) one', async () => {
    const home = tempHome();
    await runCli(['connect', '--server', 'http://127.0.0.1:9'], { home, input: TOKEN });
    const out = join(home, 'old.ndjson');
    writeFileSync(out, 'old contents\n');
    chmodSync(out, 0o644);
    const result = await runCli(['export', 'assets', '--out', out], { home });
    expect(result).toEqual({ code: 0, stdout: `Exported 0 assets rows to ${out} (ndjson).\n`, stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('emulator: an unusable --state or --host is one line, exit 1', async () => {
    const home = tempHome();
    const state = join(home, 'a-folder');
    mkdirSync(state);
    const onFolder = await runCli(['emulator', '--state', state], { home });
    expect(onFolder).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot use ${state} as the state file: it is a folder. Choose another file with --state.\n`,
    });
    const host = await runCli(['emulator', '--host', 'no-such-host.invalid'], { home });
    expect(host).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Cannot listen on no-such-host.invalid: it is not an address of this machine. Use one with --host, such as 127.0.0.1.\n',
    });
  });
});
