import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTenants, startTenants, tenantHost } from '../../src/emulator/startTenants.js';
import { createTaniumClient } from '../../src/sdk/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { runSync } from '../../src/sync/runner.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { ALL, counts, freezeClock, SETTINGS, truth } from '../helpers/syncHarness.js';

const session = (url: string, token: string) =>
  fetch(`${url}/api/v2/session/current`, { headers: { session: token } });

describe('one emulator process, several tenants told apart by host', () => {
  let served: RunningTenants;
  beforeAll(async () => {
    served = await startTenants({ tenants: 3, endpoints: 60, seed: 4, realism: 0 });
    // Each tenant's clock stopped (it still moves with `/__emulator/clock`): a fleet's findings change
    // when an endpoint reports its daily scan, at its own time of day, so a truth read a second after a
    // sync could hold a finding the sync did not see.
    for (const tenant of served.tenants) freezeClock(tenant);
  });
  afterAll(() => served.close());

  it('tenant k answers at 127.0.0.k on one shared port, with its own token', async () => {
    expect(served.tenants.map((t) => new URL(t.url).hostname)).toEqual([1, 2, 3].map(tenantHost));
    expect(new Set(served.tenants.map((t) => new URL(t.url).port))).toEqual(new Set([String(served.port)]));
    const [a, b] = served.tenants;
    expect((await session(a!.url, a!.token)).status).toBe(200);
    expect((await session(b!.url, b!.token)).status).toBe(200);
    // A token is known only to the tenant that issued it, as on Tanium Cloud.
    expect(a!.token).not.toBe(b!.token);
    expect((await session(b!.url, a!.token)).status).toBe(401);
    expect((await session(a!.url, b!.token)).status).toBe(401);
  });

  it("each tenant has its own fleet, clock and faults: changing one leaves the others' alone", async () => {
    const [a, b, c] = served.tenants;
    const names = async (url: string, token: string) => {
      const reply = await fetch(`${url}/plugin/products/gateway/graphql`, {
        method: 'POST',
        headers: { session: token, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ endpoints(first: 5) { edges { node { name } } } }' }),
      });
      const body = (await reply.json()) as { data: { endpoints: { edges: { node: { name: string } }[] } } };
      return body.data.endpoints.edges.map((e) => e.node.name);
    };
    expect(await names(a!.url, a!.token)).not.toEqual(await names(b!.url, b!.token));

    const clockOf = async (url: string) =>
      ((await (await fetch(`${url}/__emulator/clock`)).json()) as { offsetMs: number }).offsetMs;
    await fetch(`${c!.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: '2d' }),
    });
    expect(await clockOf(c!.url)).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(await clockOf(a!.url)).toBe(0);

    await fetch(`${b!.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ path: '/api/v2/*', fault: 'status:503', rate: 1 }] }),
    });
    try {
      expect((await session(b!.url, b!.token)).status).toBe(503);
      expect((await session(a!.url, a!.token)).status).toBe(200);
    } finally {
      await fetch(`${b!.url}/__emulator/faults`, { method: 'DELETE' });
    }
  });

  it("two connections in one store sync two tenants: each equals its own tenant's truth", async () => {
    const store = SqliteStore.open(join(tempDir('tb-tenants-'), 'bridge.db'));
    try {
      for (const [i, tenant] of served.tenants.slice(0, 2).entries()) {
        const name = `tenant-${i + 1}`;
        await store.connections.upsert(
          { name, kind: 'server', address: tenant.url },
          new Date().toISOString(),
        );
        const client = createTaniumClient({ baseUrl: tenant.url, token: tenant.token });
        try {
          await runSync({ store, client, connection: name, streams: ALL, settings: SETTINGS });
        } finally {
          await client.close();
        }
      }
      for (const [i, tenant] of served.tenants.slice(0, 2).entries()) {
        const t = await truth(tenant.url);
        expect(await counts(store, `tenant-${i + 1}`)).toEqual({
          endpoints: t.endpoints,
          cveFindings: t.cveFindings,
          complianceFindings: t.complianceFindings,
        });
      }
      const [one, two] = [await truth(served.tenants[0]!.url), await truth(served.tenants[1]!.url)];
      expect(one.cveFindings).not.toBe(two.cveFindings);
    } finally {
      await store.close();
    }
  });

  it('refuses a tenant count outside 1 to 254', async () => {
    await expect(startTenants({ tenants: 0 })).rejects.toThrow(/from 1 to 254/);
    await expect(startTenants({ tenants: 255 })).rejects.toThrow(/from 1 to 254/);
  });
});
