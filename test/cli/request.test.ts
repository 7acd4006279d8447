/**
 * `tanium-bridge request <module> <METHOD> <path>` as a real process against the emulator: every
 * module's probe route, writes with --data, hostile paths refused before any request, retries.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/sdk/index.js';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS, pool, runCli, tempHome, transcript } from '../helpers/runCli.js';

interface Stats {
  requests: { total: number; byRoute: Record<string, number> };
  faults: { total: number };
}

/** Malformed or hostile paths: each must be refused by the SDK before a request exists. */
const HOSTILE_PATHS: readonly string[] = [
  'http://x',
  'https://evil.example/steal',
  'HTTP://EVIL.EXAMPLE',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'mailto:x@y',
  '//evil',
  '//evil.example/v1/assets',
  '/..%2f..%2fapi/v2/api_tokens',
  '..%2f..',
  '/../api/v2/api_tokens',
  '/v1/../../x',
  '/.',
  '/%2e%2e/%2e%2e/api/v2',
  '/%252e%252e/%252e%252e/x',
  '/v1/assets%0d%0aX-Injected:%201',
  '/v1/assets%0a',
  '/v1/%00',
  '/v1/assets\r\nsession: x',
  '/v1/assets\ttab',
  '/v1/\u0007bell',
  '/v1/\u0085',
  '\\\\evil\\share',
  '/v1\\..\\..\\x',
  '/v1/%5c..%5cx',
  '/..;/api/v2/api_tokens',
  '/%2e%2e;/x',
  '/..%3b/x',
  '/%252e%252e%253b/x',
  '@evil.example/x',
  '/v1@evil.example',
  '/v1/assets#frag',
  '/v1/ assets',
  '/%zz',
  '',
];

describe('request (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  let h: Harness;
  let home: string;
  const stats = async () => (await h.call<Stats>('GET', '/__emulator/stats', { token: null })).json;
  const faults = (rules: unknown[]) => h.call('POST', '/__emulator/faults', { token: null, body: { rules } });

  beforeAll(async () => {
    h = await startHarness();
    home = tempHome();
    const saved = await runCli(['connect', '--server', h.url], { home, input: h.token });
    expect(saved.code, saved.stderr).toBe(0);
  });
  afterEach(async () => {
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });
  afterAll(() => h.close());

  it.each(MODULES.map((m) => [m.key, m.probe] as const))(
    'GET on the %s probe route prints its JSON answer',
    async (key, probe) => {
      const pretty = await runCli(['request', key, 'GET', probe], { home });
      expect(pretty.code, pretty.stderr).toBe(0);
      expect(pretty.stderr).toBe('');
      const body = JSON.parse(pretty.stdout) as unknown;
      expect(body).toBeTypeOf('object');
      expect(pretty.stdout).toBe(`${JSON.stringify(body, null, 2)}\n`);
      const line = await runCli(['request', key, 'get', probe, '--json'], { home });
      expect(line.code).toBe(0);
      // One line (answers may differ between calls, e.g. last_login, so compare the shape only).
      expect(line.stdout.split('\n')).toHaveLength(2);
      expect(Object.keys(JSON.parse(line.stdout) as object)).toEqual(Object.keys(body as object));
    },
  );

  it('POSTs --data inline and from @file; the write is applied once', async () => {
    const before = await stats();
    const inline = await runCli(
      [
        'request',
        'connect',
        'POST',
        '/v1/connections',
        '--json',
        '--data',
        '{"name":"Inline","destinationType":"file","streams":["/v1/sources/savedquestions/1"]}',
      ],
      { home },
    );
    expect(inline.code, inline.stderr).toBe(0);
    expect(JSON.parse(inline.stdout)).toMatchObject({ name: 'Inline' });
    const file = join(tempDir(), 'body.json');
    writeFileSync(file, JSON.stringify({ name: 'From file', destinationType: 'file', streams: ['/x'] }));
    const fromFile = await runCli(['request', 'connect', 'POST', '/v1/connections', '--data', `@${file}`], {
      home,
    });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ name: 'From file' });
    const after = await stats();
    expect(after.requests.byRoute['POST /plugin/products/connect/v1/connections']).toBe(
      (before.requests.byRoute['POST /plugin/products/connect/v1/connections'] ?? 0) + 2,
    );
    const list = await runCli(['request', 'connect', 'GET', '/v1/connections', '--json'], { home });
    const names = JSON.stringify(JSON.parse(list.stdout));
    expect(names).toContain('"Inline"');
    expect(names).toContain('"From file"');
  });

  it('refuses bad input with one line and sends nothing', async () => {
    const dir = tempDir();
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{"name": ');
    const before = await stats();
    const cases: [string[], RegExp][] = [
      [
        ['request', 'nope', 'GET', '/x'],
        /^Unknown module "nope": use one of platform, asset, comply, connect, deploy, enforce, integrity-monitor, patch, reputation, threat-response\.$/,
      ],
      [
        ['request', 'patch', 'TRACE', '/x'],
        /^Invalid method "TRACE": use one of GET, POST, PUT, PATCH, DELETE\.$/,
      ],
      [
        ['request', 'patch', 'POST', '/x', '--data', '{bad'],
        /^Invalid JSON in the --data value: .*Give a JSON document/,
      ],
      [
        ['request', 'patch', 'POST', '/x', '--data', `@${notJson}`],
        /^Invalid JSON in the file .*bad\.json: /,
      ],
      [
        ['request', 'patch', 'POST', '/x', '--data', `@${join(dir, 'missing.json')}`],
        /^Cannot read --data file .*missing\.json \(ENOENT\)\.$/,
      ],
      [['request', 'patch', 'POST', '/x', '--data', '@'], /^Invalid --data "@"/],
      [['request', 'patch', 'GET', '/x', '--data', '{}'], /^--data cannot be sent with GET/],
      [['request', 'patch', 'GET', '/x', '--name', 'other'], /^No connection named "other"/],
    ];
    await pool(cases, 4, async ([args, pattern]) => {
      const result = await runCli(args, { home });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd()).toMatch(pattern);
      expect(result.stderr.split('\n'), result.stderr).toHaveLength(2);
    });
    expect((await stats()).requests.total).toBe(before.requests.total);
  });

  it(`refuses ${HOSTILE_PATHS.length} malformed or hostile paths, each with one line, before any request`, async () => {
    expect(HOSTILE_PATHS.length).toBeGreaterThanOrEqual(25);
    const before = await stats();
    const results = await pool(HOSTILE_PATHS, 4, (path) =>
      runCli(['request', 'asset', 'GET', path], { home }),
    );
    results.forEach((result, i) => {
      const path = JSON.stringify(HOSTILE_PATHS[i]);
      expect(result.code, path).toBe(1);
      expect(result.stdout, path).toBe('');
      expect(result.stderr, path).toMatch(/^Invalid request path ".*": .+\n$/);
      expect(result.stderr.split('\n'), path).toHaveLength(2);
    });
    const after = await stats();
    expect(after.requests.total).toBe(before.requests.total);
  });

  it('an API error prints one line with the status and Tanium text, exit 1', async () => {
    const result = await runCli(['request', 'patch', 'GET', '/v1/patches/does-not-exist'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^Not found \(HTTP 404\) for GET \/plugin\/products\/patch\/v1\/patches\/does-not-exist .*Tanium said: /,
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it("never prints the connection's own token, even when an answer echoes it", async () => {
    const file = join(tempDir(), 'session.json');
    writeFileSync(file, JSON.stringify({ session: h.token }));
    const result = await runCli(['request', 'platform', 'POST', '/session/validate', '--data', `@${file}`], {
      home,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[REDACTED]');
    expect(result.stdout).not.toContain(h.token);
  });

  it('429 on a GET: waits at least Retry-After, then succeeds (one retry)', async () => {
    await faults([
      {
        method: 'GET',
        path: '/plugin/products/patch/v1/patches',
        fault: 'status:429',
        retryAfter: 1,
        count: 1,
      },
    ]);
    const before = await stats();
    const started = Date.now();
    const result = await runCli(['request', 'patch', 'GET', '/v1/patches?take=1', '--json'], { home });
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    const after = await stats();
    expect(after.requests.byRoute['GET /plugin/products/patch/v1/patches']).toBe(
      (before.requests.byRoute['GET /plugin/products/patch/v1/patches'] ?? 0) + 2,
    );
    expect(after.faults.total - before.faults.total).toBe(1);
  });

  it('503 on a POST: sent exactly once, the error surfaces', async () => {
    await faults([
      { method: 'POST', path: '/plugin/products/connect/v1/connections', fault: 'status:503', count: 5 },
    ]);
    const before = await stats();
    const result = await runCli(
      [
        'request',
        'connect',
        'POST',
        '/v1/connections',
        '--data',
        '{"name":"Once","destinationType":"file","streams":["/x"]}',
      ],
      { home },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Tanium server error \(HTTP 503\) for POST \/plugin\/products\/connect\/v1\/connections\./,
    );
    const after = await stats();
    expect(after.requests.byRoute['POST /plugin/products/connect/v1/connections']).toBe(
      (before.requests.byRoute['POST /plugin/products/connect/v1/connections'] ?? 0) + 1,
    );
  });

  it('secret search: the token is in no printed line and no home folder file', () => {
    const printed = transcript.join('\n');
    expect(printed.length).toBeGreaterThan(0);
    expect(printed).not.toContain(h.token);
    expect(printed).not.toContain(h.token.replace(/^token-/, ''));
    for (const file of readdirSync(home)) {
      const path = join(home, file);
      if (!statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(h.token)), path).toBe(false);
      expect(bytes.includes(Buffer.from(h.token.replace(/^token-/, ''))), path).toBe(false);
    }
  });
});
