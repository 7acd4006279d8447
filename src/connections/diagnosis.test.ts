import { describe, expect, it } from 'vitest';
import { UserError } from '../common/userError.js';
import {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  createTaniumClient,
  type LookupFunction,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../sdk/index.js';
import { diagnose, redactDiagnosis } from './diagnosis.js';

const cloud = { name: 'default', kind: 'cloud' as const, address: 'acme-api.cloud.tanium.com' };
const server = { name: 'emu', kind: 'server' as const, address: 'http://127.0.0.1:8443' };
const TOKEN = 'token-0123456789abcdef0123456789abcdef';

const net = (code: string) =>
  new ConnectionError('x', { code, mayHaveReachedServer: false, method: 'GET', path: '/p' });

describe('diagnose', () => {
  it.each([
    [net('ENOTFOUND'), 'dns'],
    [net('EAI_AGAIN'), 'dns'],
    [net('BLOCKED_ADDRESS'), 'blocked-address'],
    [net('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls'],
    [net('CERT_HAS_EXPIRED'), 'tls'],
    [net('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [net('ECONNREFUSED'), 'refused'],
    [net('ECONNRESET'), 'network'],
    [new TimeoutError('t', { code: 'UND_ERR_CONNECT_TIMEOUT', mayHaveReachedServer: false }), 'timeout'],
    [
      new UnexpectedResponseError('r', { kind: 'redirect', status: 302, location: 'acme.cloud.tanium.com' }),
      'redirect',
    ],
    [new UnexpectedResponseError('h', { kind: 'html', status: 200 }), 'html'],
    [new UnexpectedResponseError('j', { kind: 'invalid-json', status: 200 }), 'not-json'],
    [new AuthenticationError('a', { status: 401 }), 'unauthorized'],
    [new PermissionError('p', { status: 403 }), 'forbidden'],
    [new NotFoundError('n', { status: 404, path: '/api/v2/session/current' }), 'not-found'],
    [new RateLimitError('l', { status: 429, retryAfterMs: 2000 }), 'rate-limited'],
    [new ServerError('s', { status: 503 }), 'server-error'],
    [new ClientConfigError('c'), 'token-format'],
    [
      new UserError('The stored token of "default" was encrypted with another master key'),
      'token-unreadable',
    ],
    [new Error('boom'), 'unexpected'],
  ])('%s → %s', (error, code) => {
    const d = diagnose(error, { ...cloud, token: TOKEN });
    expect(d.code).toBe(code);
    expect(d.message).not.toBe('');
    expect(d.fix).not.toBe('');
    expect(`${d.message} ${d.fix}`).not.toMatch(/[\r\n]/);
  });

  it('narrows a 401 to the missing prefix only when the stored token lacks it', () => {
    const refused = new AuthenticationError('a', { status: 401 });
    expect(diagnose(refused, { ...server, token: TOKEN.slice(6) }).code).toBe('token-prefix');
    expect(diagnose(refused, { ...server, token: TOKEN }).code).toBe('unauthorized');
    expect(diagnose(refused, server).code).toBe('unauthorized');
  });

  it('names the fix as a step of the connection (no command line: each interface spells it), the host in messages', () => {
    const d = diagnose(new AuthenticationError('a', { status: 401 }), { ...server, token: 'abc' });
    expect(d.next).toEqual({ step: 'replace_token', connection: 'emu' });
    expect(d.fix).toContain('(Replace)');
    expect(d.fix).not.toContain('tanium-bridge');
    expect(diagnose(net('ENOTFOUND'), cloud).next).toEqual({
      step: 'edit_connection',
      connection: cloud.name,
      kind: 'cloud',
    });
    expect(diagnose(net('ECONNREFUSED'), server).message).toMatch(/^127\.0\.0\.1:8443 refused/);
    expect(diagnose(net('ENOTFOUND'), cloud).message).toContain('acme-api.cloud.tanium.com does not resolve');
  });

  it('redacts the token and anything token-shaped', () => {
    const d = redactDiagnosis(
      {
        code: 'unexpected',
        message: `saw ${TOKEN} and token-ffffffffffff\nnext`,
        fix: `bare ${TOKEN.slice(6)}`,
      },
      [TOKEN, TOKEN.slice(6)],
    );
    expect(JSON.stringify(d)).not.toContain(TOKEN.slice(6));
    expect(JSON.stringify(d)).not.toContain('ffffffffffff');
    expect(d.message).not.toContain('\n');
  });
});

describe('diagnose, with the SDK doing the refusing', () => {
  it.each([
    ['10.0.0.5', 4],
    ['::ffff:10.0.0.5', 6],
    ['::a00:5', 6],
    ['64:ff9b::a00:5', 6],
    ['2002:a00:5::1', 6],
    ['fd00::5', 6],
  ] as const)(
    'a cloud name resolving to %s: blocked before the token is sent, and the text names the IPv6 forms',
    async (address, family) => {
      // A DNS answer pointing the tenant name inside the network (poisoned or rebound).
      const lookup: LookupFunction = (_host, options, callback) => {
        if (options.all) callback(null, [{ address, family }]);
        else callback(null, address, family);
      };
      const client = createTaniumClient({
        target: { kind: 'cloud', domain: 'acme-api.cloud.tanium.com' },
        token: TOKEN,
        lookup,
        retry: { maxAttempts: 1 },
      });
      try {
        const error = await client.session.current().catch((e: unknown) => e);
        const d = diagnose(error, { ...cloud, token: TOKEN });
        expect(d.code).toBe('blocked-address');
        expect(d.message).toBe(
          'acme-api.cloud.tanium.com resolves to a private, loopback or link-local address (IPv4, or an IPv6 form carrying one: IPv4-mapped ::ffff:, IPv4-compatible ::, NAT64 64:ff9b::, 6to4 2002:, Teredo), so the request was refused before the token was sent.',
        );
      } finally {
        await client.close();
      }
    },
  );
});
