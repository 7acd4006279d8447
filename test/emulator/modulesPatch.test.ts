/**
 * Patch administration over real HTTP: scan configurations, block lists and repos. Bare JSON, lists
 * keyed by their plural; unknown ids 404 with Patch's names, bad bodies 400 and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const P = '/plugin/products/patch';

describe('emulator Patch: scan configurations, block lists, repos', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a block list names existing patches, is listed in {blacklists}, updated and deleted', async () => {
    const created = await h.call<{ id: number; patchCount: number }>('POST', `${P}/v1/blacklists`, {
      body: { name: 'Known bad', osType: 'windows', patchTaniumUids: ['win-00001', 'win-00002'] },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.json.patchCount).toBe(2);
    const path = `${P}/v1/blacklists/${created.json.id}`;
    const list = await h.call<{ blacklists: { id: number }[] }>('GET', `${P}/v1/blacklists`);
    expect(list.json.blacklists.map((b) => b.id)).toEqual([created.json.id]);
    const bad = await h.call<{ text: string }>('PUT', path, { body: { patchTaniumUids: ['win-99999'] } });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('"patchTaniumUids" names no patch: win-99999');
    expect((await h.call<{ patchCount: number }>('GET', path)).json.patchCount).toBe(2);
    expect(
      (await h.call<{ patchCount: number }>('PUT', path, { body: { patchTaniumUids: [] } })).json.patchCount,
    ).toBe(0);
    expect((await h.call<{ id: number }>('DELETE', path)).json.id).toBe(created.json.id);
    expect((await h.call<{ text: string }>('GET', path)).json.text).toMatch(/^BlacklistNotFound: /);
    expect(
      (await h.call('POST', `${P}/v1/blacklists`, { body: { name: 'x', osType: 'amiga' } })).status,
    ).toBe(400);
  });

  it('scan configurations: one is seeded; a new one is created with defaults, updated and deleted', async () => {
    const list = await h.call<{ scanConfigurations: { id: number; name: string }[] }>(
      'GET',
      `${P}/v1/scan-configurations`,
    );
    expect(list.json.scanConfigurations[0]).toMatchObject({ id: 1, name: 'Default Windows Scan' });
    const created = await h.call<{ id: number; scanIntervalMinutes: number }>(
      'POST',
      `${P}/v1/scan-configurations`,
      {
        body: { name: 'Linux nightly', osType: 'linux', computerGroupIds: [2] },
      },
    );
    expect(created.status, created.text).toBe(200);
    expect(created.json.scanIntervalMinutes).toBe(1440);
    const path = `${P}/v1/scan-configurations/${created.json.id}`;
    expect((await h.call<{ priority: number }>('PUT', path, { body: { priority: 2 } })).json.priority).toBe(
      2,
    );
    expect((await h.call('PUT', path, { body: { scanIntervalMinutes: 0 } })).status).toBe(400);
    expect((await h.call('DELETE', path)).status).toBe(200);
    expect((await h.call('DELETE', path)).status).toBe(404);
    expect((await h.call('GET', `${P}/v1/scan-configurations/abc`)).status).toBe(404);
  });

  it('repos keep their password to themselves', async () => {
    const created = await h.call<{ id: number; repoType: string }>('POST', `${P}/v1/repos`, {
      body: {
        name: 'RHEL 9 BaseOS',
        url: 'https://repo.example/rhel9',
        username: 'mirror',
        password: 'repo-secret-pw',
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.text).not.toContain('repo-secret-pw');
    expect(created.json.repoType).toBe('yum');
    const list = await h.call<{ repos: unknown[] }>('GET', `${P}/v1/repos`);
    expect(list.json.repos).toHaveLength(1);
    expect(list.text).not.toContain('repo-secret-pw');
    expect((await h.call('POST', `${P}/v1/repos`, { body: { name: 'no url' } })).status).toBe(400);
    expect(
      (await h.call('PUT', `${P}/v1/repos/${created.json.id}`, { body: { enabled: 'yes' } })).status,
    ).toBe(400);
    expect((await h.call<{ repos: unknown[] }>('GET', `${P}/v1/repos`)).json.repos).toHaveLength(1);
    expect((await h.call<{ text: string }>('DELETE', `${P}/v1/repos/77`)).json.text).toMatch(
      /^RepoNotFound: /,
    );
  });
  it('a persona without "Show Patch" gets 403 on these routes, before the body is read', async () => {
    const made = await h.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'outsider', persona: 'No Show Patch', permissions: [] },
    });
    expect(made.status, made.text).toBe(200);
    const before = await h.call('GET', `${P}/v1/blacklists`);
    for (const [method, path, body] of [
      ['POST', `${P}/v1/blacklists`, { name: 'x', osType: 'windows' }],
      ['GET', `${P}/v1/scan-configurations`, undefined],
      ['GET', `${P}/v1/repos`, undefined],
    ] as const) {
      const reply = await h.call<{ text: string }>(method, path, { token: made.json.token, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.text).toContain('Show Patch');
    }
    expect((await h.call('GET', `${P}/v1/blacklists`)).text).toBe(before.text);
  });
});
