import { afterEach, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  assertAllowedUrl,
  ClientConfigError,
  ConnectionError,
  createTaniumClient,
  isNonPublicAddress,
  type LookupFunction,
  pinTarget,
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

/** A resolver that answers every name with `address` and records what was asked. */
function fixedLookup(address: string, asked: string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

describe('targets', () => {
  it('pins a cloud target to HTTPS on exactly its host', () => {
    expect(pinTarget({ kind: 'cloud', domain: 'acme-api.cloud.tanium.com' }).origin).toBe(
      'https://acme-api.cloud.tanium.com',
    );
    for (const domain of [
      'https://acme-api.cloud.tanium.com',
      'http://acme-api.cloud.tanium.com',
      'acme-api.cloud.tanium.com/',
      'acme-api.cloud.tanium.com:8443',
      'acme.cloud.tanium.com',
      'acme-api.cloud.tanium.com.evil.example',
      'evil.example',
      '',
    ]) {
      expect(() => pinTarget({ kind: 'cloud', domain }), domain).toThrow(ClientConfigError);
    }
  });

  it('allows plain HTTP only to loopback for a server target', () => {
    expect(pinTarget({ kind: 'server', url: 'http://127.0.0.1:8080' }).origin).toBe('http://127.0.0.1:8080');
    expect(pinTarget({ kind: 'server', url: 'http://localhost:8080' }).addressPolicy).toBe('loopback-only');
    expect(pinTarget({ kind: 'server', url: 'http://[::1]:8080' }).protocol).toBe('http:');
    expect(pinTarget({ kind: 'server', url: 'https://tanium.corp.example' }).addressPolicy).toBe('any');
    for (const url of [
      'http://10.0.0.5',
      'http://tanium.corp.example',
      'ftp://127.0.0.1',
      'https://u:p@t.example',
      'https://t.example/x',
      'nonsense',
    ]) {
      expect(() => pinTarget({ kind: 'server', url }), url).toThrow(ClientConfigError);
    }
  });

  it('createTaniumClient({ baseUrl }) treats a -api cloud host as a cloud target', () => {
    client = createTaniumClient({ baseUrl: 'https://acme-api.cloud.tanium.com', token: TOKEN });
    expect(client.target).toEqual({ kind: 'cloud', domain: 'acme-api.cloud.tanium.com' });
    expect(() => createTaniumClient({ baseUrl: 'http://acme-api.cloud.tanium.com', token: TOKEN })).toThrow(
      ClientConfigError,
    );
  });

  it('refuses any URL other than the pinned origin', () => {
    const pinned = pinTarget({ kind: 'cloud', domain: 'acme-api.cloud.tanium.com' });
    assertAllowedUrl(new URL('https://acme-api.cloud.tanium.com/api/v2/x'), pinned);
    for (const url of [
      'http://acme-api.cloud.tanium.com/api/v2/x',
      'https://evil.example/api/v2/x',
      'https://acme-api.cloud.tanium.com:444/x',
      'https://other-api.cloud.tanium.com/x',
      'https://u@acme-api.cloud.tanium.com/x',
    ]) {
      expect(() => assertAllowedUrl(new URL(url), pinned), url).toThrow(ConnectionError);
    }
  });
});

describe('address classification', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    '::1',
    'fd00::1',
    'fc12::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
    'not-an-ip',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe('connect-time DNS check', () => {
  it('refuses a cloud name that resolves to 127.0.0.1 with BLOCKED_ADDRESS', async () => {
    const asked: string[] = [];
    client = createTaniumClient({
      target: { kind: 'cloud', domain: 'acme-api.cloud.tanium.com' },
      token: TOKEN,
      lookup: fixedLookup('127.0.0.1', asked),
    });
    const error = await client.rest('GET', '/session/current').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('BLOCKED_ADDRESS');
    expect((error as ConnectionError).mayHaveReachedServer).toBe(false);
    expect((error as Error).message).toContain('127.0.0.1');
    expect(asked).toContain('acme-api.cloud.tanium.com');
  });

  it.each(['10.0.0.7', '169.254.169.254', 'fd00::7'])(
    'refuses a cloud name resolving to %s',
    async (address) => {
      client = createTaniumClient({
        target: { kind: 'cloud', domain: 'acme-api.cloud.tanium.com' },
        token: TOKEN,
        lookup: fixedLookup(address),
      });
      const error = await client.rest('GET', '/session/current').catch((e: unknown) => e);
      expect((error as ConnectionError).code).toBe('BLOCKED_ADDRESS');
    },
  );

  it('lets localhost reach the emulator only when it resolves to loopback', async () => {
    fake = await startFake((_req, res) => json(res, 200, { data: 'hello' }));
    client = createTaniumClient({
      target: { kind: 'server', url: `http://localhost:${fake.port}` },
      token: TOKEN,
    });
    expect(await client.rest('GET', '/x')).toBe('hello');
    await client.close();
    client = createTaniumClient({
      target: { kind: 'server', url: `http://localhost:${fake.port}` },
      token: TOKEN,
      lookup: fixedLookup('192.168.1.10'),
    });
    const error = await client.rest('GET', '/x').catch((e: unknown) => e);
    expect((error as ConnectionError).code).toBe('BLOCKED_ADDRESS');
    expect(fake.requests).toHaveLength(1);
  });
});
