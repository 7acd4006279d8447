import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface GqlToken {
  id: string;
  created: string;
  expiration: string;
  notes: string;
  persona: { name: string } | null;
  tokenString: string | null;
  trustedIPAddresses: string[];
}
interface Payload {
  token: GqlToken | null;
  error: { message: string; retryable: boolean; timedOut: boolean } | null;
}

const TOKEN_FIELDS = 'id created expiration lastUsed notes persona { name } tokenString trustedIPAddresses';
const ROTATE = `mutation ($token: String!) { apiTokenRotate(input: {tokenString: $token}) { token { ${TOKEN_FIELDS} } error { message retryable timedOut } } }`;

describe('emulator: Gateway token operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers the smoke tests now and ping', async () => {
    const now = await h.gql<{ data: { now: string } }>('{ now }');
    expect(now.status).toBe(200);
    expect(now.json.data.now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const ping = await h.gql<{ data: { ping: boolean } }>('mutation { ping }');
    expect(ping.json.data.ping).toBe(true);
  });

  it('grants a token with apiTokenGrant (default 7 days) and lists it in myAPITokens without its string', async () => {
    const grant = await h.gql<{ data: { apiTokenGrant: Payload } }>(
      `mutation { apiTokenGrant(input: {notes: "gql", trustedIPAddresses: ["127.0.0.1"]}) { token { ${TOKEN_FIELDS} } error { message } } }`,
    );
    const token = grant.json.data.apiTokenGrant.token!;
    expect(grant.json.data.apiTokenGrant.error).toBeNull();
    expect(token.tokenString).toMatch(/^token-[0-9a-f]+$/);
    expect((Date.parse(token.expiration) - Date.parse(token.created)) / 86_400_000).toBe(7);
    expect(token.persona).toEqual({ name: 'Default' });
    const mine = await h.gql<{ data: { myAPITokens: { tokens: GqlToken[] } } }>(
      `{ myAPITokens { tokens { ${TOKEN_FIELDS} } error { message } } }`,
      undefined,
      token.tokenString!,
    );
    const listed = mine.json.data.myAPITokens.tokens.find((t) => t.id === token.id);
    expect(listed?.tokenString).toBeNull();
    expect(listed?.trustedIPAddresses).toEqual(['127.0.0.1']);
    expect(mine.text).not.toContain(token.tokenString!);
  });

  it('reports grant errors in the payload with HTTP 200', async () => {
    const reply = await h.gql<{ data: { apiTokenGrant: Payload } }>(
      'mutation { apiTokenGrant(input: {expiresInDays: 400, trustedIPAddresses: []}) { token { id } error { message retryable timedOut } } }',
    );
    expect(reply.status).toBe(200);
    expect(reply.json.data.apiTokenGrant.token).toBeNull();
    expect(reply.json.data.apiTokenGrant.error).toEqual({
      message: expect.stringContaining('maximum of 365 days'),
      retryable: false,
      timedOut: false,
    });
  });

  it('rotates with apiTokenRotate: a new token with the same notes and addresses, and the old string dies', async () => {
    const old = await createToken(h, { notes: 'gql-rotate', trusted_ip_addresses: '127.0.0.1,10.0.0.0/8' });
    const reply = await h.gql<{ data: { apiTokenRotate: Payload } }>(
      ROTATE,
      { token: old.token_string },
      old.token_string!,
    );
    const fresh = reply.json.data.apiTokenRotate.token!;
    expect(reply.json.data.apiTokenRotate.error).toBeNull();
    expect(fresh.id).not.toBe(String(old.id));
    expect(fresh.tokenString).toMatch(/^token-/);
    expect(fresh.notes).toBe('gql-rotate');
    expect(fresh.trustedIPAddresses).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect((await h.gql('{ now }', undefined, old.token_string!)).status).toBe(401);
    expect((await h.gql('{ now }', undefined, fresh.tokenString!)).status).toBe(200);
  });

  it('reports a rotation of an unknown string in the payload error', async () => {
    const reply = await h.gql<{ data: { apiTokenRotate: Payload } }>(ROTATE, { token: 'token-deadbeef' });
    expect(reply.status).toBe(200);
    expect(reply.json.data.apiTokenRotate.token).toBeNull();
    expect(reply.json.data.apiTokenRotate.error?.message).toMatch(/token_string/);
  });

  it('revokes with apiTokenRevoke', async () => {
    const victim = await createToken(h);
    const reply = await h.gql<{ data: { apiTokenRevoke: { error: unknown } } }>(
      'mutation ($id: ID!) { apiTokenRevoke(input: {id: $id}) { error { message } } }',
      { id: String(victim.id) },
    );
    expect(reply.json.data.apiTokenRevoke.error).toBeNull();
    expect((await h.gql('{ now }', undefined, victim.token_string!)).status).toBe(401);
    const again = await h.gql<{ data: { apiTokenRevoke: { error: { message: string } } } }>(
      'mutation ($id: ID!) { apiTokenRevoke(input: {id: $id}) { error { message } } }',
      { id: String(victim.id) },
    );
    expect(again.json.data.apiTokenRevoke.error.message).toContain(String(victim.id));
  });

  it('fails unknown fields the way Tanium does and answers introspection', async () => {
    const unknown = await h.gql<{ errors: { message: string }[] }>('{ now bogus }');
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]?.message).toContain('Cannot query field "bogus" on type "Query"');
    const schema = await h.gql<{ data: { __type: { fields: { name: string }[] } } }>(
      '{ __type(name: "APIToken") { fields { name } } }',
    );
    expect(schema.json.data.__type.fields.map((f) => f.name).sort()).toEqual(
      [
        'created',
        'expiration',
        'id',
        'lastUsed',
        'notes',
        'persona',
        'tokenString',
        'trustedIPAddresses',
      ].sort(),
    );
  });
});
