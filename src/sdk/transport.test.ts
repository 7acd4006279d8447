import { afterEach, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  AuthenticationError,
  ConnectionError,
  createTaniumClient,
  NotFoundError,
  RateLimitError,
  ServerError,
  type TaniumClient,
  type TaniumClientOptions,
  TimeoutError,
  UnexpectedResponseError,
} from './index.js';

const fakes: Fake[] = [];
let client: TaniumClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  for (const f of fakes.splice(0)) await f.close();
});

async function fakeWith(handler: Parameters<typeof startFake>[0]): Promise<Fake> {
  const f = await startFake(handler);
  fakes.push(f);
  return f;
}

function connect(f: Fake, extra: Partial<TaniumClientOptions> = {}): TaniumClient {
  client = createTaniumClient({
    target: { kind: 'server', url: f.url },
    token: TOKEN,
    retry: { baseDelayMs: 2, maxDelayMs: 10 },
    ...extra,
  });
  return client;
}

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('responses that are not the API', () => {
  it('never follows a redirect; names the host', async () => {
    const console_ = await fakeWith((_req, res) => json(res, 200, { data: 'console' }));
    const api = await fakeWith((_req, res) => {
      res.writeHead(302, { location: `http://acme.cloud.tanium.example:${console_.port}/login` });
      res.end();
    });
    const error = await fail(connect(api).rest('GET', '/session/current'));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).kind).toBe('redirect');
    expect((error as Error).message).toContain(`redirect to acme.cloud.tanium.example:${console_.port}`);
    expect((error as Error).message).toContain('usually the console host instead of the -api host');
    expect(api.requests).toHaveLength(1);
    expect(console_.requests).toHaveLength(0);
  });

  it('detects an HTML page (login page or wrong host)', async () => {
    const f = await fakeWith((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Sign in</body></html>');
    });
    const error = await fail(connect(f).rest('GET', '/session/current'));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).kind).toBe('html');
    expect((error as Error).message).toContain('HTML page instead of JSON: wrong host or a login page');
  });

  it('maps 401, 404 and other statuses to typed errors with Tanium text', async () => {
    const f = await fakeWith((req, res) => {
      if (req.url === '/api/v2/a') json(res, 401, { text: 'Unauthorized: Unauthorized' });
      else json(res, 404, { text: 'SensorNotFound' });
    });
    const c = connect(f);
    const auth = await fail(c.rest('GET', '/a'));
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect((auth as AuthenticationError).status).toBe(401);
    expect((auth as AuthenticationError).text).toBe('Unauthorized: Unauthorized');
    const missing = await fail(c.rest('GET', '/sensors/by-name/x?secret=1'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).path).toBe('/api/v2/sensors/by-name/x');
    expect(f.requests).toHaveLength(2);
  });
});

describe('retries', () => {
  it('retries a GET after 503 and succeeds', async () => {
    const f = await fakeWith((_req, res, i) =>
      i < 2 ? json(res, 503, { text: 'busy' }) : json(res, 200, { data: { ok: 1 } }),
    );
    const reasons: string[] = [];
    const c = connect(f, { onRetry: (info) => reasons.push(info.reason) });
    expect(await c.rest('GET', '/session/current')).toEqual({ ok: 1 });
    expect(f.requests).toHaveLength(3);
    expect(reasons).toEqual(['server error (503)', 'server error (503)']);
  });

  it('gives up after maxAttempts with a ServerError', async () => {
    const f = await fakeWith((_req, res) => json(res, 500, { text: 'boom' }));
    const error = await fail(connect(f, { retry: { maxAttempts: 3, baseDelayMs: 1 } }).rest('GET', '/x'));
    expect(error).toBeInstanceOf(ServerError);
    expect(f.requests).toHaveLength(3);
  });

  it('waits at least Retry-After between attempts on 429', async () => {
    const f = await fakeWith((_req, res, i) =>
      i === 0
        ? json(res, 429, { text: 'Too Many Requests' }, { 'retry-after': '1' })
        : json(res, 200, { data: 'ok' }),
    );
    expect(await connect(f).rest('GET', '/x')).toBe('ok');
    expect(f.requests).toHaveLength(2);
    const gap = (f.requests[1]?.at ?? 0) - (f.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(990);
  });

  it('a 429 whose Retry-After exceeds the wait budget surfaces as RateLimitError with retryAfterMs', async () => {
    const f = await fakeWith((_req, res) => json(res, 429, { text: 'slow down' }, { 'retry-after': '120' }));
    const error = await fail(connect(f, { retry: { maxTotalWaitMs: 1000 } }).rest('GET', '/x'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(f.requests).toHaveLength(1);
  });

  it('retries a GET whose connection was reset', async () => {
    const f = await fakeWith((req, res, i) => {
      if (i === 0) req.headers && res.socket?.destroy();
      else json(res, 200, { data: 'after reset' });
    });
    expect(await connect(f).rest('GET', '/x')).toBe('after reset');
    expect(f.requests).toHaveLength(2);
  });

  it('retries a GraphQL query on 503 but never a mutation', async () => {
    const f = await fakeWith((_req, res, i) =>
      i === 0 ? json(res, 503, {}) : json(res, 200, { data: { now: 'x' } }),
    );
    const c = connect(f);
    expect(await c.graphql('query Now { now }')).toEqual({ now: 'x' });
    expect(f.requests).toHaveLength(2);
    const m = await fakeWith((_req, res) => json(res, 503, {}));
    await client?.close();
    const error = await fail(connect(m).graphql('mutation { ping }'));
    expect(error).toBeInstanceOf(ServerError);
    expect(m.requests).toHaveLength(1);
  });

  for (const method of ['POST', 'PATCH', 'PUT', 'DELETE'] as const) {
    it(`never sends ${method} twice on 503 or a reset`, async () => {
      const f = await fakeWith((_req, res, i) =>
        i === 0 ? json(res, 503, { text: 'busy' }) : res.socket?.destroy(),
      );
      const c = connect(f);
      await expect(c.module('patch').request(method, '/v2/deployments', { data: {} })).rejects.toBeInstanceOf(
        ServerError,
      );
      await expect(c.module('patch').request(method, '/v2/deployments', { data: {} })).rejects.toBeInstanceOf(
        ConnectionError,
      );
      expect(f.requests).toHaveLength(2);
    });
  }

  it('never sends a rotation twice (REST PATCH and apiTokenRotate) on 503 or reset', async () => {
    const f = await fakeWith((_req, res, i) => (i % 2 === 0 ? json(res, 503, {}) : res.socket?.destroy()));
    const c = connect(f);
    await expect(c.tokens.rotateRest(TOKEN)).rejects.toBeInstanceOf(ServerError);
    await expect(c.tokens.rotateRest(TOKEN)).rejects.toBeInstanceOf(ConnectionError);
    await expect(c.tokens.rotateGraphql(TOKEN)).rejects.toBeInstanceOf(ServerError);
    const lost = await fail(c.tokens.rotateGraphql(TOKEN));
    expect(lost).toBeInstanceOf(ConnectionError);
    // The rotation may have happened: the caller must probe before trying again.
    expect((lost as ConnectionError).mayHaveReachedServer).toBe(true);
    expect(f.requests).toHaveLength(4);
  });
});

describe('network failures', () => {
  it('times out waiting for headers', async () => {
    const f = await fakeWith((_req, res) => {
      // undici's header/body timers tick about twice a second, so the server must be much slower.
      setTimeout(() => json(res, 200, { data: 1 }), 3000);
    });
    const error = await fail(
      connect(f, { timeouts: { headersMs: 50 }, retry: { maxAttempts: 1 } }).rest('GET', '/x'),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('UND_ERR_HEADERS_TIMEOUT');
  });

  it('times out on a stalled body', async () => {
    const f = await fakeWith((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
      setTimeout(() => res.end(']}'), 3000);
    });
    const error = await fail(
      connect(f, { timeouts: { bodyMs: 50 }, retry: { maxAttempts: 1 } }).rest('GET', '/x'),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('UND_ERR_BODY_TIMEOUT');
  });

  it('reports a refused connection as ConnectionError that never reached the server', async () => {
    const f = await fakeWith((_req, res) => json(res, 200, {}));
    const url = f.url;
    await f.close();
    fakes.pop();
    client = createTaniumClient({ target: { kind: 'server', url }, token: TOKEN, retry: { maxAttempts: 1 } });
    const error = await fail(client.rest('GET', '/x'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect((error as ConnectionError).mayHaveReachedServer).toBe(false);
  });
});
