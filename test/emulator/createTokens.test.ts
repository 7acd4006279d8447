import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type RestToken, startHarness } from '../helpers/emulatorHarness.js';

const GRANT = `mutation { apiTokenGrant(input: {notes: "x", trustedIPAddresses: ["127.0.0.1"]}) { token { id tokenString } error { message retryable timedOut } } }`;

describe('emulator: creating API tokens needs "Token - Create" (or the Administrator role)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function persona(user: string, permissions: string[]): Promise<string> {
    const reply = await h.call<{ token: string; persona: { permissions: string[] } }>(
      'POST',
      '/__emulator/personas',
      {
        token: null,
        body: { user, persona: `${user} persona`, permissions },
      },
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.persona.permissions).toEqual(permissions);
    return reply.json.token;
  }

  async function countOf(user: string): Promise<number> {
    const all = await h.call<{ data: RestToken[] }>('GET', '/api/v2/api_tokens');
    return all.json.data.filter((t) => t.user?.name === user).length;
  }

  it('refuses a persona without it, on REST (403) and the Gateway (payload error), and creates nothing', async () => {
    const token = await persona('rotator', []);
    const rest = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
      token,
      body: { notes: 'x', trusted_ip_addresses: '127.0.0.1' },
    });
    expect(rest.status).toBe(403);
    expect(rest.json.text).toBe(
      'RBACInsufficientPrivilege: this persona lacks the "Token - Create" permission needed to create API tokens',
    );
    const gql = await h.gql<{ data: { apiTokenGrant: { token: null; error: unknown } } }>(
      GRANT,
      undefined,
      token,
    );
    expect(gql.status).toBe(200);
    expect(gql.json.data.apiTokenGrant).toEqual({
      token: null,
      error: {
        message: 'this persona lacks the "Token - Create" permission needed to create API tokens',
        retryable: false,
        timedOut: false,
      },
    });
    expect(await countOf('rotator')).toBe(1);
    // It may still rotate (exchange) and revoke its own token.
    const rotated = await h.call<{ data: RestToken }>('PATCH', '/api/v2/api_tokens', {
      token,
      body: { token_string: token },
    });
    expect(rotated.status).toBe(200);
    const fresh = rotated.json.data.token_string as string;
    const revoked = await h.call('DELETE', `/api/v2/api_tokens/${rotated.json.data.id}`, { token: fresh });
    expect(revoked.status).toBe(200);
  });

  it('lets a persona with "Token - Create" create tokens for itself, on both surfaces', async () => {
    const token = await persona('creator', ['Token - Create']);
    const rest = await h.call<{ data: RestToken }>('POST', '/api/v2/api_tokens', {
      token,
      body: { notes: 'x', trusted_ip_addresses: '127.0.0.1' },
    });
    expect(rest.status, rest.text).toBe(200);
    expect(rest.json.data.persona.name).toBe('creator persona');
    const gql = await h.gql<{ data: { apiTokenGrant: { token: { id: string } | null; error: unknown } } }>(
      GRANT,
      undefined,
      token,
    );
    expect(gql.json.data.apiTokenGrant.error).toBeNull();
    expect(await countOf('creator')).toBe(3);
  });

  it('latency-after-commit applies the change first, then holds the answer back', async () => {
    const token = await persona('slow', ['Token - Create']);
    const rules = [
      { method: 'POST', path: '/api/v2/api_tokens', fault: 'latency-after-commit:400', count: 1 },
    ];
    expect((await h.call('POST', '/__emulator/faults', { token: null, body: { rules } })).status).toBe(200);
    const answer = h.call<{ data: RestToken }>('POST', '/api/v2/api_tokens', {
      token,
      body: { trusted_ip_addresses: '127.0.0.1' },
    });
    // The token exists while its answer is still held back.
    const deadline = Date.now() + 5_000;
    let settled = false;
    void answer.then(() => {
      settled = true;
    });
    while ((await countOf('slow')) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await countOf('slow')).toBe(2);
    expect(settled).toBe(false);
    expect((await answer).status).toBe(200);
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });
});
