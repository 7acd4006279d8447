// Malformed and hostile input to the CLI (real processes) and to `serve` (a real process, over HTTP):
// each must be refused with one clear line (CLI) or one JSON error (HTTP), no stack trace, no raw
// Node error text, nothing written, and the server keeps serving.

import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connectedHome, newHome, ROOT, runCli, secrets, startCli, Tally } from './kit.mjs';

const DOMAINS = [
  'https://acme-api.cloud.tanium.com',
  'acme.cloud.tanium.com',
  'acme-api.cloud.tanium.com.',
  'acme-api.cloud.tanium.com.evil.com',
  'acme-api.cloud.tanium.com@evil.com',
  'acme-api.cloud.t\u0430nium.com',
  'xn--80ak6aa92e-api.cloud.tanium.com',
  '127.0.0.1',
  '*.cloud.tanium.com',
  `${'x'.repeat(60)}-api.cloud.tanium.com`,
];
const SERVERS = [
  'ftp://127.0.0.1:21',
  'http://10.0.0.1:8443',
  'http://127.0.0.1.:8443',
  'https://xn--a.example.com',
  'http://[64:ff9b::7f00:1]:8443',
  'http://[::ffff:10.0.0.1]:8443',
  'not a url',
  'https://tanium.example.com/path?x=1',
];
const PATHS = [
  '/..;/api/v2/api_tokens',
  '/%2e%2e/%2e%2e/api/v2/api_tokens',
  '/v1/..%3b/x',
  '//evil.example/x',
  'http://evil.example/x',
  '/v1/assets\r\nX-Injected: 1',
  '/v1/assets%00.json',
  '/v1/\uff0e\uff0e/x',
  '/v1\\..\\..\\x',
  '/@evil.example/x',
];
const FLAGS = [
  ['sync', '--timeout', 'soon'],
  ['sync', '--timeout', '0'],
  ['sync', '--streams', 'bogus'],
  ['sync', '--margin', 'yesterday'],
  ['rotate', '--via', 'pigeon'],
  ['rotate', '--if-due', '--share', '2'],
  ['export', 'nope'],
  ['export', 'assets', '--format', 'xml'],
  ['check', '--timeout', '-1'],
  ['status', '--name', 'Bad Name'],
  ['frobnicate'],
  ['request', 'patch', 'FETCH', '/v1/x'],
  ['request', 'nope', 'GET', '/v1/x'],
  ['request', 'platform', 'POST', '/x', '--data', '{bad'],
  ['serve', '--port', '99999'],
];

const STACK = /\n\s+at |node:internal|\bat \S+:\d+:\d+|Error: [A-Z_]+:/;

async function cliCase(t, label, args, home, input) {
  const r = await runCli(args, { home, input });
  const err = r.stderr.trim();
  t.check('CLI: non-zero exit', r.code !== 0 && r.code !== -1, `${label}: exit ${r.code}`);
  t.check(
    'CLI: one line on stderr',
    err.length > 0 && !err.includes('\n'),
    `${label}: ${JSON.stringify(err.slice(0, 160))}`,
  );
  t.check('CLI: no stack trace or raw Node error', !STACK.test(r.stderr), `${label}: ${err.slice(0, 160)}`);
  t.check('CLI: nothing on stdout', r.stdout === '', `${label}: ${r.stdout.slice(0, 80)}`);
}

export async function badCli(emu) {
  const t = new Tally('malformed input to the CLI');
  const home = await connectedHome(emu.url, emu.token);
  const empty = newHome();
  let n = 0;
  for (const domain of DOMAINS) {
    await cliCase(
      t,
      `connect --domain ${domain}`,
      ['connect', '--domain', domain, '--name', 'bad'],
      empty,
      'token-0000000000000000\n',
    );
    n++;
  }
  for (const server of SERVERS) {
    await cliCase(
      t,
      `connect --server ${server}`,
      ['connect', '--server', server, '--name', 'bad'],
      empty,
      'token-0000000000000000\n',
    );
    n++;
  }
  const status = await runCli(['status', '--json'], { home: empty });
  t.check('CLI: nothing stored after refused connects', JSON.parse(status.stdout).connections.length === 0);
  for (const path of PATHS) {
    await cliCase(t, `request patch GET ${JSON.stringify(path)}`, ['request', 'patch', 'GET', path], home);
    n++;
  }
  for (const args of FLAGS) {
    await cliCase(t, args.join(' '), args, home);
    n++;
  }
  t.note(`${n} malformed CLI invocations`);
  return { t, count: n };
}

function rawHttp(url, bytes) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let out = '';
    socket.on('data', (c) => {
      out += c;
    });
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
  });
}

export async function badServe(emu) {
  const t = new Tally('malformed requests to serve');
  const home = await connectedHome(emu.url, emu.token);
  // Showing the new key once is `apikey create`'s job: its output is the one not kept for the search.
  const created = await runCli(['apikey', 'create', '--name', 'bench', '--role', 'admin', '--json'], {
    home,
    record: false,
  });
  const key = JSON.parse(created.stdout).key;
  secrets.add(key);
  const served = startCli(['serve', '--port', '0', '--json', '--log-level', 'info', '--no-scheduler'], {
    home,
  });
  while (!served.stdoutSoFar().includes('\n')) await new Promise((r) => setTimeout(r, 50));
  const url = JSON.parse(served.stdoutSoFar().split('\n')[0]).url;
  const call = async (method, path, { body, raw, type, auth = `Bearer ${key}` } = {}) => {
    const headers = {};
    if (auth) headers.authorization = auth;
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = type ?? 'application/json';
    const reply = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    return { status: reply.status, text: await reply.text() };
  };
  const cases = [
    ['POST', '/v1/connections', { raw: '{not json' }],
    ['POST', '/v1/connections', { raw: '' }],
    ['POST', '/v1/connections', { raw: 'null' }],
    ['POST', '/v1/connections', { raw: '[1,2]' }],
    ['POST', '/v1/connections', { raw: 'name=x', type: 'application/x-www-form-urlencoded' }],
    ['POST', '/v1/connections', { raw: '{"name":"x"}', type: 'text/plain' }],
    ['POST', '/v1/connections', { body: { name: 'x', domain: 5 } }],
    ['POST', '/v1/connections', { body: { name: 'x', extra: 1 } }],
    ['POST', '/v1/connections', { body: { name: 'Bad Name', domain: 'acme-api.cloud.tanium.com' } }],
    [
      'POST',
      '/v1/connections',
      { body: { name: 'x', domain: 'https://acme-api.cloud.tanium.com', token: 't' } },
    ],
    ['POST', '/v1/connections', { body: { name: 'x', server: 'http://10.0.0.1:1', token: 't' } }],
    ['POST', '/v1/connections', { body: { name: 'x', server: 'http://[64:ff9b::a00:1]:1', token: 't' } }],
    ['POST', '/v1/connections', { raw: JSON.stringify({ name: 'x', token: 'a'.repeat(2_000_000) }) }],
    ['POST', '/v1/connections', { raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }],
    ['GET', '/v1/connections/Bad%20Name', {}],
    ['GET', '/v1/connections/..%2f..%2fetc', {}],
    ['GET', '/v1/connections/default/assets?limit=1001', {}],
    ['GET', '/v1/connections/default/assets?limit=-1', {}],
    ['GET', '/v1/connections/default/assets?bogus=1', {}],
    ['GET', '/v1/connections/default/assets?cursor=bm90LW91cnM', {}],
    ['GET', '/v1/connections/default/vulnerabilities?scoreAbove=high', {}],
    ['GET', '/v1/connections/default/runs/abc', {}],
    ['GET', '/v1/connections/default/runs/999999', {}],
    ['GET', '/v1/nope', {}],
    ['GET', '/v1/connections', { auth: null }],
    ['GET', '/v1/connections', { auth: 'Bearer tbk_0000000000000000_nope' }],
    ['GET', '/v1/connections', { auth: 'Basic YWRtaW46YWRtaW4=' }],
    ['POST', '/v1/connections/default/modules/nope/request', { body: { method: 'GET', path: '/x' } }],
    [
      'POST',
      '/v1/connections/default/modules/patch/request',
      { body: { method: 'GET', path: '/..;/api/v2/api_tokens' } },
    ],
    ['POST', '/v1/connections/default/modules/patch/request', { body: { method: 'FETCH', path: '/v1/x' } }],
    ['POST', '/v1/connections/default/sync', { body: { streams: ['nope'] } }],
    ['POST', '/v1/connections/default/sync', { body: { full: 'yes' } }],
    ['POST', '/v1/connections/default/rotate', { body: { via: 'pigeon' } }],
    ['PUT', '/v1/connections/default/schedule', { body: { syncEvery: 'sometimes' } }],
    ['POST', '/v1/session', { body: { password: 5 } }],
  ];
  for (const [method, path, options] of cases) {
    const r = await call(method, path, options);
    const label = `${method} ${path.slice(0, 60)} → ${r.status}`;
    let json;
    try {
      json = JSON.parse(r.text);
    } catch {
      json = undefined;
    }
    t.check('serve: a 4xx answer', r.status >= 400 && r.status < 500, label);
    t.check(
      'serve: one JSON error with code and message',
      typeof json?.error?.code === 'string' && typeof json?.error?.message === 'string',
      `${label}: ${r.text.slice(0, 120)}`,
    );
    t.check('serve: no stack trace', !STACK.test(r.text), label);
  }
  const raw = [
    'GARBAGE\r\n\r\n',
    'GET /v1/connections HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  ];
  for (const bytes of raw) {
    const answer = await rawHttp(url, bytes);
    t.check(
      'serve: a malformed HTTP request gets a 4xx status line',
      /^HTTP\/1\.1 4\d\d/.test(answer),
      answer.slice(0, 60),
    );
  }
  const after = await call('GET', '/v1/connections');
  t.check('serve: still serving afterwards', after.status === 200);
  served.child.kill('SIGTERM');
  const result = await served.done;
  writeFileSync(join(ROOT, 'outputs', 'serve-logs.txt'), result.stderr);
  t.check('serve: stops cleanly (exit 0)', result.code === 0, `exit ${result.code}`);
  t.note(`${cases.length + raw.length} malformed HTTP requests`);
  return { t, count: cases.length + raw.length };
}
