import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/emulatorHarness.js';
import { CLI, startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';

describe('tanium-bridge emulator --faults FILE --seed S', () => {
  it("installs the file's rules at start, with the given seed", async () => {
    const file = join(tempDir(), 'faults.json');
    writeFileSync(
      file,
      JSON.stringify({
        rules: [{ method: 'GET', path: '/api/v2/session/current', fault: 'status:429', count: 1 }],
      }),
    );
    const { child, firstLine } = await startCliUntilFirstLine([
      'emulator',
      '--port',
      '0',
      '--json',
      '--faults',
      file,
      '--seed',
      '42',
    ]);
    try {
      const { url, token } = JSON.parse(firstLine) as { url: string; token: string };
      const shown = await request(`${url}/__emulator/faults`);
      expect(await shown.body.json()).toMatchObject({ seed: 42, rules: [{ fault: 'status:429', count: 1 }] });
      const first = await request(`${url}/api/v2/session/current`, { headers: { session: token } });
      expect(first.statusCode).toBe(429);
      expect(first.headers['retry-after']).toBe('1');
      expect(await first.body.json()).toEqual({ text: 'Too Many Requests' });
      const second = await request(`${url}/api/v2/session/current`, { headers: { session: token } });
      await second.body.text();
      expect(second.statusCode).toBe(200);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  });

  const refuse = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'emulator', '--port', '0', ...args], {
      encoding: 'utf8',
      timeout: 10_000,
    });

  it.each([
    [
      '{"rules": [{"path": "/api/v2/*", "fault": "boom", "count": 1}]}',
      'has a bad rule: rules[0].fault "boom" is not a fault',
    ],
    [
      '{"rules": [{"path": "/api/v2/*", "fault": "reset"}]}',
      'has a bad rule: rules[0] needs exactly one of "rate"',
    ],
    ['{"rules": ', 'is not valid JSON'],
  ])('refuses a bad faults file with one line naming the problem (%s)', (content, message) => {
    const file = join(tempDir(), 'faults.json');
    writeFileSync(file, content);
    const result = refuse(['--faults', file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`The faults file ${file}`);
    expect(result.stderr).toContain(message);
  });

  it('refuses a missing faults file and a seed that is not a whole number', () => {
    const missing = refuse(['--faults', '/nonexistent/faults.json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('Cannot read the faults file /nonexistent/faults.json: no such file.');
    const seed = refuse(['--seed', 'abc']);
    expect(seed.status).toBe(1);
    expect(seed.stderr.trim()).toBe('Invalid --seed "abc": use a whole number from 0 to 2147483647.');
  });
});
