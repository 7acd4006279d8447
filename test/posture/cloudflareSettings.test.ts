import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { type DialectHomes, dialectHomes } from '../helpers/dialectHomes.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';
import { homeWithKeys, type Served, serve } from '../helpers/serveHarness.js';
import { DIALECTS } from '../store/dialects.js';
import { AccessStandIn, accessToken, type Key } from './accessStandIn.js';
import { syncedAssets } from './syncedAssets.js';

const PATH = '/v1/integrations/cloudflare/settings';
const AUD = randomBytes(32).toString('hex');
let h: Harness;
let home: string;
let admin: string;
let viewer: string;
let api: Served;
let first: { access: AccessStandIn; key: Key };
let second: { access: AccessStandIn; key: Key };
let serial: string;
let endpointId: string;
const tokens: string[] = [];

async function standIn(): Promise<{ access: AccessStandIn; key: Key }> {
  const access = new AccessStandIn();
  await access.listen();
  return { access, key: await access.addKey('k1') };
}

async function score(server: Served, team: { access: AccessStandIn; key: Key }, aud = AUD) {
  const jwt = await accessToken(team.key, 'k1', { iss: team.access.url, aud });
  tokens.push(jwt);
  return server.call('POST', '/v1/integrations/cloudflare/posture', {
    key: null,
    body: { devices: [{ device_id: 'cf-1', serial_number: serial }] },
    headers: { 'cf-access-jwt-assertion': jwt },
  });
}

/** Reads the store `serve` uses, through its repositories. */
async function stored<T>(homes: DialectHomes, read: (store: Store) => Promise<T>): Promise<T> {
  const store = await homes.open(home);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe.each(DIALECTS)('Cloudflare settings through the API ($name)', (dialect) => {
  const homes = dialectHomes(dialect);
  beforeAll(async () => {
    first = await standIn();
    second = await standIn();
    h = await startHarness({ endpoints: 50, seed: 16, realism: 0 });
    ({ home, admin, viewer } = await homeWithKeys(h, h.token, await homes.home()));
    const synced = await runCli(['sync', '--streams', 'assets'], { home });
    if (synced.code !== 0) throw new Error(synced.stderr);
    const device = (await syncedAssets(home, homes.env(home)['TANIUM_BRIDGE_DB'] || undefined))[0]!;
    serial = device.serial_number;
    endpointId = device.endpoint_id;
    api = await serve(home, admin, ['--no-scheduler']);
  }, 180_000);

  afterAll(async () => {
    expect(await api.stop()).toBe(0);
    await h.close();
    first.access.server.close();
    second.access.server.close();
    // No token or API key ever reaches the service's logs.
    for (const t of tokens) expect(api.logs()).not.toContain(t.split('.')[2]);
    expect(api.logs()).not.toContain(admin);
    await homes.dropAll();
  });

  describe('Cloudflare settings through the API', () => {
    it('without settings: GET says none and the provider answers 503 naming both ways to set them', async () => {
      const got = await api.call('GET', PATH, { key: viewer });
      expect(got.status).toBe(200);
      expect(got.json).toMatchObject({
        source: 'none',
        team: null,
        aud: null,
        overridden: null,
        history: [],
      });
      const reply = await score(api, first);
      expect(reply.status).toBe(503);
      expect(reply.json.error.code).toBe('cloudflare_not_configured');
      expect(reply.json.error.message).toMatch(/--cloudflare-team and --cloudflare-aud/);
      expect(reply.json.error.message).toContain(`PUT ${PATH}`);
      expect(reply.json.error.fix).toContain(`PUT ${PATH}`);
    });

    it('refuses a viewer, a bad team, a bad AUD and malformed bodies, and stores nothing', async () => {
      const byViewer = await api.call('PUT', PATH, {
        key: viewer,
        body: { team: first.access.url, aud: AUD },
      });
      expect(byViewer.status).toBe(403);
      expect(byViewer.json.error.code).toBe('forbidden');
      expect((await api.call('DELETE', PATH, { key: viewer })).status).toBe(403);
      const invalid: [unknown, string, RegExp][] = [
        [{ team: 'https://evil.example.com', aud: AUD }, 'invalid_cloudflare_team', /team "https:\/\/evil/],
        [
          { team: 'http://10.0.0.1:8080', aud: AUD },
          'invalid_cloudflare_team',
          /not a Cloudflare Zero Trust team/,
        ],
        [{ team: 'ac me', aud: AUD }, 'invalid_cloudflare_team', /not a Cloudflare Zero Trust team/],
        [
          { team: 'acme', aud: 'not-hex-at-all-000' },
          'invalid_cloudflare_aud',
          /not an Access Application Audience/,
        ],
        [{ team: 'acme', aud: 'abc123' }, 'invalid_cloudflare_aud', /not an Access Application Audience/],
      ];
      for (const [body, code, message] of invalid) {
        const reply = await api.call('PUT', PATH, { body });
        expect(reply.status).toBe(422);
        expect(reply.json.error.code).toBe(code);
        expect(reply.json.error.message).toMatch(message);
        expect(reply.json.error.fix).toMatch(/^Give /);
      }
      for (const body of [
        { team: 'acme' },
        { team: 'acme', aud: AUD, extra: 1 },
        { team: 7, aud: AUD },
        [],
      ]) {
        const reply = await api.call('PUT', PATH, { body });
        expect(reply.status).toBe(400);
        expect(reply.json.error.code).toBe('invalid_request');
      }
      // Nothing stored, not even a refused change in the history.
      expect(await stored(homes, (store) => store.cloudflareSettings.history())).toEqual([]);
      expect((await api.call('GET', PATH)).json.source).toBe('none');
    });

    it('PUT stores the team and AUD with who and when; the provider verifies against them at once', async () => {
      const put = await api.call('PUT', PATH, { body: { team: first.access.url, aud: AUD.toUpperCase() } });
      expect(put.status).toBe(200);
      expect(put.json).toMatchObject({
        source: 'api',
        team: first.access.url,
        issuer: first.access.url,
        aud: AUD,
        changedBy: 'apikey:admin',
        overridden: null,
      });
      expect(Date.parse(put.json.changedAt)).not.toBeNaN();
      expect((await api.call('GET', PATH, { key: viewer })).json).toEqual(put.json);
      expect(await stored(homes, (store) => store.cloudflareSettings.current())).toEqual({
        issuer: first.access.url,
        audience: AUD,
        changedBy: 'apikey:admin',
        changedAt: put.json.changedAt,
      });
      const reply = await score(api, first);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ result: { 'cf-1': { s2s_id: endpointId, score: 100 } } });
      expect((await score(api, first, 'f'.repeat(64))).status).toBe(403);
    });

    it('a new team takes effect without a restart, with its own key set', async () => {
      const named = await api.call('PUT', PATH, { body: { team: 'ACME.cloudflareaccess.com', aud: AUD } });
      expect(named.json).toMatchObject({
        source: 'api',
        team: 'acme',
        issuer: 'https://acme.cloudflareaccess.com',
      });
      const put = await api.call('PUT', PATH, { body: { team: second.access.url, aud: AUD } });
      expect(put.status).toBe(200);
      const before = second.access.fetches;
      const refused = await score(api, first);
      expect(refused.status).toBe(403);
      // Both teams name their key k1: the old team's token is checked against the new team's key set.
      expect(refused.json.error.message).toMatch(/signature does not verify/);
      const accepted = await score(api, second);
      expect(accepted.status).toBe(200);
      expect(accepted.json.result['cf-1'].s2s_id).toBe(endpointId);
      expect(second.access.fetches).toBeGreaterThan(before);
    });

    it('DELETE clears the stored settings, recorded with who; the provider answers 503 again', async () => {
      const cleared = await api.call('DELETE', PATH);
      expect(cleared.status).toBe(200);
      expect(cleared.json).toMatchObject({ source: 'none', team: null, aud: null });
      expect(cleared.json.history.map((c: { team: string | null }) => c.team)).toEqual([
        first.access.url,
        'acme',
        second.access.url,
        null,
      ]);
      expect(cleared.json.history.at(-1).changedBy).toBe('apikey:admin');
      expect(await stored(homes, (store) => store.cloudflareSettings.current())).toBeUndefined();
      expect((await score(api, second)).status).toBe(503);
    });

    it("serve's flags win over stored settings: GET says so and PUT or DELETE is refused with 409", async () => {
      expect((await api.call('PUT', PATH, { body: { team: first.access.url, aud: AUD } })).status).toBe(200);
      const flagged = await serve(home, admin, [
        '--no-scheduler',
        '--cloudflare-team',
        second.access.url,
        '--cloudflare-aud',
        AUD,
      ]);
      try {
        const got = await flagged.call('GET', PATH, { key: viewer });
        expect(got.json).toMatchObject({
          source: 'flags',
          team: second.access.url,
          aud: AUD,
          changedBy: null,
          overridden: { team: first.access.url, aud: AUD, changedBy: 'apikey:admin' },
        });
        for (const method of ['PUT', 'DELETE']) {
          const reply = await flagged.call(method, PATH, {
            ...(method === 'PUT' ? { body: { team: 'acme', aud: AUD } } : {}),
          });
          expect(reply.status).toBe(409);
          expect(reply.json.error.code).toBe('cloudflare_settings_from_flags');
          expect(reply.json.error.fix).toMatch(/without --cloudflare-team and --cloudflare-aud/);
        }
        expect((await score(flagged, second)).status).toBe(200);
        expect((await score(flagged, first)).status).toBe(403);
        // The service without flags still answers from the stored settings.
        expect((await score(api, first)).status).toBe(200);
      } finally {
        expect(await flagged.stop()).toBe(0);
      }
    }, 60_000);

    it('the OpenAPI document lists the settings routes', async () => {
      const openapi = await api.call('GET', '/v1/openapi.json', { key: null });
      const route = openapi.json.paths[PATH];
      expect(Object.keys(route).sort()).toEqual(['delete', 'get', 'put']);
      expect(route.put.requestBody.content['application/json'].schema.required).toEqual(['team', 'aud']);
    });
  });
});
