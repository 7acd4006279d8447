import { afterEach, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  assertAllowedUrl,
  ClientConfigError,
  ConnectionError,
  checkResolvedHost,
  createTaniumClient,
  embeddedIPv4,
  isLoopbackAddress,
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
      'xn--80ak6aa92e-api.cloud.tanium.com', // punycode that does not decode: never resolves
      'xn--acme-api.cloud.tanium.com',
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

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '::8.8.8.8',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, client 8.8.8.8
  ])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

/**
 * IPv6 forms that carry an IPv4 address: each is judged by the address it carries, for every IPv4
 * range the allow-list refuses. Written both dotted and in hex, as DNS answers and URL parsing give them.
 */
const CARRIED_IPV4: readonly (readonly [string, string])[] = [
  ['loopback', '127.0.0.1'],
  ['private 10/8', '10.0.0.1'],
  ['private 172.16/12', '172.16.5.4'],
  ['private 192.168/16', '192.168.1.1'],
  ['link-local / metadata', '169.254.169.254'],
  ['CGNAT', '100.64.0.1'],
  ['this network', '0.0.0.0'],
  ['IETF protocol assignments', '192.0.0.8'],
  ['benchmarking', '198.18.0.1'],
  ['multicast', '224.0.0.1'],
  ['reserved', '240.0.0.1'],
  ['broadcast', '255.255.255.255'],
];

function hex(ipv4: string): [string, string] {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

function teredo(ipv4: string): string {
  const [high, low] = hex(ipv4).map((group) => (Number.parseInt(group, 16) ^ 0xffff).toString(16));
  return `2001:0:4136:e378:8000:63bf:${high}:${low}`;
}

const EMBEDDINGS: readonly (readonly [string, (ipv4: string) => string])[] = [
  ['IPv4-mapped', (v4) => `::ffff:${v4}`],
  ['IPv4-mapped (hex)', (v4) => `::ffff:${hex(v4).join(':')}`],
  ['IPv4-mapped (bracketed, long form)', (v4) => `[0:0:0:0:0:ffff:${v4}]`],
  ['IPv4-compatible', (v4) => `::${v4}`],
  ['IPv4-compatible (hex)', (v4) => `::${hex(v4).join(':')}`],
  ['NAT64 64:ff9b::/96', (v4) => `64:ff9b::${v4}`],
  ['NAT64 (hex, upper case)', (v4) => `64:FF9B::${hex(v4).join(':').toUpperCase()}`],
  ['6to4 2002::/16', (v4) => `2002:${hex(v4).join(':')}::1`],
  ['6to4 (full form)', (v4) => `2002:${hex(v4).join(':')}:0:0:0:0:1`],
  ['Teredo 2001::/32', teredo],
];

describe('IPv6 forms of non-public IPv4 addresses', () => {
  const table = EMBEDDINGS.flatMap(([form, write]) =>
    CARRIED_IPV4.map(([range, v4]) => [form, range, write(v4)] as const),
  );

  it.each(table)('%s of %s (%s) is not public', (_form, _range, address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['64:ff9b:1::a00:1', '64:ff9b:1::808:808', '2001:db8::1', 'fec0::1', '100::1', 'fe80::1%eth0'])(
    '%s is a non-public IPv6 range in itself',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(true);
    },
  );

  it('decodes which IPv4 address each form carries', () => {
    expect(embeddedIPv4('::ffff:7f00:1')).toEqual({ embedding: 'mapped', ipv4: '127.0.0.1' });
    expect(embeddedIPv4('::a00:1')).toEqual({ embedding: 'compatible', ipv4: '10.0.0.1' });
    expect(embeddedIPv4('64:ff9b::c0a8:101')).toEqual({ embedding: 'nat64', ipv4: '192.168.1.1' });
    expect(embeddedIPv4('2002:a9fe:a9fe::')).toEqual({ embedding: '6to4', ipv4: '169.254.169.254' });
    expect(embeddedIPv4(teredo('10.1.2.3'))).toEqual({ embedding: 'teredo', ipv4: '10.1.2.3' });
    expect(embeddedIPv4('2606:4700::1111')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
    expect(embeddedIPv4('10.0.0.1')).toBeUndefined();
  });

  it('counts only real and IPv4-mapped loopback as loopback (NAT64 and 6to4 forms leave the machine)', () => {
    for (const address of [
      '127.0.0.1',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0:0:0:0:0:0:0:1',
    ]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      '::127.0.0.1',
      '64:ff9b::127.0.0.1',
      '2002:7f00:1::',
      '::2',
      '10.0.0.1',
      'localhost',
    ]) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });
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

  it.each([
    '10.0.0.7',
    '169.254.169.254',
    'fd00::7',
    '::ffff:127.0.0.1',
    '::ffff:a00:7',
    '::10.0.0.7',
    '64:ff9b::10.0.0.7',
    '64:ff9b::a9fe:a9fe',
    '2002:a00:7::1',
    '2002:7f00:1::',
  ])('refuses a cloud name resolving to %s', async (address) => {
    client = createTaniumClient({
      target: { kind: 'cloud', domain: 'acme-api.cloud.tanium.com' },
      token: TOKEN,
      lookup: fixedLookup(address),
    });
    const error = await client.rest('GET', '/session/current').catch((e: unknown) => e);
    expect((error as ConnectionError).code).toBe('BLOCKED_ADDRESS');
  });

  it('checks the proxied path (the proxy resolves the name) the same way', async () => {
    for (const address of ['64:ff9b::a00:1', '2002:c0a8:101::1', '::ffff:169.254.169.254']) {
      const error = await checkResolvedHost(
        'acme-api.cloud.tanium.com',
        'public-only',
        fixedLookup(address),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as NodeJS.ErrnoException).code, address).toBe('BLOCKED_ADDRESS');
    }
    await expect(
      checkResolvedHost('acme-api.cloud.tanium.com', 'public-only', fixedLookup('64:ff9b::808:808')),
    ).resolves.toBeUndefined();
  });

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
