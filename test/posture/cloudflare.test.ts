import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';
import { homeWithKeys, type Served, serve } from '../helpers/serveHarness.js';
import { AccessStandIn, accessToken, type Key } from './accessStandIn.js';
import { syncedAssets } from './syncedAssets.js';

const AUD = randomBytes(32).toString('hex');
let h: Harness;
let home: string;
let api: Served;
let access: AccessStandIn;
let signing: Key;
let device: { endpoint_id: string; serial_number: string; name: string; mac_addresses: string[] };
const tokens: string[] = [];

async function token(
  key: Key,
  kid: string,
  claims: { iss?: string; aud?: string; exp?: number } = {},
): Promise<string> {
  const jwt = await accessToken(key, kid, {
    iss: claims.iss ?? access.url,
    aud: claims.aud ?? AUD,
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
  });
  tokens.push(jwt);
  return jwt;
}

const post = async (body: unknown, jwt?: string) =>
  api.call('POST', '/v1/integrations/cloudflare/posture', {
    key: null,
    body,
    ...(jwt ? { headers: { 'cf-access-jwt-assertion': jwt } } : {}),
  });

beforeAll(async () => {
  access = new AccessStandIn();
  await access.listen();
  signing = await access.addKey('k1');
  h = await startHarness({ endpoints: 100, seed: 15, realism: 0 });
  ({ home } = await homeWithKeys(h));
  const synced = await runCli(['sync', '--streams', 'assets'], { home });
  if (synced.code !== 0) throw new Error(synced.stderr);
  api = await serve(home, null, ['--no-scheduler', '--cloudflare-team', access.url, '--cloudflare-aud', AUD]);
}, 180_000);

afterAll(async () => {
  expect(await api.stop()).toBe(0);
  await h.close();
  access.server.close();
  // No token ever reaches the service's logs.
  for (const t of tokens) expect(api.logs()).not.toContain(t.split('.')[2]);
});

describe('Cloudflare posture provider', () => {
  it('scores devices matched by serial number, then MAC address, then host name; unknown devices score 0', async () => {
    const rows = await syncedAssets(home);
    device = rows[2]!;
    const mac = rows[3]!;
    const host = rows[4]!;
    const reply = await post(
      {
        devices: [
          { device_id: 'cf-1', serial_number: device.serial_number, hostname: 'wrong' },
          {
            device_id: 'cf-2',
            serial_number: 'NOT-A-SERIAL',
            mac_address: mac.mac_addresses[0]!.toUpperCase(),
          },
          { device_id: 'cf-3', mac_address: 'not a mac', hostname: host.name.split('.')[0] },
          { device_id: 'cf-4', serial_number: 'NOPE', email: 'a@example.com', virtual_ipv4: '100.96.0.1' },
        ],
      },
      await token(signing, 'k1'),
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      result: {
        'cf-1': { s2s_id: device.endpoint_id, score: 100 },
        'cf-2': { s2s_id: mac.endpoint_id, score: 100 },
        'cf-3': { s2s_id: host.endpoint_id, score: 100 },
        'cf-4': { s2s_id: '', score: 0 },
      },
    });
  });

  it('refuses a missing, forged, foreign, expired or mis-addressed token with 403 and one reason', async () => {
    const other = await new AccessStandIn().addKey('k1'); // same kid, another key
    const cases: [string | undefined, RegExp][] = [
      [undefined, /header is missing/],
      ['not.a.jwt', /not a valid JWT/],
      [await token(other, 'k1'), /signature does not verify/],
      [await token(signing, 'k1', { aud: 'f'.repeat(64) }), /another application \(aud\)/],
      [
        await token(signing, 'k1', { iss: 'https://evil.cloudflareaccess.com' }),
        /another team issued it \(iss\)/,
      ],
      [await token(signing, 'k1', { exp: Math.floor(Date.now() / 1000) - 600 }), /expired/],
      [await token(other, 'unknown-kid'), /no key of the team's key set matches it/],
    ];
    for (const [jwt, reason] of cases) {
      const reply = await post({ devices: [{ device_id: 'x', serial_number: device.serial_number }] }, jwt);
      expect(reply.status).toBe(403);
      expect(reply.json.error.code).toBe('cloudflare_token_refused');
      expect(reply.json.error.message).toMatch(reason);
      if (jwt) expect(reply.text).not.toContain(jwt);
    }
  });

  it('fetches the key set again when a token names a key id it does not hold (key rotation)', async () => {
    const before = access.fetches;
    // jose fetches the key set again at most once per 30 s (src/posture/cloudflare/accessToken.ts).
    await new Promise((r) => setTimeout(r, 31_000));
    const rotated = await access.addKey('k2');
    const reply = await post(
      { devices: [{ device_id: 'r', serial_number: device.serial_number }] },
      await token(rotated, 'k2'),
    );
    expect(reply.status).toBe(200);
    expect(access.fetches).toBeGreaterThan(before);
  }, 60_000);

  it('refuses batches of 1,001 devices and devices without an id, with 400', async () => {
    const jwt = await token(signing, 'k1');
    const many = Array.from({ length: 1001 }, (_, i) => ({ device_id: `d${i}` }));
    const tooMany = await post({ devices: many }, jwt);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toMatch(/1000/);
    expect((await post({ devices: [{ serial_number: 'x' }] }, jwt)).status).toBe(400);
    expect((await post({ devices: [{ device_id: 7 }] }, jwt)).status).toBe(400);
    expect((await post({ devices: 'all' }, jwt)).status).toBe(400);
  });
});
