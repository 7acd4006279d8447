import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

describe('emulator: bad input gets a 4xx that names the problem, and changes nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const tokenCount = async () =>
    (await h.call<{ data: unknown[] }>('GET', '/api/v2/api_tokens')).json.data.length;

  it.each([
    ['malformed JSON', { rawBody: '{"notes": ' }, 400, 'InvalidJSONBody: the body is not valid JSON'],
    ['a JSON array', { body: [1, 2] }, 400, 'must be a JSON object'],
    ['a wrong type', { body: { notes: 42 } }, 400, 'field "notes" must be a string'],
    ['a fractional lifetime', { body: { expire_in_days: 1.5 } }, 400, 'whole number'],
    ['an unknown field', { body: { expires: 3 } }, 400, 'unknown field "expires"'],
    [
      'trusted addresses as a list',
      { body: { trusted_ip_addresses: ['127.0.0.1'] } },
      400,
      'trusted_ip_addresses',
    ],
    ['an unknown persona', { body: { as_persona: 77 } }, 400, 'InvalidPersonaForUser'],
    [
      'token_string with other fields',
      { body: { token_string: 'token-1', notes: 'x' } },
      400,
      'no other field',
    ],
  ])('create token with %s', async (_label, options, status, message) => {
    const before = await tokenCount();
    const reply = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', options);
    expect(reply.status).toBe(status);
    expect(reply.json.text).toContain(message);
    expect(await tokenCount()).toBe(before);
  });

  it.each([
    ['text/plain', '{}'],
    ['text/plain; charset=utf-8', '{"notes": "x"}'],
    ['application/x-www-form-urlencoded', 'notes=x'],
    ['text/plain', ''],
  ])('create token with a %s body %j: 415 UnsupportedMediaType, nothing created', async (type, rawBody) => {
    const before = await tokenCount();
    const reply = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
      rawBody,
      headers: { 'content-type': type },
    });
    expect(reply.status).toBe(415);
    expect(reply.json.text).toMatch(
      /^UnsupportedMediaType: send the body as JSON with Content-Type: application\/json \(got [\w/-]+\)$/,
    );
    expect(await tokenCount()).toBe(before);
  });

  it.each([
    ['JSON null', { body: null }],
    ['{}', { body: {} }],
    ['an empty body', { rawBody: '' }],
    ['no body and no Content-Type', {}],
    [
      'application/json; charset=utf-8',
      { rawBody: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } },
    ],
  ])(
    "create token with %s: a token with the defaults (Tanium's API takes an empty body, {} or null)",
    async (_label, options) => {
      const before = await tokenCount();
      const reply = await h.call<{ data: { token_string: string; expire_in_days: number } }>(
        'POST',
        '/api/v2/api_tokens',
        options,
      );
      expect(reply.status).toBe(200);
      expect(reply.json.data.token_string).toMatch(/^token-[0-9a-f]+$/);
      expect(reply.json.data.expire_in_days).toBe(7);
      expect(await tokenCount()).toBe(before + 1);
    },
  );

  it.each([
    ['a JSON string', '"notes"'],
    ['a JSON number', '42'],
    ['JSON true', 'true'],
  ])('create token with %s: 400, nothing created', async (_label, rawBody) => {
    const before = await tokenCount();
    const reply = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', { rawBody });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toBe('InvalidJSONBody: the request body must be a JSON object');
    expect(await tokenCount()).toBe(before);
  });

  it.each([
    ['JSON null', { body: null }],
    ['an empty body', { rawBody: '' }],
    ['{}', { body: {} }],
  ])('rotate (PATCH) with %s: 400 InvalidJSONBody naming token_string', async (_label, options) => {
    const reply = await h.call<{ text: string }>('PATCH', '/api/v2/api_tokens', options);
    expect(reply.status).toBe(400);
    expect(reply.json.text).toMatch(/^InvalidJSONBody: .*token_string/);
  });

  it('refuses an oversize body with 413 before reading it', async () => {
    const reply = await h.call<{ text: string }>('POST', '/api/v2/api_tokens', {
      rawBody: JSON.stringify({ notes: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(reply.status).toBe(413);
    expect(reply.json.text).toMatch(/^RequestTooLarge: the body exceeds \d+ bytes/);
  });

  it('answers unknown routes with 404 naming the route', async () => {
    const reply = await h.call<{ text: string }>('GET', '/api/v2/no_such_thing?x=1');
    expect(reply.status).toBe(404);
    expect(reply.json.text).toBe('NotFound: no route for GET /api/v2/no_such_thing');
  });

  it.each([
    ['no query', { variables: {} }, 'a "query" string'],
    ['a syntax error', { query: '{ now' }, 'Syntax Error'],
    [
      'variables that are not an object',
      { query: '{ now }', variables: [1] },
      '"variables" must be a JSON object',
    ],
    [
      'a missing variable',
      { query: 'mutation ($t: String!) { apiTokenRotate(input: {tokenString: $t}) { error { message } } }' },
      '$t',
    ],
  ])('answers a GraphQL request with %s with errors[] naming it', async (_label, body, message) => {
    const reply = await h.call<{ errors: { message: string }[] }>(
      'POST',
      '/plugin/products/gateway/graphql',
      { body },
    );
    expect(reply.status).toBeGreaterThanOrEqual(200);
    expect(reply.json.errors[0]?.message).toContain(message);
  });

  it('refuses a clock change that is not a forward duration', async () => {
    for (const advance of ['-1d', 'soon', 8]) {
      const reply = await h.call<{ text: string }>('POST', '/__emulator/clock', {
        body: { advance },
        token: null,
      });
      expect(reply.status).toBe(400);
      expect(reply.json.text).toMatch(/units? s, m, h or d/);
    }
  });

  it('keeps serving after all of the above', async () => {
    expect((await h.call('GET', '/api/v2/session/current')).status).toBe(200);
  });
});
