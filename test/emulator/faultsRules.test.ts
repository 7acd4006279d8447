import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface RulesView {
  seed: number;
  rules: Record<string, unknown>[];
}
interface Stats {
  requests: { total: number; byRoute: Record<string, number> };
  faults: { total: number; byKind: Record<string, number> };
  authFailures: { missing: number; unknown: number; expired: number; untrusted: number };
}

const install = (h: Harness, rules: unknown) =>
  h.call<RulesView & { text: string }>('POST', '/__emulator/faults', { body: { rules }, token: null });
const stats = async (h: Harness) => (await h.call<Stats>('GET', '/__emulator/stats', { token: null })).json;

/** Sends `n` GETs of the current session and answers the status pattern ('.' = 200, 'x' = fault). */
async function pattern(h: Harness, n: number): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++)
    out += (await h.call('GET', '/api/v2/session/current')).status === 200 ? '.' : 'x';
  return out;
}

describe('emulator faults: rules, determinism and stats', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });

  it('is off by default, and installs, shows and clears rules', async () => {
    expect((await h.call<RulesView>('GET', '/__emulator/faults', { token: null })).json.rules).toEqual([]);
    const installed = await install(h, [
      { method: 'get', path: '/api/v2/api_tokens', fault: 'status:429', count: 2 },
      { path: '/plugin/products/gateway/graphql', operation: 'apiTokenRotate', fault: 'reset', rate: 0.5 },
    ]);
    expect(installed.status).toBe(200);
    expect(installed.json).toEqual({
      seed: 1,
      rules: [
        {
          method: 'GET',
          path: '/api/v2/api_tokens',
          fault: 'status:429',
          count: 2,
          retryAfter: 1,
          applied: 0,
        },
        {
          method: '*',
          path: '/plugin/products/gateway/graphql',
          operation: 'apiTokenRotate',
          fault: 'reset',
          rate: 0.5,
          applied: 0,
        },
      ],
    });
    expect((await h.call<RulesView>('GET', '/__emulator/faults', { token: null })).json).toEqual(
      installed.json,
    );
    const cleared = await h.call<RulesView>('DELETE', '/__emulator/faults', { token: null });
    expect(cleared.json.rules).toEqual([]);
    expect((await h.call('GET', '/api/v2/api_tokens')).status).toBe(200);
  });

  it.each([
    [{ rules: 'x' }, 'field "rules" is required'],
    [{ rules: [], extra: 1 }, 'unknown field "extra"'],
    [{ rules: [{ path: '/api/v2/*', fault: 'boom', count: 1 }] }, 'rules[0].fault "boom" is not a fault'],
    [{ rules: [{ path: '/api/v2/*', count: 1 }] }, 'rules[0].fault is required; allowed values: status:CODE'],
    [{ rules: [{ path: '/api/v2/*', fault: 'status:302', count: 1 }] }, 'from 400 to 599'],
    [{ rules: [{ path: '/api/v2/*', fault: 'latency:-5', count: 1 }] }, 'whole milliseconds'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset' }] }, 'rules[0] needs exactly one of "rate"'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset', rate: 0.5, count: 1 }] }, 'exactly one of'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset', rate: 1.5 }] }, 'rules[0].rate must be a number'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset', count: 0 }] }, 'rules[0].count must be a whole number'],
    [
      { rules: [{ method: 'FETCH', path: '/a', fault: 'reset', count: 1 }] },
      'rules[0].method must be one of *',
    ],
    [{ rules: [{ path: 'api/v2', fault: 'reset', count: 1 }] }, 'rules[0].path must start with "/"'],
    [{ rules: [{ path: '/a*b', fault: 'reset', count: 1 }] }, 'only at its end'],
    [{ rules: [{ path: '/__emulator/clock', fault: 'reset', count: 1 }] }, 'never apply'],
    [{ rules: [{ path: '/api/v2/*', operation: 'x', fault: 'reset', count: 1 }] }, 'only to the Gateway'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset', count: 1, retryAfter: 3 }] }, 'only to status faults'],
    [{ rules: [{ path: '/api/v2/*', fault: 'reset', count: 1, speed: 3 }] }, 'rules[0].speed is not a rule'],
  ])('refuses bad rules with a 400 naming the field, and installs nothing (%j)', async (body, message) => {
    await install(h, [{ path: '/api/v2/api_tokens', fault: 'status:500', count: 5 }]);
    const reply = await h.call<{ text: string }>('POST', '/__emulator/faults', { body, token: null });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain('InvalidFaultRules: ');
    expect(reply.json.text).toContain(message);
    const shown = await h.call<RulesView>('GET', '/__emulator/faults', { token: null });
    expect(shown.json.rules.map((r) => r['fault'])).toEqual(['status:500']);
  });

  it('refuses the whole set when a later rule is bad', async () => {
    const reply = await install(h, [
      { path: '/api/v2/api_tokens', fault: 'status:500', count: 1 },
      { path: '/api/v2/api_tokens', fault: 'status:5000', count: 1 },
    ]);
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain('rules[1].fault');
    expect((await h.call<RulesView>('GET', '/__emulator/faults', { token: null })).json.rules).toEqual([]);
  });

  it('applies a count rule exactly n times, then lets requests through', async () => {
    await install(h, [{ method: 'GET', path: '/api/v2/session/current', fault: 'status:502', count: 3 }]);
    expect(await pattern(h, 6)).toBe('xxx...');
    const shown = await h.call<RulesView>('GET', '/__emulator/faults', { token: null });
    expect(shown.json.rules[0]?.['applied']).toBe(3);
  });

  it('matches method, exact path and prefix; the first rule that fires wins; exhausted counts fall through', async () => {
    await install(h, [
      { method: 'POST', path: '/api/v2/session/current', fault: 'status:500', count: 10 },
      { method: 'GET', path: '/api/v2/session/*', fault: 'status:501', count: 1 },
      { method: '*', path: '/api/v2/session/current', fault: 'status:502', count: 1 },
    ]);
    expect((await h.call('GET', '/api/v2/session/current')).status).toBe(501);
    expect((await h.call('GET', '/api/v2/session/current')).status).toBe(502);
    expect((await h.call('GET', '/api/v2/session/current?x=1')).status).toBe(200);
    expect((await h.call('GET', '/api/v2/api_tokens')).status).toBe(200);
  });

  it('lets the next rule try when a rate rule does not fire, so several rate rules share a path', async () => {
    await install(h, [
      { method: 'GET', path: '/api/v2/session/current', fault: 'status:501', rate: 0.3 },
      { method: 'GET', path: '/api/v2/session/current', fault: 'status:502', rate: 0.3 },
    ]);
    const seen = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const status = (await h.call('GET', '/api/v2/session/current')).status;
      seen.set(status, (seen.get(status) ?? 0) + 1);
    }
    expect(seen.get(501)).toBeGreaterThan(35);
    expect(seen.get(502)).toBeGreaterThan(20);
    expect(seen.get(200)).toBeGreaterThan(60);
  });

  it('never applies faults to /__emulator/* routes, even under a catch-all rule', async () => {
    await install(h, [{ path: '*', fault: 'status:503', rate: 1 }]);
    expect((await h.call('GET', '/__emulator/clock', { token: null })).status).toBe(200);
    expect((await h.call('GET', '/__emulator/stats', { token: null })).status).toBe(200);
    expect((await h.call('GET', '/api/v2/session/current')).status).toBe(503);
  });

  it('does not fault (or use up counts on) requests that fail authentication', async () => {
    await install(h, [{ path: '/api/v2/session/current', fault: 'status:500', count: 1 }]);
    expect((await h.call('GET', '/api/v2/session/current', { token: null })).status).toBe(401);
    expect((await h.call('GET', '/api/v2/session/current')).status).toBe(500);
  });

  it('repeats the same fault pattern for the same seed, at roughly the rate', async () => {
    const rule = { method: 'GET', path: '/api/v2/session/current', fault: 'status:503', rate: 0.25 };
    await install(h, [rule]);
    const first = await pattern(h, 400);
    await install(h, [rule]); // installing reseeds
    const second = await pattern(h, 400);
    expect(second).toBe(first);
    const faults = first.split('').filter((c) => c === 'x').length;
    expect(faults).toBeGreaterThan(70);
    expect(faults).toBeLessThan(130);

    const other = await startHarness({ seed: 7 });
    try {
      await install(other, [rule]);
      expect(await pattern(other, 400)).not.toBe(first);
    } finally {
      await other.close();
    }
  });

  it('counts requests per route, faults per kind and authentication failures per reason, and resets', async () => {
    await h.call('DELETE', '/__emulator/stats', { token: null });
    await install(h, [
      { method: 'GET', path: '/api/v2/api_tokens', fault: 'status:503', count: 2 },
      { method: 'GET', path: '/api/v2/session/current', fault: 'latency:1', count: 1 },
    ]);
    for (let i = 0; i < 3; i++) await h.call('GET', '/api/v2/api_tokens');
    await h.call('GET', '/api/v2/session/current');
    const victim = await createToken(h, { expire_in_days: 1 });
    const untrusted = await createToken(h, { trusted_ip_addresses: '10.9.9.9' });
    await h.call('GET', `/api/v2/api_tokens/${victim.id}`);
    await h.call('GET', '/api/v2/api_tokens', { token: null });
    await h.call('GET', '/api/v2/api_tokens', { token: 'token-00ff' });
    await h.call('GET', '/api/v2/api_tokens', { token: untrusted.token_string! });
    await h.advance('2d');
    await h.call('GET', '/api/v2/api_tokens', { token: victim.token_string! });
    await h.gql('{ now }', undefined, victim.token_string!);

    const seen = await stats(h);
    expect(seen.requests.byRoute).toEqual({
      'GET /api/v2/api_tokens': 7,
      'GET /api/v2/session/current': 1,
      'POST /api/v2/api_tokens': 2,
      'GET /api/v2/api_tokens/:id': 1,
      'POST /plugin/products/gateway/graphql': 1,
    });
    expect(seen.requests.total).toBe(12);
    expect(seen.faults).toEqual({ total: 3, byKind: { 'status:503': 2, 'latency:1': 1 } });
    expect(seen.authFailures).toEqual({ missing: 1, unknown: 1, expired: 2, untrusted: 1 });

    const reset = await h.call<Stats>('DELETE', '/__emulator/stats', { token: null });
    expect(reset.json).toEqual({
      requests: { total: 0, byRoute: {} },
      faults: { total: 0, byKind: {} },
      authFailures: { missing: 0, unknown: 0, expired: 0, untrusted: 0 },
    });
    await h.call('GET', '/api/v2/session/current');
    expect((await stats(h)).requests).toEqual({ total: 1, byRoute: { 'GET /api/v2/session/current': 1 } });
  });
});
