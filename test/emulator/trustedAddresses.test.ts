import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';

const setSetting = (h: Harness, name: string, value: string) =>
  h.call('PATCH', `/api/v2/system_settings/by-name/${name}`, { body: { value } });

describe('emulator: trusted client addresses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await setSetting(h, 'api_token_trusted_ip_address_list', '');
    await setSetting(h, 'authenticate_api_token_with_x_forwarded_for_ip', '0');
  });

  const status = async (token: string, headers: Record<string, string> = {}) =>
    (await h.call('GET', '/api/v2/session/current', { token, headers })).status;

  it("admits a caller in the token's own list, as an address or a CIDR range", async () => {
    expect(await status((await createToken(h, { trusted_ip_addresses: '127.0.0.1' })).token_string!)).toBe(
      200,
    );
    expect(await status((await createToken(h, { trusted_ip_addresses: '127.0.0.0/8' })).token_string!)).toBe(
      200,
    );
    const newlines = await createToken(h, { trusted_ip_addresses: '10.1.1.1\n127.0.0.1' });
    expect(await status(newlines.token_string!)).toBe(200);
    expect(newlines.trusted_ip_addresses).toBe('10.1.1.1,127.0.0.1');
  });

  it('refuses a caller outside the list with 401 and a {text} body', async () => {
    const token = await createToken(h, { trusted_ip_addresses: '10.0.0.0/8,192.168.1.7' });
    const reply = await h.call<{ text: string }>('GET', '/api/v2/session/current', {
      token: token.token_string!,
    });
    expect(reply.status).toBe(401);
    expect(reply.json.text).toContain('api_token_trusted_ip_address_list');
    const gql = await h.gql<{ errors: { message: string }[] }>('{ now }', undefined, token.token_string!);
    expect(gql.status).toBe(401);
    expect(gql.json.errors[0]?.message).toMatch(/^Unauthorized/);
  });

  it('refuses a token with no trusted addresses from everywhere until the global list admits the caller', async () => {
    const token = await createToken(h, { trusted_ip_addresses: '' });
    expect(token.trusted_ip_addresses).toBe('');
    expect(await status(token.token_string!)).toBe(401);
    await setSetting(h, 'api_token_trusted_ip_address_list', '192.0.2.1,127.0.0.0/24');
    expect(await status(token.token_string!)).toBe(200);
    await setSetting(h, 'api_token_trusted_ip_address_list', '192.0.2.1');
    expect(await status(token.token_string!)).toBe(401);
  });

  it('admits everyone with 0.0.0.0/0', async () => {
    const token = await createToken(h, { trusted_ip_addresses: '0.0.0.0/0' });
    expect(await status(token.token_string!)).toBe(200);
  });

  it('uses X-Forwarded-For only when authenticate_api_token_with_x_forwarded_for_ip is 1', async () => {
    const token = await createToken(h, { trusted_ip_addresses: '198.51.100.0/24' });
    const viaProxy = { 'x-forwarded-for': '198.51.100.20, 127.0.0.1' };
    expect(await status(token.token_string!, viaProxy)).toBe(401);
    await setSetting(h, 'authenticate_api_token_with_x_forwarded_for_ip', '1');
    expect(await status(token.token_string!, viaProxy)).toBe(200);
    expect(await status(token.token_string!, { 'x-forwarded-for': '203.0.113.9' })).toBe(401);
    // With the setting on, the peer address no longer counts: a loopback-trusted token behind an outside proxy is refused.
    const local = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    expect(await status(local.token_string!, { 'x-forwarded-for': '203.0.113.9' })).toBe(401);
  });

  it('matches IPv6 addresses and ranges (through X-Forwarded-For)', async () => {
    await setSetting(h, 'authenticate_api_token_with_x_forwarded_for_ip', '1');
    const token = await createToken(h, { trusted_ip_addresses: '2001:db8::/32,fe80::1' });
    expect(await status(token.token_string!, { 'x-forwarded-for': '2001:db8:1::5' })).toBe(200);
    expect(await status(token.token_string!, { 'x-forwarded-for': 'fe80::1' })).toBe(200);
    expect(await status(token.token_string!, { 'x-forwarded-for': '2001:db9::1' })).toBe(401);
  });

  it('refuses invalid trusted addresses with a 400 naming the entry, and creates nothing', async () => {
    const before = await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens');
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'example.com', '2001:db8::/129', '1.2.3.4/x']) {
      const reply = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
        body: { trusted_ip_addresses: bad },
      });
      expect(reply.status).toBe(400);
      expect(reply.json.text).toContain(bad);
    }
    const after = await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens');
    expect(after.json.data.length).toBe(before.json.data.length);
  });
});

describe('emulator: IPv6 peers', () => {
  it("admits the bootstrap token from ::1 and checks a token's IPv6 list against the peer", async () => {
    const h = await startHarness({ host: '::1' });
    try {
      expect(h.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await h.call('GET', '/api/v2/session/current')).status).toBe(200);
      const v4only = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
      expect((await h.call('GET', '/api/v2/session/current', { token: v4only.token_string! })).status).toBe(
        401,
      );
      const v6 = await createToken(h, { trusted_ip_addresses: '::1/128' });
      expect((await h.call('GET', '/api/v2/session/current', { token: v6.token_string! })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
