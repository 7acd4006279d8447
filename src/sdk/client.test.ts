import { afterEach, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  createTaniumClient,
  GraphQLError,
  MODULES,
  NotFoundError,
  PermissionError,
  type TaniumClient,
} from './index.js';

let fake: Fake | undefined;
let client: TaniumClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

function connect(f: Fake, token: string | (() => Promise<string>) = TOKEN): TaniumClient {
  client = createTaniumClient({ baseUrl: f.url, token, retry: { baseDelayMs: 2, maxDelayMs: 10 } });
  return client;
}

const cacheInfo = {
  cache_info: { cache_id: 1, page_row_count: 2, filtered_row_count: 2, cache_row_count: 2 },
};

describe('Platform REST', () => {
  it('unwraps {data} and drops the trailing cache_info of a list', async () => {
    fake = await startFake((req, res) => {
      if (req.url === '/api/v2/sensors') json(res, 200, { data: [{ id: 1 }, { id: 2 }, cacheInfo] });
      else if (req.url === '/api/v2/session/current')
        json(res, 200, { data: { user: { id: 7, name: 'svc' } } });
      else json(res, 404, { text: 'NotFound' });
    });
    const c = connect(fake);
    expect(await c.rest('GET', '/sensors')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await c.session.current()).toEqual({ user: { id: 7, name: 'svc' } });
  });

  it('sends session: token-… on every call and never Authorization', async () => {
    fake = await startFake((_req, res) => json(res, 200, { data: [] }));
    const c = connect(fake);
    await c.rest('GET', '/sensors');
    await c.graphql('query { now }');
    await c.module('asset').request('GET', '/v1/assets?limit=1');
    expect(fake.requests).toHaveLength(3);
    for (const r of fake.requests) {
      expect(r.headers['session']).toBe(TOKEN);
      expect(r.headers['authorization']).toBeUndefined();
    }
  });

  it('re-reads a token function on every call (rotation in another process)', async () => {
    fake = await startFake((_req, res) => json(res, 200, { data: {} }));
    let current = 'token-aaaaaaaaaaaaaaaa';
    const c = connect(fake, async () => current);
    await c.rest('GET', '/session/current');
    current = 'token-bbbbbbbbbbbbbbbb';
    await c.rest('GET', '/session/current');
    expect(fake.requests.map((r) => r.headers['session'])).toEqual([
      'token-aaaaaaaaaaaaaaaa',
      'token-bbbbbbbbbbbbbbbb',
    ]);
  });
});

describe('modules', () => {
  it('has ten modules with unique keys, base paths and permissions', () => {
    expect(MODULES.map((m) => m.key)).toEqual([
      'platform',
      'asset',
      'comply',
      'connect',
      'deploy',
      'enforce',
      'integrity-monitor',
      'patch',
      'reputation',
      'threat-response',
    ]);
    expect(new Set(MODULES.map((m) => m.basePath)).size).toBe(10);
    expect(MODULES.find((m) => m.key === 'asset')?.permission).toBe('Asset API User');
  });

  it('sends each module request under its base path and returns the body as-is', async () => {
    fake = await startFake((req, res) =>
      json(res, 200, { path: req.url, method: req.method, body: req.body }),
    );
    const c = connect(fake);
    for (const m of MODULES) {
      const answer = await c.module(m.key).request<{ path: string }>('GET', '/v1/thing?x=1');
      expect(answer.path).toBe(`${m.basePath}/v1/thing?x=1`);
    }
    const posted = await c
      .module('patch')
      .request<{ method: string; body: string }>('POST', '/v2/deployments', {
        data: { name: 'd1' },
        query: { dry: true },
      });
    expect(posted.method).toBe('POST');
    expect(JSON.parse(posted.body)).toEqual({ name: 'd1' });
    expect(fake.requests.at(-1)?.url).toBe('/plugin/products/patch/v2/deployments?dry=true');
  });

  it('a 403 names the module and the permission it needs; probes report it', async () => {
    fake = await startFake((req, res) => {
      if (req.url.startsWith('/plugin/products/asset')) json(res, 403, { text: 'RBACInsufficientPrivilege' });
      else if (req.url.startsWith('/plugin/products/enforce')) json(res, 404, { text: 'not installed' });
      else json(res, 200, { data: [] });
    });
    const c = connect(fake);
    const error = await c
      .module('asset')
      .request('GET', '/v1/assets')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).message).toContain('Asset API User');
    expect((error as PermissionError).module?.key).toBe('asset');
    expect((error as PermissionError).text).toBe('RBACInsufficientPrivilege');
    const results = await c.probeModules();
    expect(results.filter((r) => !r.ok).map((r) => r.key)).toEqual(['asset', 'enforce']);
    expect(results.find((r) => r.key === 'enforce')?.error).toBeInstanceOf(NotFoundError);
  });
});

describe('Gateway GraphQL', () => {
  it('returns data and throws GraphQLError on errors[] with HTTP 200 and 400', async () => {
    fake = await startFake((req, res) => {
      const { query } = JSON.parse(req.body) as { query: string };
      if (query.includes('now')) json(res, 200, { data: { now: '2026-05-01T00:00:00Z' } });
      else if (query.includes('bad'))
        json(res, 400, { errors: [{ message: 'Cannot query field "bad" on type "Query".' }] });
      else json(res, 200, { errors: [{ message: 'missing required permissions' }], data: null });
    });
    const c = connect(fake);
    expect(await c.graphql('query { now }')).toEqual({ now: '2026-05-01T00:00:00Z' });
    const e200 = await c.graphql('query { endpoints { totalRecords } }').catch((e: unknown) => e);
    expect(e200).toBeInstanceOf(GraphQLError);
    expect((e200 as GraphQLError).messages).toEqual(['missing required permissions']);
    const e400 = await c.graphql('query { bad }').catch((e: unknown) => e);
    expect(e400).toBeInstanceOf(GraphQLError);
    expect((e400 as GraphQLError).status).toBe(400);
  });
});

describe('tokens', () => {
  const newToken = 'token-ffffffffffffffffffffffffffffffff';

  it('rotateRest PATCHes /api/v2/api_tokens with token_string and returns the new token', async () => {
    fake = await startFake((req, res) => {
      if (req.method === 'PATCH') json(res, 200, { data: { id: 26, token_string: newToken } });
      else json(res, 200, { data: [{ id: 26 }, cacheInfo] });
    });
    const c = connect(fake);
    expect(await c.tokens.rotateRest(TOKEN)).toEqual({ id: 26, token_string: newToken });
    expect(fake.requests[0]?.url).toBe('/api/v2/api_tokens');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ token_string: TOKEN });
    expect(await c.tokens.list()).toEqual([{ id: 26 }]);
  });

  it('rotateGraphql sends apiTokenRotate and surfaces payload errors as GraphQLError', async () => {
    let fail = false;
    fake = await startFake((req, res) => {
      const body = JSON.parse(req.body) as { query: string; variables?: { tokenString?: string } };
      if (body.query.includes('myAPITokens')) {
        json(res, 200, { data: { myAPITokens: { tokens: [{ id: '1', tokenString: null }], error: null } } });
      } else if (fail) {
        json(res, 200, {
          data: {
            apiTokenRotate: { token: null, error: { message: 'nope', retryable: false, timedOut: false } },
          },
        });
      } else {
        expect(body.variables?.tokenString).toBe(TOKEN);
        json(res, 200, {
          data: { apiTokenRotate: { token: { id: '2', tokenString: newToken }, error: null } },
        });
      }
    });
    const c = connect(fake);
    expect((await c.tokens.rotateGraphql(TOKEN)).tokenString).toBe(newToken);
    expect(fake.requests[0]?.body).toContain('apiTokenRotate(input: { tokenString: $tokenString })');
    fail = true;
    const error = await c.tokens.rotateGraphql(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toContain('nope');
    expect(await c.tokens.mine()).toEqual([{ id: '1', tokenString: null }]);
  });
});
