/**
 * The SDK's retry ladder against the emulator's injected faults, over real HTTP: a 429 is waited out
 * for at least its Retry-After; a mutation (POST, PATCH, GraphQL mutation) is never sent twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  createTaniumClient,
  GraphQLError,
  type RetryInfo,
  ServerError,
  type TaniumClient,
} from '../../src/sdk/index.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface Stats {
  requests: { total: number; byRoute: Record<string, number> };
  faults: { total: number; byKind: Record<string, number> };
}

describe('SDK retries against emulator faults', () => {
  let h: Harness;
  let client: TaniumClient;
  const retries: RetryInfo[] = [];

  const stats = async () => (await h.call<Stats>('GET', '/__emulator/stats', { token: null })).json;
  const install = async (rules: unknown[]) => {
    const reply = await h.call('POST', '/__emulator/faults', { token: null, body: { rules } });
    expect(reply.status, reply.text).toBe(200);
  };
  const routeDelta = (before: Stats, after: Stats, route: string) =>
    (after.requests.byRoute[route] ?? 0) - (before.requests.byRoute[route] ?? 0);

  beforeAll(async () => {
    h = await startHarness();
    client = createTaniumClient({ baseUrl: h.url, token: h.token, onRetry: (info) => retries.push(info) });
  });
  afterEach(async () => {
    retries.length = 0;
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });
  afterAll(async () => {
    await client.close();
    await h.close();
  });

  it('429 on a GET (Retry-After: 1): waits at least one second, retries once, succeeds', async () => {
    await install([
      {
        method: 'GET',
        path: '/plugin/products/patch/v1/patches',
        fault: 'status:429',
        retryAfter: 1,
        count: 1,
      },
    ]);
    const before = await stats();
    const started = performance.now();
    const answer = await client.module('patch').request('GET', '/v1/patches?take=1');
    const elapsed = performance.now() - started;
    expect(answer).toBeTypeOf('object');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.reason).toBe('rate limited (429)');
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    // Lower bound only: timers may fire a hair early, never meaningfully so.
    expect(elapsed).toBeGreaterThanOrEqual(995);
    const after = await stats();
    expect(routeDelta(before, after, 'GET /plugin/products/patch/v1/patches')).toBe(2);
    expect(after.faults.byKind['status:429']! - (before.faults.byKind['status:429'] ?? 0)).toBe(1);
  });

  it('503 on a GET is retried (the contrast: reads are safe to repeat)', async () => {
    await install([{ method: 'GET', path: '/api/v2/session/current', fault: 'status:503', count: 1 }]);
    const before = await stats();
    await client.session.current();
    expect(retries.map((r) => r.reason)).toEqual(['server error (503)']);
    expect(routeDelta(before, await stats(), 'GET /api/v2/session/current')).toBe(2);
  });

  it('503 on a module POST: sent exactly once, ServerError surfaces', async () => {
    await install([
      { method: 'POST', path: '/plugin/products/connect/v1/connections', fault: 'status:503', count: 5 },
    ]);
    const before = await stats();
    const error = await client
      .module('connect')
      .request('POST', '/v1/connections', {
        data: { name: 'Once', destinationType: 'file', streams: ['/x'] },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect(retries).toEqual([]);
    expect(routeDelta(before, await stats(), 'POST /plugin/products/connect/v1/connections')).toBe(1);
  });

  it('reset on a token rotation (PATCH /api/v2/api_tokens): sent exactly once, the error surfaces', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    const own = createTaniumClient({
      baseUrl: h.url,
      token: made.token_string!,
      onRetry: (i) => retries.push(i),
    });
    try {
      await install([{ method: 'PATCH', path: '/api/v2/api_tokens', fault: 'reset', count: 5 }]);
      const before = await stats();
      const error = await own.tokens.rotateRest(made.token_string!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).mayHaveReachedServer).toBe(true);
      expect(JSON.stringify(error)).not.toContain(made.token_string!);
      expect(retries).toEqual([]);
      expect(routeDelta(before, await stats(), 'PATCH /api/v2/api_tokens')).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('503 on the Gateway apiTokenRotate mutation: sent exactly once', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    const own = createTaniumClient({
      baseUrl: h.url,
      token: made.token_string!,
      onRetry: (i) => retries.push(i),
    });
    try {
      await install([
        {
          method: 'POST',
          path: '/plugin/products/gateway/graphql',
          operation: 'apiTokenRotate',
          fault: 'status:503',
          count: 5,
        },
      ]);
      const before = await stats();
      const error = await own.tokens.rotateGraphql(made.token_string!).catch((e: unknown) => e);
      expect(error instanceof ServerError || error instanceof GraphQLError).toBe(true);
      expect(retries).toEqual([]);
      expect(routeDelta(before, await stats(), 'POST /plugin/products/gateway/graphql')).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('Gateway errors[] "Internal server error" (HTTP 200) on a query is retried and then answers', async () => {
    await install([{ path: '/plugin/products/gateway/graphql', fault: 'graphql-error', count: 2 }]);
    const before = await stats();
    const answer = await client.graphql<{ now: string }>('{ now }');
    expect(typeof answer.now).toBe('string');
    expect(retries.map((r) => r.reason)).toEqual(['transient Gateway error', 'transient Gateway error']);
    expect(routeDelta(before, await stats(), 'POST /plugin/products/gateway/graphql')).toBe(3);
  });

  it('a Gateway error that is not transient fails at once with its message', async () => {
    const before = await stats();
    const error = await client
      .graphql('{ endpoints(first: 1) { edges { node { noSuchField } } } }')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).retryable).toBe(false);
    expect((error as GraphQLError).message).toMatch(/Cannot query field "noSuchField"/);
    expect(retries).toEqual([]);
    expect(routeDelta(before, await stats(), 'POST /plugin/products/gateway/graphql')).toBe(1);
  });

  it('errors[] on the apiTokenRotate mutation is never repeated, transient or not', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    const own = createTaniumClient({
      baseUrl: h.url,
      token: made.token_string!,
      onRetry: (i) => retries.push(i),
    });
    try {
      await install([
        {
          path: '/plugin/products/gateway/graphql',
          operation: 'apiTokenRotate',
          fault: 'graphql-error',
          count: 5,
        },
      ]);
      const before = await stats();
      const error = await own.tokens.rotateGraphql(made.token_string!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphQLError);
      expect(retries).toEqual([]);
      expect(routeDelta(before, await stats(), 'POST /plugin/products/gateway/graphql')).toBe(1);
    } finally {
      await own.close();
    }
  });
});
