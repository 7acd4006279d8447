import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedAnswerProblems } from '../helpers/documentedAnswer.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli, transcript } from '../helpers/runCli.js';
import { type ApiReply, homeWithKeys, readEvents, type Served, serve } from '../helpers/serveHarness.js';

let h: Harness;
let home: string;
let admin: string;
let viewer: string;
let api: Served;
/** Every body the API answered, for the final secret search. */
const answered: string[] = [];

beforeAll(async () => {
  h = await startHarness({ endpoints: 400 });
  ({ home, admin, viewer } = await homeWithKeys(h));
  api = await serve(home, admin, ['--jobs', 'rotate', '--rotate-every', '1d']);
  const call = api.call;
  api.call = async (...args) => {
    const reply = await call(...args);
    answered.push(reply.text);
    return reply;
  };
}, 120_000);

afterAll(async () => {
  expect(await api.stop()).toBe(0);
  await h.close();
});

describe('serve: connections', () => {
  it('lists, reads, creates, edits with the Replace rules and deletes', async () => {
    const list = await api.call('GET', '/v1/connections');
    expect(list.status).toBe(200);
    expect(list.json.connections.map((c: { name: string }) => c.name)).toEqual(['default']);
    const one = await api.call('GET', '/v1/connections/default');
    expect(one.json).toMatchObject({
      name: 'default',
      kind: 'server',
      url: h.url,
      token: { masked: expect.stringMatching(/^•+\w{4}$/) },
    });

    const extra = await createToken(h);
    const created = await api.call('POST', '/v1/connections', {
      body: { name: 'second', server: h.url, token: extra.token_string },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      created: true,
      tokenReplaced: true,
      connection: { name: 'second' },
    });
    const masked = created.json.connection.token.masked;
    expect(masked.endsWith(String(extra.token_string).slice(-4))).toBe(true);

    // Blank token keeps the stored one; absent target keeps the address.
    const kept = await api.call('PATCH', '/v1/connections/second', { body: { token: '' } });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ tokenReplaced: false, connection: { url: h.url, token: { masked } } });
    // An empty domain is a validation error, not a change.
    const cleared = await api.call('PATCH', '/v1/connections/second', { body: { domain: '' } });
    expect(cleared.status).toBe(422);
    expect(cleared.json.error.message).toBe('This field is required');
    const dup = await api.call('POST', '/v1/connections', {
      body: { name: 'second', server: h.url, token: 'x' },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('connection_exists');

    expect((await api.call('DELETE', '/v1/connections/second')).status).toBe(204);
    const gone = await api.call('GET', '/v1/connections/second');
    expect(gone.status).toBe(404);
    expect(gone.json.error).toMatchObject({ code: 'connection_not_found', fix: expect.any(String) });
    expect(gone.json.error.message).not.toContain('tanium-bridge');
  });

  it('checks the token, with the per-module matrix', async () => {
    const check = await api.call('POST', '/v1/connections/default/check?modules=true');
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({ ok: true, message: 'Successfully authenticated with Tanium Cloud' });
    expect(check.json.modules).toHaveLength(10);
  });
});

describe('serve: bad input answers one error shape', () => {
  it.each([
    ['wrong type', 'POST', '/v1/connections', { name: 'x', domain: 5 }, 400, 'invalid_request'],
    [
      'unknown field',
      'POST',
      '/v1/connections',
      { name: 'x', server: 'http://127.0.0.1:1', token: 't', extra: 1 },
      400,
      'invalid_request',
    ],
    ['bad connection name', 'GET', '/v1/connections/Bad%20Name', undefined, 400, 'invalid_request'],
    [
      'invalid domain',
      'POST',
      '/v1/connections',
      { name: 'x', domain: 'https://acme.cloud.tanium.com', token: 't' },
      422,
      'invalid_input',
    ],
    [
      'unknown query parameter',
      'GET',
      '/v1/connections/default/assets?bogus=1',
      undefined,
      400,
      'invalid_request',
    ],
    [
      'limit above 1000',
      'GET',
      '/v1/connections/default/assets?limit=1001',
      undefined,
      400,
      'invalid_request',
    ],
    [
      'bad cursor',
      'GET',
      '/v1/connections/default/assets?cursor=bm90LW91cnM',
      undefined,
      400,
      'invalid_cursor',
    ],
    [
      'bad filter value',
      'GET',
      '/v1/connections/default/vulnerabilities?scoreAbove=high',
      undefined,
      422,
      'invalid_filter',
    ],
    ['unknown route', 'GET', '/v1/nope', undefined, 404, 'route_not_found'],
    [
      'unknown module',
      'POST',
      '/v1/connections/default/modules/nope/request',
      { method: 'GET', path: '/x' },
      400,
      'invalid_request',
    ],
  ])('%s → %i', async (_label, method, path, body, status, code) => {
    const reply = await api.call(method, path, body === undefined ? {} : { body });
    expect(reply.status, reply.text).toBe(status);
    expect(reply.json.error).toMatchObject({ code, message: expect.any(String), fix: expect.any(String) });
    expect(reply.text).not.toMatch(/\bat \S+:\d+:\d+/); // no stack trace
  });

  it('refuses an oversize body with 413 and a JSON error', async () => {
    const reply = await api.call('POST', '/v1/connections', {
      rawBody: JSON.stringify({ name: 'x', token: 'a'.repeat(2_000_000) }),
    });
    expect(reply.status).toBe(413);
    expect(reply.json.error.code).toBe('body_too_large');
  });

  it('refuses a body that is not JSON', async () => {
    const reply = await api.call('POST', '/v1/connections', { rawBody: '{not json' });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_json');
  });
});

describe('serve: authentication', () => {
  it('no key 401, a wrong key 401, a revoked key 401, a viewer on a write 403', async () => {
    const none = await api.call('GET', '/v1/connections', { key: null });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthenticated');
    expect((await api.call('GET', '/v1/connections', { key: 'tbk_0000000000000000_nope' })).status).toBe(401);

    expect((await api.call('GET', '/v1/connections', { key: viewer })).status).toBe(200);
    const write = await api.call('DELETE', '/v1/connections/default', { key: viewer });
    expect(write.status).toBe(403);
    expect(write.json.error.code).toBe('forbidden');
    const request = await api.call('POST', '/v1/connections/default/modules/platform/request', {
      key: viewer,
      body: { method: 'GET', path: '/session/current' },
    });
    expect(request.status).toBe(403);

    const temp = await runCli(['apikey', 'create', '--name', 'temp', '--role', 'viewer', '--json'], { home });
    const key = (JSON.parse(temp.stdout) as { key: string }).key;
    expect((await api.call('GET', '/v1/connections', { key })).status).toBe(200);
    expect((await runCli(['apikey', 'revoke', '--name', 'temp'], { home })).code).toBe(0);
    const revoked = await api.call('GET', '/v1/connections', { key });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.code).toBe('invalid_api_key');
  });

  it('the admin session: cookie HttpOnly and SameSite=Strict, CSRF on changes, sign-out ends it', async () => {
    const set = await runCli(['admin', 'set-password'], { home, input: 'a long enough passphrase\n' });
    expect(set.code, set.stderr).toBe(0);
    const login = await api.call('POST', '/v1/session', {
      key: null,
      body: { password: 'a long enough passphrase' },
    });
    expect(login.status).toBe(200);
    const cookies = ([] as string[]).concat(login.headers['set-cookie'] as string | string[]);
    const session = cookies.find((c) => c.startsWith('tb_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = login.json.csrfToken as string;

    expect((await api.call('GET', '/v1/connections', { key: null, headers: { cookie } })).status).toBe(200);
    const noCsrf = await api.call('PATCH', '/v1/connections/default', {
      key: null,
      headers: { cookie },
      body: { token: '' },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.error.code).toBe('csrf_token_invalid');
    const withCsrf = await api.call('PATCH', '/v1/connections/default', {
      key: null,
      headers: { cookie, 'x-csrf-token': csrf },
      body: { token: '' },
    });
    expect(withCsrf.status).toBe(200);

    expect((await api.call('DELETE', '/v1/session', { key: null, headers: { cookie } })).status).toBe(200);
    const after = await api.call('GET', '/v1/connections', { key: null, headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('session_expired');
  });

  it('rate-limits sign-in attempts: the sixth wrong password in a minute is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await api.call('POST', '/v1/session', { key: null, body: { password: 'wrong password!' } })).status,
      );
    expect(statuses.slice(0, 4).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('serve: sync, data and live progress', () => {
  it('starts a sync, streams its events over SSE, records the run', async () => {
    const events = readEvents(
      `${api.url}/v1/connections/default/sync/events`,
      admin,
      (e) => e.event === 'done' || e.event === 'error' || e.event === 'idle',
    );
    // The events stream may open after the run started: it then begins with `running`.
    const started = await api.call('POST', '/v1/connections/default/sync', { body: { full: true } });
    expect(started.status, started.text).toBe(202);
    expect(started.json.runId).toEqual(expect.any(Number));
    const openapi = (await api.call('GET', '/v1/openapi.json', { key: null })).json;
    const route = { path: '/v1/connections/{name}/sync', method: 'post', status: 202 } as const;
    expect(documentedAnswerProblems(openapi, route, started.json)).toEqual([]);
    expect(started.json).toMatchObject({ connection: 'default', actor: expect.any(String) });
    const again = await api.call('POST', '/v1/connections/default/sync', { body: {} });
    // Either the first is still running (409 names it) or it finished already (202 for a new one).
    if (again.status === 409)
      expect(again.json.error).toMatchObject({
        code: 'sync_running',
        details: { runId: started.json.runId },
      });
    let seen = await events;
    if (seen.at(-1)?.event === 'idle')
      seen = await readEvents(
        `${api.url}/v1/connections/default/sync/events`,
        admin,
        (e) => e.event === 'done' || e.event === 'idle',
      );
    const runs = await api.call('GET', '/v1/connections/default/runs');
    expect(runs.json.runs[0].status).not.toBe('running');
    const run = await api.call('GET', `/v1/connections/default/runs/${started.json.runId}`);
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ id: started.json.runId, status: 'complete' });
    expect((await api.call('GET', '/v1/connections/default/runs/999999')).status).toBe(404);
  });

  it('SSE of a running sync: page events, then done', async () => {
    await waitIdle();
    const started = await api.call('POST', '/v1/connections/default/sync', { body: { full: true } });
    expect(started.status).toBe(202);
    const seen = await readEvents(`${api.url}/v1/connections/default/sync/events`, admin, (e) =>
      ['done', 'error', 'idle'].includes(e.event),
    );
    const kinds = seen.map((e) => e.event);
    if (kinds[0] === 'running') {
      expect(kinds.at(-1)).toBe('done');
      expect(kinds).toContain('page');
      const page = seen.find((e) => e.event === 'page')!;
      expect(page).toMatchObject({ rows: expect.any(Number), endpointsPerSecond: expect.any(Number) });
    } else expect(kinds).toEqual(['idle']); // it ended before the stream opened
  });

  it('pages rows with filters, sort and a cursor that walks the whole set exactly once', async () => {
    await waitIdle();
    const all = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: ApiReply = await api.call(
        'GET',
        `/v1/connections/default/assets?limit=25${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.status).toBe(200);
      for (const row of reply.json.rows) all.add(row.endpoint_id);
      cursor = reply.json.nextCursor;
      pages++;
    } while (cursor !== null);
    const truth = (await (await fetch(`${h.url}/__emulator/truth`)).json()) as { endpoints: number };
    expect(all.size).toBe(truth.endpoints);
    expect(pages).toBe(Math.ceil(truth.endpoints / 25));

    const critical = await api.call(
      'GET',
      '/v1/connections/default/vulnerabilities?severity=critical&sort=cvss_score_v3&order=desc&limit=1000',
    );
    expect(critical.status).toBe(200);
    const scores = critical.json.rows.map((r: { cvss_score_v3: number | null }) => r.cvss_score_v3);
    expect(critical.json.rows.length).toBeGreaterThan(0);
    for (const row of critical.json.rows)
      expect(String(row.severity_v3 ?? row.severity).toLowerCase()).toBe('critical');
    expect([...scores].sort((a, b) => (b ?? -1) - (a ?? -1))).toEqual(scores);

    const above = await api.call('GET', '/v1/connections/default/vulnerabilities?scoreAbove=9&limit=1000');
    for (const row of above.json.rows) expect(row.cvss_score_v3 ?? row.cvss_score).toBeGreaterThan(9);
    const endpoint = all.values().next().value as string;
    const mine = await api.call(
      'GET',
      `/v1/connections/default/compliance?endpoint=${endpoint}&state=fail&limit=1000`,
    );
    for (const row of mine.json.rows) {
      expect(row.endpoint_id).toBe(endpoint);
      expect(String(row.state).toLowerCase()).toBe('fail');
    }
    const text = await api.call('GET', '/v1/connections/default/vulnerabilities?q=CVE-20&limit=5');
    expect(text.json.rows.length).toBeGreaterThan(0);
  });

  it('cancels a running sync at its next page boundary: the run ends interrupted, its pages kept', async () => {
    // A tenant of its own, large enough for many pages whatever page size earlier passes settled on,
    // and slow pages, so that the cancel arrives in the middle of the pass.
    const big = await startHarness({ endpoints: 3000 });
    try {
      const slow = await big.call('POST', '/__emulator/faults', {
        token: null,
        body: { rules: [{ path: '/plugin/products/gateway/graphql', fault: 'latency:300', rate: 1 }] },
      });
      expect(slow.status).toBe(200);
      const token = (await createToken(big)).token_string;
      const added = await api.call('POST', '/v1/connections', {
        body: { name: 'big', server: big.url, token },
      });
      expect(added.status).toBe(201);
      const started = await api.call('POST', '/v1/connections/big/sync', { body: { full: true } });
      expect(started.status).toBe(202);
      const first = await readEvents(`${api.url}/v1/connections/big/sync/events`, admin, (e) =>
        ['page', 'error', 'done', 'idle'].includes(e.event),
      );
      expect(first.at(-1)?.event).toBe('page');
      const cancel = await api.call('DELETE', '/v1/connections/big/sync');
      expect(cancel.status).toBe(202);
      expect(cancel.json).toEqual({ cancelling: true });
      await waitIdle('big');
      const run = await api.call('GET', `/v1/connections/big/runs/${started.json.runId}`);
      expect(run.json.status).toBe('interrupted');
      expect(run.json.summary.pages).toBeGreaterThanOrEqual(1);
      expect(run.json.summary.endpoints).toBeLessThan(3000);
      // The pages committed before the cancel stay stored.
      const kept = await api.call('GET', '/v1/connections/big/assets?limit=1');
      expect(kept.json.rows).toHaveLength(1);
      // Once the run has ended (its record is written just before the service forgets it), nothing runs.
      let none = await api.call('DELETE', '/v1/connections/big/sync');
      for (let i = 0; i < 50 && none.status !== 404; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        none = await api.call('DELETE', '/v1/connections/big/sync');
      }
      expect(none.status).toBe(404);
      expect(none.json.error.code).toBe('sync_not_running');
    } finally {
      // Whatever failed above, later tests must not see this connection or a sync of it still going.
      await api.call('DELETE', '/v1/connections/big/sync');
      await waitIdle('big');
      await api.call('DELETE', '/v1/connections/big');
      await big.close();
    }
  });

  it('the sensors route answers rows with their answer status', async () => {
    const reply = await api.call('GET', '/v1/connections/default/sensors?limit=5');
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.json.rows)).toBe(true);
    const vulns = await api.call('GET', '/v1/connections/default/vulnerabilities?limit=5&answer=answered');
    for (const row of vulns.json.rows) expect(row.status).toBe('answered');
  });

  it('refuses a body that is not JSON by its media type with 415', async () => {
    const reply = await api.call('POST', '/v1/connections', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(415);
    expect(reply.json.error.code).toBe('unsupported_media_type');
  });

  it('streams the whole filtered set as NDJSON and CSV', async () => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: ApiReply = await api.call(
        'GET',
        `/v1/connections/default/vulnerabilities?limit=1000&severity=high${cursor ? `&cursor=${cursor}` : ''}`,
      );
      count += page.json.rows.length;
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    expect(count).toBeGreaterThan(1000);
    const ndjson = await api.call(
      'GET',
      '/v1/connections/default/vulnerabilities?format=ndjson&severity=high',
    );
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers['content-type']).toMatch(/ndjson/);
    const lines = ndjson.text.trimEnd().split('\n');
    expect(lines.length).toBe(count);
    expect(JSON.parse(lines[0]!)).toHaveProperty('cve_id');
    const csv = await api.call('GET', '/v1/connections/default/vulnerabilities?format=csv&severity=high');
    expect(csv.text.split('\r\n')[0]).toMatch(/^endpoint_id,cve_id,/);
    expect(csv.text.trimEnd().split('\r\n').length).toBe(count + 1);
  });
});

describe('serve: rotation, modules, audit, jobs, operations', () => {
  it('rotation status, rotate now and the audit trail', async () => {
    const status = await api.call('GET', '/v1/connections/default/rotation');
    expect(status.status).toBe(200);
    expect(status.json).toHaveProperty('phase', 'idle');
    const rotated = await api.call('POST', '/v1/connections/default/rotate', { body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.json.outcome).toBe('rotated');
    const history = await api.call('GET', '/v1/connections/default/rotations');
    expect(history.json.rotations[0]).toMatchObject({ outcome: 'rotated' });
    // The stored (rotated) token still works for everything else.
    expect((await api.call('POST', '/v1/connections/default/check')).json.ok).toBe(true);
  });

  it('module requests go through the path guard and are audited without bodies or tokens', async () => {
    const ok = await api.call('POST', '/v1/connections/default/modules/patch/request', {
      body: { method: 'GET', path: '/v1/patches', query: { take: 1 } },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ status: 200, data: expect.anything() });
    const refused = await api.call('POST', '/v1/connections/default/modules/patch/request', {
      body: { method: 'GET', path: '/../../api/v2/session/current' },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.json.error.message).toMatch(/path/i);
    const notFound = await api.call('POST', '/v1/connections/default/modules/patch/request', {
      body: { method: 'POST', path: '/v1/deployments', body: { secretish: 'x'.repeat(10) } },
    });
    expect([404, 400, 502]).toContain(notFound.status);
    const audit = await api.call('GET', '/v1/audit?connection=default&limit=2');
    expect(audit.status).toBe(200);
    expect(audit.json.entries[0]).toMatchObject({
      actor: 'apikey:admin',
      connection: 'default',
      module: 'patch',
      method: 'POST',
      path: '/v1/deployments',
      requestBytes: expect.any(Number),
      requestSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(audit.json)).not.toContain('secretish');
    expect(audit.json.nextCursor).toEqual(expect.any(String));
    const next = await api.call(
      'GET',
      `/v1/audit?connection=default&limit=2&cursor=${audit.json.nextCursor}`,
    );
    expect(next.json.entries[0].id).toBeLessThan(audit.json.entries[1].id + 1);
  });

  it('jobs, health, readiness, metrics and the OpenAPI document', async () => {
    const jobs = await api.call('GET', '/v1/jobs');
    expect(jobs.status).toBe(200);
    expect(jobs.json.jobs[0]).toMatchObject({
      connection: 'default',
      job: 'rotate',
      effectiveEveryMs: 86_400_000,
    });
    const schedule = await api.call('PATCH', '/v1/connections/default/schedule', {
      body: { rotateEvery: '2h' },
    });
    expect(schedule.status).toBe(200);
    expect(schedule.json.jobs[0]).toMatchObject({ everyMs: 7_200_000, effectiveEveryMs: 7_200_000 });
    expect((await api.call('GET', '/healthz', { key: null })).status).toBe(200);
    expect((await api.call('GET', '/readyz', { key: null })).status).toBe(200);
    expect((await api.call('GET', '/metrics', { key: null })).status).toBe(401);
    const metrics = await api.call('GET', '/metrics', { key: viewer });
    expect(metrics.text).toMatch(/tanium_bridge_token_expiry_seconds\{connection="default"\} \d+/);
    expect(metrics.text).toMatch(/tanium_bridge_rows\{connection="default",stream="assets"\} \d+/);
    expect(metrics.text).toMatch(/tanium_bridge_seconds_since_last_sync\{connection="default"\}/);
    expect(metrics.text).toMatch(
      /tanium_bridge_http_request_duration_seconds_bucket\{.*route="\/v1\/connections"/,
    );
    const openapi = await api.call('GET', '/v1/openapi.json', { key: null });
    expect(openapi.json.openapi).toBe('3.1.0');
    for (const path of ['/v1/connections', '/v1/connections/{name}/sync/events', '/v1/audit', '/v1/jobs'])
      expect(Object.keys(openapi.json.paths)).toContain(path);
  });
});

describe('serve: secrets', () => {
  it('no token string in any answer, log line or file of the home folder', async () => {
    const tokens = [h.token];
    const stored = await runCli(['rotations', '--json'], { home });
    expect(stored.code).toBe(0);
    const texts = [...answered, api.logs(), ...transcript];
    for (const token of tokens) for (const text of texts) expect(text).not.toContain(token);
    expect(JSON.stringify(texts)).not.toMatch(/token-[0-9a-f]{20,}/);
    for (const file of readdirSync(home)) {
      const path = join(home, file);
      if (!statSync(path).isFile()) continue;
      expect(readFileSync(path).includes(Buffer.from(h.token)), path).toBe(false);
    }
  });
});

async function waitIdle(connection = 'default'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const runs = await api.call('GET', `/v1/connections/${connection}/runs?limit=1`);
    if (runs.json.runs[0]?.status !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
