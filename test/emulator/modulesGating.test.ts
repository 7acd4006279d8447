import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_PERMISSIONS } from '../../src/emulator/modules/index.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface Made {
  user: { id: number; name: string };
  persona: { id: number; name: string; permissions: string[] };
  token: string;
}

describe('emulator modules: every module answers at its base path and refuses a persona without it', () => {
  let h: Harness;
  let none: Made;
  beforeAll(async () => {
    h = await startHarness();
    none = await persona('nobody', 'No Modules', []);
  });
  afterAll(() => h.close());

  async function persona(user: string, name: string, permissions: string[]): Promise<Made> {
    const reply = await h.call<Made>('POST', '/__emulator/personas', {
      token: null,
      body: { user, persona: name, permissions },
    });
    expect(reply.status, reply.text).toBe(200);
    return reply.json;
  }

  const modules = MODULE_PERMISSIONS.filter((m) => m.permission !== null);

  it('lists ten modules, the Core Platform needing no module permission', () => {
    expect(MODULE_PERMISSIONS.map((m) => m.name)).toEqual([
      'Core Platform',
      'Asset',
      'Comply',
      'Connect',
      'Deploy',
      'Enforce',
      'Integrity Monitor',
      'Patch',
      'Reputation',
      'Threat Response',
    ]);
    expect(MODULE_PERMISSIONS[0]?.permission).toBeNull();
  });

  it.each(MODULE_PERMISSIONS.map((m) => [m.name, m] as const))(
    '%s answers its probe with the admin token',
    async (_n, m) => {
      expect(m.probe.startsWith(m.basePath)).toBe(true);
      const reply = await h.call('GET', m.probe);
      expect(reply.status, reply.text).toBe(200);
    },
  );

  it.each(modules.map((m) => [m.name, m] as const))(
    '%s refuses a persona without its permission, with 403 naming it',
    async (_n, m) => {
      const reply = await h.call<{ text: string }>('GET', m.probe, { token: none.token });
      expect(reply.status).toBe(403);
      expect(reply.json.text).toBe(
        `RBACInsufficientPrivilege: this persona lacks the "${m.permission}" permission needed for the ${m.name} module`,
      );
    },
  );

  it.each(modules.map((m) => [m.name, m] as const))(
    '%s admits a persona holding only its permission',
    async (_n, m) => {
      const only = await persona(`only-${m.key}`, `Only ${m.name}`, [m.permission!]);
      expect((await h.call('GET', m.probe, { token: only.token })).status).toBe(200);
      const other = modules.find((x) => x.key !== m.key)!;
      expect((await h.call('GET', other.probe, { token: only.token })).status).toBe(403);
    },
  );

  it('gates writes before reading the body: a refused persona learns nothing from validation', async () => {
    const reply = await h.call<{ text: string }>('POST', '/plugin/products/patch/v2/deployments', {
      token: none.token,
      rawBody: '{not json',
    });
    expect(reply.status).toBe(403);
  });

  it('lets any valid token use the Core Platform', async () => {
    expect((await h.call('GET', '/api/v2/session/current', { token: none.token })).status).toBe(200);
  });

  it("serves Asset's /status without the Asset permission, as Tanium describes it", async () => {
    expect((await h.call('GET', '/plugin/products/asset/status', { token: none.token })).status).toBe(200);
    expect((await h.call('GET', '/plugin/products/asset/status', { token: null })).status).toBe(401);
  });

  it('answers Connect with its own 401 text, and other modules with the platform one', async () => {
    for (const token of [null, 'token-0000', none.token.replace(/.$/, 'x')]) {
      const reply = await h.call<{ text: string }>('GET', '/plugin/products/connect/v1/connections', {
        token,
      });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ text: 'Invalid or expired session header.' });
    }
    const patch = await h.call<{ text: string }>('GET', '/plugin/products/patch/v1/patches', { token: null });
    expect(patch.status).toBe(401);
    expect(patch.json.text).toMatch(/^Unauthorized: /);
  });

  it('answers Connect 401 for an expired token too', async () => {
    const short = await h.call<Made>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'short', persona: 'Short', permissions: ['Show Connect'], expire_in_days: 1 },
    });
    expect(
      (await h.call('GET', '/plugin/products/connect/v1/connections', { token: short.json.token })).status,
    ).toBe(200);
    await h.advance('2d');
    const reply = await h.call('GET', '/plugin/products/connect/v1/connections', { token: short.json.token });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ text: 'Invalid or expired session header.' });
  });
});

describe('emulator: POST /__emulator/personas', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('makes a user, a persona and a token bound to it, and reuses them by name', async () => {
    const body = { user: 'analyst', persona: 'Patch Only', permissions: ['Show Patch', 'Show Patch'] };
    const first = await h.call<Made>('POST', '/__emulator/personas', { token: null, body });
    expect(first.status).toBe(200);
    expect(first.json.user.name).toBe('analyst');
    expect(first.json.persona).toMatchObject({ name: 'Patch Only', permissions: ['Show Patch'] });
    expect(first.json.token).toMatch(/^token-[0-9a-f]{64}$/);
    const current = await h.call<{ data: { user: { name: string; persona: { id: number } } } }>(
      'GET',
      '/api/v2/session/current',
      { token: first.json.token },
    );
    expect(current.json.data.user.name).toBe('analyst');
    expect(current.json.data.user.persona.id).toBe(first.json.persona.id);

    const again = await h.call<Made>('POST', '/__emulator/personas', {
      token: null,
      body: { ...body, permissions: ['Show Comply'] },
    });
    expect(again.json.user.id).toBe(first.json.user.id);
    expect(again.json.persona.id).toBe(first.json.persona.id);
    expect(again.json.token).not.toBe(first.json.token);
    // The persona's permissions were replaced: both tokens now see Comply, not Patch.
    expect(
      (await h.call('GET', '/plugin/products/patch/v1/patches?take=1', { token: first.json.token })).status,
    ).toBe(403);
    expect(
      (await h.call('GET', '/plugin/products/comply/v1/benchmarks', { token: first.json.token })).status,
    ).toBe(200);
  });

  it('binds the token to the trusted addresses given', async () => {
    const reply = await h.call<Made>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'remote', persona: 'Remote', permissions: ['*'], trusted_ip_addresses: '192.0.2.7' },
    });
    expect(reply.status).toBe(200);
    expect((await h.call('GET', '/api/v2/session/current', { token: reply.json.token })).status).toBe(401);
  });

  it.each([
    ['no body', undefined, 'must be a JSON object'],
    ['no user', { persona: 'p', permissions: [] }, 'field "user" is required'],
    ['no persona', { user: 'u', permissions: [] }, 'field "persona" is required'],
    ['no permissions', { user: 'u', persona: 'p' }, 'field "permissions" is required'],
    [
      'permissions as a string',
      { user: 'u', persona: 'p', permissions: 'Show Patch' },
      'list of permission names',
    ],
    [
      'an unknown permission',
      { user: 'u', persona: 'p', permissions: ['Show Pach'] },
      'unknown permission "Show Pach"',
    ],
    ['an odd user name', { user: 'a/b', persona: 'p', permissions: [] }, 'field "user" must be'],
    [
      'a bad trusted list',
      { user: 'u', persona: 'p', permissions: [], trusted_ip_addresses: 'nope' },
      'nope',
    ],
    ['a zero lifetime', { user: 'u', persona: 'p', permissions: [], expire_in_days: 0 }, 'between 1 and 365'],
    ['an unknown field', { user: 'u', persona: 'p', permissions: [], role: 'x' }, 'unknown field "role"'],
    [
      'the administrator',
      { user: 'tanium-admin', persona: 'Default', permissions: [] },
      "emulator's administrator",
    ],
  ])('refuses %s with 400 and changes nothing', async (_label, body, message) => {
    const before = (await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens')).json.data.length;
    const reply = await h.call<{ text: string }>('POST', '/__emulator/personas', {
      token: null,
      ...(body === undefined ? {} : { body }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain(message);
    expect((await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens')).json.data.length).toBe(before);
  });
});
