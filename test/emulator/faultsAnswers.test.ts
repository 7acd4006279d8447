import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursorExpiryInjected, EmulatorFaults, parseFaultRules } from '../../src/emulator/faults/index.js';
import { GATEWAY_PATH } from '../../src/emulator/gateway/graphqlRoute.js';
import { buildEmulatorApp, EmulatorState } from '../../src/emulator/index.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const install = (h: Harness, rules: unknown) =>
  h.call('POST', '/__emulator/faults', { body: { rules }, token: null });

describe('emulator faults: injected answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });

  it('answers status:429 on REST with Retry-After and {"text":"Too Many Requests"}', async () => {
    await install(h, [{ method: 'GET', path: '/api/v2/api_tokens', fault: 'status:429', count: 1 }]);
    const reply = await h.call('GET', '/api/v2/api_tokens');
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('1');
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json).toEqual({ text: 'Too Many Requests' });
  });

  it('answers status:429 on the Gateway with the rule\'s Retry-After and {"errors":[{"message":"rate limited"}]}', async () => {
    await install(h, [{ path: GATEWAY_PATH, fault: 'status:429', retryAfter: 7, count: 1 }]);
    const reply = await h.gql('{ now }');
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('7');
    expect(reply.json).toEqual({ errors: [{ message: 'rate limited' }] });
  });

  it('answers status:503 with an HTML page, as a cloud edge does', async () => {
    await install(h, [{ path: '/api/v2/*', fault: 'status:503', count: 1 }]);
    const reply = await h.call('GET', '/api/v2/session/current');
    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.text).toContain('<h1>503 Service Temporarily Unavailable</h1>');
    expect(reply.json).toBeUndefined();
  });

  it('answers other statuses with the surface error shape, and never runs the handler', async () => {
    await install(h, [
      { method: 'POST', path: '/api/v2/api_tokens', fault: 'status:500', count: 1 },
      { path: GATEWAY_PATH, fault: 'status:502', count: 1 },
    ]);
    const before = (await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens')).json.data.length;
    const rest = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', { body: {} });
    expect(rest.status).toBe(500);
    expect(rest.json.text).toMatch(/^InjectedFault: 500 Internal Server Error/);
    expect((await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens')).json.data.length).toBe(before);
    const gateway = await h.gql<{ errors: { message: string }[]; data: null }>('{ now }');
    expect(gateway.status).toBe(502);
    expect(gateway.json.errors[0]?.message).toMatch(/^InjectedFault: 502 Bad Gateway/);
    expect(gateway.json.data).toBeNull();
  });

  it('delays the answer by latency:MS, then serves it normally', async () => {
    await install(h, [{ method: 'GET', path: '/api/v2/session/current', fault: 'latency:300', count: 1 }]);
    const started = performance.now();
    const reply = await h.call('GET', '/api/v2/session/current');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(reply.status).toBe(200);
  });

  it('answers graphql-error with HTTP 200 and errors[] on the Gateway, and as status:500 elsewhere', async () => {
    await install(h, [
      { path: GATEWAY_PATH, fault: 'graphql-error', count: 1 },
      { path: '/api/v2/session/current', fault: 'graphql-error', count: 1 },
    ]);
    const gateway = await h.gql<{ errors: { message: string }[]; data: null }>('{ now }');
    expect(gateway.status).toBe(200);
    expect(gateway.json.data).toBeNull();
    expect(gateway.json.errors[0]?.message).toContain('injected');
    const rest = await h.call<{ text: string }>('GET', '/api/v2/session/current');
    expect(rest.status).toBe(500);
    expect(rest.json.text).toContain('InjectedFault: 500');
  });

  it('targets one Gateway operation by root field or operation name', async () => {
    await install(h, [
      { path: GATEWAY_PATH, operation: 'ping', fault: 'status:500', count: 1 },
      { path: GATEWAY_PATH, operation: 'Clock', fault: 'status:501', count: 1 },
    ]);
    expect((await h.gql('{ now }')).status).toBe(200);
    expect((await h.gql('query Clock { now }')).status).toBe(501);
    expect((await h.gql('mutation { ping }')).status).toBe(500);
    expect((await h.gql('mutation { ping }')).status).toBe(200);
  });
});

describe('emulator faults: expire-cursor marks the request for the cursor check', () => {
  let app: FastifyInstance;
  let url: string;
  const faults = new EmulatorFaults(1);

  beforeAll(async () => {
    const state = EmulatorState.open();
    // A stand-in Gateway that reports what the cursor check would see.
    const probe = (instance: FastifyInstance) => {
      instance.post(GATEWAY_PATH, async (req) => ({
        expireCursor: cursorExpiryInjected(req),
        flag: req.faults?.expireCursor === true,
      }));
      instance.get('/api/v2/probe', async (req) => ({ expireCursor: cursorExpiryInjected(req) }));
    };
    app = buildEmulatorApp(state, [probe], { faults });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    token = state.bootstrapToken();
  });
  let token = '';
  afterAll(() => app.close());

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const reply = await request(`${url}${GATEWAY_PATH}`, {
      method: 'POST',
      headers: { session: token, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await reply.body.json()) as { expireCursor: boolean; flag: boolean };
  };

  it('marks only requests that present a cursor, so first pages do not use up the count', async () => {
    faults.install(parseFaultRules({ rules: [{ path: GATEWAY_PATH, fault: 'expire-cursor', count: 1 }] }));
    expect(await gql('{ endpoints(first: 2) { id } }')).toEqual({ expireCursor: false, flag: false });
    expect(await gql('query ($a: String) { endpoints(after: $a) { id } }', { a: null })).toEqual({
      expireCursor: false,
      flag: false,
    });
    expect(await gql('query ($a: String) { endpoints(first: 2, after: $a) { id } }', { a: 'Y3Vy' })).toEqual({
      expireCursor: true,
      flag: true,
    });
    expect(await gql('{ endpoints(after: "Y3Vy") { id } }')).toEqual({ expireCursor: false, flag: false });
    expect(faults.stats.view().faults.byKind).toEqual({ 'expire-cursor': 1 });
  });

  it('marks matching requests on other paths as they come', async () => {
    faults.install(parseFaultRules({ rules: [{ path: '/api/v2/probe', fault: 'expire-cursor', count: 1 }] }));
    const probe = async () =>
      (await (await request(`${url}/api/v2/probe`, { headers: { session: token } })).body.json()) as {
        expireCursor: boolean;
      };
    expect(await probe()).toEqual({ expireCursor: true });
    expect(await probe()).toEqual({ expireCursor: false });
  });
});
