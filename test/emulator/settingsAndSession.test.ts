import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface Setting {
  name: string;
  value: string | number;
  default_value: string | number;
  value_type: string;
}

describe('emulator: system settings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const get = async (name: string) =>
    (await h.call<{ data: Setting }>('GET', `/api/v2/system_settings/by-name/${name}`)).json.data;
  const patch = (name: string, body: unknown) =>
    h.call<{ data: Setting; text: string }>('PATCH', `/api/v2/system_settings/by-name/${name}`, { body });

  it("lists the settings of Tanium's console documentation of API tokens and the token string length with their defaults, ending with cache_info", async () => {
    const reply = await h.call<{ data: (Setting | { cache_info: unknown })[] }>(
      'GET',
      '/api/v2/system_settings',
    );
    const settings = reply.json.data.filter((s): s is Setting => 'name' in s);
    const values = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    expect(values).toEqual({
      api_token_expiration_in_days: 7,
      api_token_max_expiration_in_days: 365,
      api_token_trusted_ip_address_list: '',
      authenticate_api_token_with_x_forwarded_for_ip: 0,
      api_token_string_length: 64,
    });
    expect(reply.json.data.at(-1)).toHaveProperty('cache_info');
  });

  it('changes a setting by name and answers SystemSettingNotFound for unknown names', async () => {
    expect((await patch('api_token_string_length', { value: '96' })).status).toBe(200);
    expect((await createToken(h)).token_string).toMatch(/^token-[0-9a-f]{96}$/);
    await patch('api_token_string_length', { value: 64 });
    expect((await get('api_token_string_length')).value).toBe(64);
    const missing = await h.call<{ text: string }>('GET', '/api/v2/system_settings/by-name/no_such_setting');
    expect(missing.status).toBe(404);
    expect(missing.json.text).toMatch(/^SystemSettingNotFound:/);
  });

  it.each([
    ['api_token_expiration_in_days', { value: '0' }, 'at least 1'],
    ['api_token_expiration_in_days', { value: 'seven' }, 'whole number'],
    ['api_token_expiration_in_days', { value: '400' }, 'may not exceed api_token_max_expiration_in_days'],
    ['api_token_max_expiration_in_days', { value: '5' }, 'may not be below api_token_expiration_in_days'],
    ['api_token_max_expiration_in_days', { value: '-3' }, 'whole number'],
    ['authenticate_api_token_with_x_forwarded_for_ip', { value: '2' }, '0 or 1'],
    ['api_token_string_length', { value: '10' }, 'between 64 and 1024'],
    ['api_token_trusted_ip_address_list', { value: '10.0.0.1,nonsense' }, 'nonsense'],
    ['api_token_expiration_in_days', { value: true }, 'string or a number'],
    ['api_token_expiration_in_days', { value: '8', name: 'x' }, 'TooManyTagsWithSameName'],
    ['api_token_expiration_in_days', { valeu: '8' }, 'unknown field "valeu"'],
  ])('refuses %s = %j and keeps the old value', async (name, body, message) => {
    const before = (await get(name)).value;
    const reply = await patch(name, body);
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain(message);
    expect((await get(name)).value).toBe(before);
  });
});

describe('emulator: session', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('describes the current user with personas', async () => {
    const reply = await h.call<{ data: { user: { name: string; personas: { name: string }[] } } }>(
      'GET',
      '/api/v2/session/current',
    );
    expect(reply.status).toBe(200);
    expect(reply.json.data.user.name).toBe('tanium-admin');
    expect(reply.json.data.user.personas).toEqual([{ id: 1, name: 'Default' }]);
  });

  it('validates a token in both body forms and refuses an invalid one', async () => {
    for (const body of [{ session: h.token }, { data: { session: h.token } }]) {
      const reply = await h.call<{ data: { session: string } }>('POST', '/api/v2/session/validate', { body });
      expect(reply.status).toBe(200);
      expect(reply.json.data.session).toBe(h.token);
    }
    const bad = await h.call<{ text: string }>('POST', '/api/v2/session/validate', {
      body: { session: 'token-00' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toBe('InvalidSession: Invalid session');
    const empty = await h.call<{ text: string }>('POST', '/api/v2/session/validate', { body: {} });
    expect(empty.status).toBe(400);
  });

  it('refuses username and password sign-in as Tanium Cloud does', async () => {
    const reply = await h.call<{ text: string }>('POST', '/api/v2/session/login', {
      token: null,
      body: { username: 'admin', password: 'secret' },
    });
    expect(reply.status).toBe(401);
    expect(reply.json.text).toContain('not available on Tanium Cloud');
  });

  it('refuses a request with no session header on every surface', async () => {
    const rest = await h.call<{ text: string }>('GET', '/api/v2/api_tokens', { token: null });
    expect(rest.status).toBe(401);
    expect(rest.json.text).toMatch(/^Unauthorized/);
    const gql = await h.call<{ errors: unknown[] }>('POST', '/plugin/products/gateway/graphql', {
      token: null,
      body: { query: '{ now }' },
    });
    expect(gql.status).toBe(401);
    expect(gql.json.errors).toHaveLength(1);
    const malformed = await h.call('GET', '/api/v2/api_tokens', { token: 'not-a-token' });
    expect(malformed.status).toBe(401);
  });
});
