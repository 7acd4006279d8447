import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  createTaniumClient,
  GraphQLError,
  InvalidRequestError,
  InvalidRequestPathError,
  type LookupFunction,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redactSecrets,
  ServerError,
  type TaniumClient,
  TimeoutError,
  UnexpectedResponseError,
} from './index.js';

/** Not token-shaped: only known-secret redaction can catch it. */
const PLAIN_SECRET = 'Zq9PlainSecretValue42';

let fake: Fake;
beforeAll(async () => {
  fake = await startFake((req, res) => {
    const echo = `${req.headers['session']} ${TOKEN}`;
    const route = req.url.split('?')[0]?.split('/').at(-1);
    switch (route) {
      case '401':
        return json(res, 401, { text: `Unauthorized: ${echo}` });
      case '403':
        return json(res, 403, { text: `RBACInsufficientPrivilege for session: ${echo}` });
      case '400':
        return json(res, 400, { text: `InvalidJSONBody ${echo}` });
      case '429':
        return json(res, 429, { text: echo }, { 'retry-after': '600' });
      case '503':
        return json(res, 503, { text: echo });
      case 'redirect':
        res.writeHead(302, { location: `https://acme.cloud.tanium.example/login?session=${TOKEN}` });
        return res.end(echo);
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<html>${echo}</html>`);
      case 'notjson':
        return res.end(`oops ${echo}`);
      case 'reset':
        return res.socket?.destroy();
      case 'slow':
        return setTimeout(() => json(res, 200, {}), 3000);
      case 'graphql':
        if (req.body.includes('apiTokenRotate')) {
          return json(res, 200, {
            data: {
              apiTokenRotate: {
                token: null,
                error: { message: `bad ${echo}`, retryable: false, timedOut: false },
              },
            },
          });
        }
        return json(res, 200, { errors: [{ message: `Cannot use ${echo}` }], data: null });
      default:
        return json(res, 404, { text: `ObjectNotFound ${echo}` });
    }
  });
});
afterAll(() => fake.close());

function client(token: string, extra: { lookup?: LookupFunction } = {}): TaniumClient {
  return createTaniumClient({
    target: { kind: 'server', url: fake.url },
    token,
    retry: { maxAttempts: 1 },
    timeouts: { headersMs: 100 },
    ...extra,
  });
}

function expectClean(error: unknown, secrets: string[]): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  const views = [JSON.stringify(e), e.message, e.stack ?? '', String(e.cause), inspect(e, { depth: 5 })];
  for (const view of views) for (const s of secrets) expect(view).not.toContain(s);
}

const catchIt = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('redaction', () => {
  it('redactSecrets replaces token-shaped strings, session values and known secrets', () => {
    expect(redactSecrets(`a ${TOKEN} b`)).toBe('a [REDACTED] b');
    expect(redactSecrets('session: abc123xyz')).toBe('session: [REDACTED]');
    expect(redactSecrets('{"session":"1-224-0123456789abcdef0123456789abcdef0123"}')).not.toContain(
      '0123456789abcdef',
    );
    expect(redactSecrets(`x ${PLAIN_SECRET} y`, [PLAIN_SECRET])).toBe('x [REDACTED] y');
    expect(redactSecrets(encodeURIComponent(`a+${PLAIN_SECRET}/`), [`a+${PLAIN_SECRET}/`])).toBe(
      '[REDACTED]',
    );
    expect(redactSecrets('GET /api/v2/session/current')).toBe('GET /api/v2/session/current');
  });

  for (const token of [TOKEN, PLAIN_SECRET]) {
    it(`no error kind ever contains the token (${token === TOKEN ? 'token-shaped' : 'plain'})`, async () => {
      const c = client(token);
      const secrets = [token, TOKEN];
      const cases: [() => Promise<unknown>, new (...args: never[]) => Error][] = [
        [() => c.rest('GET', '/401'), AuthenticationError],
        [() => c.module('comply').request('GET', '/403'), PermissionError],
        [() => c.rest('GET', `/api_tokens/${token}/404`), NotFoundError],
        [() => c.rest('POST', '/400', { data: { token_string: token } }), InvalidRequestError],
        [() => c.rest('GET', '/429'), RateLimitError],
        [() => c.rest('GET', '/503'), ServerError],
        [() => c.rest('GET', '/reset'), ConnectionError],
        [() => c.rest('GET', '/slow'), TimeoutError],
        [() => c.rest('GET', '/redirect'), UnexpectedResponseError],
        [() => c.rest('GET', '/html'), UnexpectedResponseError],
        [() => c.rest('GET', '/notjson'), UnexpectedResponseError],
        [() => c.rest('GET', `/${token}\r\n`), InvalidRequestPathError],
        [() => c.rest('GET', `/%0a${token}`), InvalidRequestPathError],
        [() => client(`${token}\n`).rest('GET', '/x'), ClientConfigError],
      ];
      for (const [send, type] of cases) {
        const error = await catchIt(send());
        expect(error).toBeInstanceOf(type);
        expectClean(error, secrets);
      }
      await c.close();
    });
  }

  it('GraphQL errors[] and mutation payload errors are redacted, including the rotated token', async () => {
    const c = client(TOKEN);
    const other = 'token-99999999999999999999';
    expectClean(await catchIt(c.graphql('query { now }')), [TOKEN]);
    const payload = await catchIt(c.tokens.rotateGraphql(other));
    expect(payload).toBeInstanceOf(GraphQLError);
    expectClean(payload, [TOKEN, other]);
    await c.close();
  });

  it('connection failures (refused, blocked address) are redacted', async () => {
    const closed = await startFake(() => undefined);
    const url = closed.url;
    await closed.close();
    const refused = createTaniumClient({
      target: { kind: 'server', url },
      token: TOKEN,
      retry: { maxAttempts: 1 },
    });
    expectClean(await catchIt(refused.rest('GET', `/x/${TOKEN}`)), [TOKEN]);
    await refused.close();
    const blocked = createTaniumClient({
      target: { kind: 'cloud', domain: 'acme-api.cloud.tanium.com' },
      token: TOKEN,
      lookup: (_h, _o, cb) => cb(null, [{ address: '10.0.0.1', family: 4 }]),
    });
    const error = await catchIt(blocked.rest('GET', `/x/${TOKEN}`));
    expect((error as ConnectionError).code).toBe('BLOCKED_ADDRESS');
    expectClean(error, [TOKEN]);
    await blocked.close();
  });
});
