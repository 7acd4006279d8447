import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, type RestToken, startHarness } from '../helpers/emulatorHarness.js';

const DAY = 86_400_000;
const lifetimeDays = (t: RestToken) => (Date.parse(t.expiration) - Date.parse(t.created_time)) / DAY;

describe('emulator: API tokens over Platform REST', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates a token that expires after the default 7 days and returns its string once', async () => {
    const created = await createToken(h, { notes: 'integration' });
    expect(lifetimeDays(created)).toBe(7);
    expect(created.expire_in_days).toBe(7);
    expect(created.token_string).toMatch(/^token-[0-9a-f]{64}$/);
    expect(created.notes).toBe('integration');
    expect(created.persona).toEqual({ id: 1, name: 'Default' });
    const me = await h.call('GET', '/api/v2/session/current', { token: created.token_string! });
    expect(me.status).toBe(200);
  });

  it('accepts expire_in_days up to 365 and refuses more, or less than 1, naming the limit', async () => {
    expect(lifetimeDays(await createToken(h, { expire_in_days: 365 }))).toBe(365);
    const tooLong = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
      body: { expire_in_days: 366 },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.text).toContain('maximum of 365 days');
    expect(tooLong.json.text).toContain('api_token_max_expiration_in_days');
    const zero = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
      body: { expire_in_days: 0 },
    });
    expect(zero.status).toBe(400);
    expect(zero.json.text).toContain('at least 1');
  });

  it('follows a changed default lifetime for new tokens only', async () => {
    const before = await createToken(h);
    const patch = await h.call('PATCH', '/api/v2/system_settings/by-name/api_token_expiration_in_days', {
      body: { value: '14' },
    });
    expect(patch.status).toBe(200);
    try {
      expect(lifetimeDays(await createToken(h))).toBe(14);
      const again = await h.call<{ data: RestToken }>('GET', `/api/v2/api_tokens/${before.id}`);
      expect(lifetimeDays(again.json.data)).toBe(7);
    } finally {
      await h.call('PATCH', '/api/v2/system_settings/by-name/api_token_expiration_in_days', {
        body: { value: '7' },
      });
    }
  });

  it('never shows a token string in a list or a get', async () => {
    const created = await createToken(h, { notes: 'hidden' });
    const listed = await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens');
    const got = await h.call('GET', `/api/v2/api_tokens/${created.id}`);
    for (const reply of [listed, got]) {
      expect(reply.status).toBe(200);
      expect(reply.text).not.toContain('token_string');
      expect(reply.text).not.toContain(created.token_string!);
      expect(reply.text).not.toContain(h.token);
    }
    const last = listed.json.data.at(-1) as Record<string, unknown>;
    expect(last).toHaveProperty('cache_info');
    expect(listed.json.data.some((t) => (t as RestToken).id === created.id)).toBe(true);
  });

  it('rotates with PATCH: new id and string, same notes, persona, trusted addresses and lifetime; the old string dies', async () => {
    const old = await createToken(h, {
      notes: 'rotate-me',
      expire_in_days: 30,
      trusted_ip_addresses: '127.0.0.1,10.0.0.0/8',
    });
    const reply = await h.call<{ data: RestToken }>('PATCH', '/api/v2/api_tokens', {
      token: old.token_string!,
      body: { token_string: old.token_string },
    });
    expect(reply.status).toBe(200);
    const fresh = reply.json.data;
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.token_string).toMatch(/^token-/);
    expect(fresh.token_string).not.toBe(old.token_string);
    expect(fresh).toMatchObject({
      notes: 'rotate-me',
      expire_in_days: 30,
      trusted_ip_addresses: '127.0.0.1,10.0.0.0/8',
      persona: old.persona,
      user: old.user,
    });
    expect(lifetimeDays(fresh)).toBe(30);
    expect((await h.call('GET', '/api/v2/session/current', { token: old.token_string! })).status).toBe(401);
    expect((await h.call('GET', '/api/v2/session/current', { token: fresh.token_string! })).status).toBe(200);
    expect((await h.call('GET', `/api/v2/api_tokens/${old.id}`)).status).toBe(404);
  });

  it("rotates with the POST form of Tanium's API token guidance (a body holding only token_string)", async () => {
    const old = await createToken(h);
    const reply = await h.call<{ data: RestToken }>('POST', '/api/v2/api_tokens', {
      token: old.token_string!,
      body: { token_string: old.token_string },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.data.id).not.toBe(old.id);
    expect((await h.call('GET', '/api/v2/session/current', { token: old.token_string! })).status).toBe(401);
    expect(
      (await h.call('GET', '/api/v2/session/current', { token: reply.json.data.token_string! })).status,
    ).toBe(200);
  });

  it('refuses to rotate without token_string, or with a string that is not an active token of the caller', async () => {
    const missing = await h.call<{ text: string }>('PATCH', '/api/v2/api_tokens', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.json.text).toMatch(/^InvalidJSONBody: .*token_string/);
    const bogus = await h.call<{ text: string }>('PATCH', '/api/v2/api_tokens', {
      body: { token_string: 'token-00' },
    });
    expect(bogus.status).toBe(401);
    expect(bogus.json.text).toMatch(/^Unauthorized:/);
  });

  it('revokes with DELETE: the token disappears from the list and stops working', async () => {
    const victim = await createToken(h);
    const reply = await h.call<{ data: RestToken }>('DELETE', `/api/v2/api_tokens/${victim.id}`);
    expect(reply.status).toBe(200);
    expect(reply.json.data.deleted_flag).toBe(1);
    expect(reply.text).not.toContain(victim.token_string!);
    expect((await h.call('GET', '/api/v2/session/current', { token: victim.token_string! })).status).toBe(
      401,
    );
    const listed = await h.call('GET', '/api/v2/api_tokens');
    expect(listed.text).not.toContain(`"id":${victim.id},`);
    const again = await h.call<{ text: string }>('DELETE', `/api/v2/api_tokens/${victim.id}`);
    expect(again.status).toBe(404);
    expect(again.json.text).toMatch(/^APITokenNotFound:/);
  });

  it('answers APITokenNotFound for unknown ids', async () => {
    for (const id of ['999999', 'abc']) {
      const reply = await h.call<{ text: string }>('GET', `/api/v2/api_tokens/${id}`);
      expect(reply.status).toBe(404);
      expect(reply.json.text).toMatch(/^APITokenNotFound:/);
    }
  });

  it('records each use in last_used_on', async () => {
    const token = await createToken(h);
    await h.advance('2h');
    await h.call('GET', '/api/v2/session/current', { token: token.token_string! });
    const after = await h.call<{ data: RestToken }>('GET', `/api/v2/api_tokens/${token.id}`);
    expect(Date.parse(after.json.data.last_used_on) - Date.parse(token.last_used_on)).toBeGreaterThanOrEqual(
      7_200_000,
    );
  });
});

describe('emulator: expiry follows the emulator clock', () => {
  it('refuses a token once its lifetime has passed, and drops it from the list', async () => {
    const h = await startHarness();
    try {
      const long = await createToken(h, { expire_in_days: 30 });
      const short = await createToken(h);
      await h.advance('6d');
      expect((await h.call('GET', '/api/v2/session/current', { token: short.token_string! })).status).toBe(
        200,
      );
      await h.advance('1d1s');
      const expired = await h.call<{ text: string }>('GET', '/api/v2/session/current', {
        token: short.token_string!,
      });
      expect(expired.status).toBe(401);
      expect(expired.json.text).toMatch(/^Unauthorized:/);
      const listed = await h.call('GET', '/api/v2/api_tokens', { token: long.token_string! });
      expect(listed.status).toBe(200);
      expect(listed.text).not.toContain(`"id":${short.id},`);
      expect(
        (await h.call('GET', `/api/v2/api_tokens/${short.id}`, { token: long.token_string! })).status,
      ).toBe(404);
      const gql = await h.gql('{ now }', undefined, short.token_string!);
      expect(gql.status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
