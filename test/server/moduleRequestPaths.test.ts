import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { homeWithKeys, type Served, serve } from '../helpers/serveHarness.js';

let h: Harness;
let api: Served;

beforeAll(async () => {
  h = await startHarness({ endpoints: 50 });
  const { home, admin } = await homeWithKeys(h);
  api = await serve(home, admin, ['--no-scheduler']);
}, 120_000);

afterAll(async () => {
  expect(await api.stop()).toBe(0);
  await h.close();
});

/** Paths the SDK refuses before any request: dot segments in the spellings some server reads as `..`. */
const HOSTILE = [
  '/..;/api/v2/api_tokens',
  '/v1/..;jsessionid=1/x',
  '/%2e%2e/%2e%2e/api/v2/api_tokens',
  '/..%3b/x',
  '/v1/\uff0e\uff0e/x',
  '//evil.example/x',
  'http://evil.example/x',
];

describe('serve: a module request with a hostile path', () => {
  it.each(HOSTILE)('%j: 422 invalid_input naming the path problem, nothing sent to Tanium', async (path) => {
    await h.call('DELETE', '/__emulator/stats', { token: null });
    const reply = await api.call('POST', '/v1/connections/default/modules/patch/request', {
      body: { method: 'GET', path },
    });
    expect(reply.status, reply.text).toBe(422);
    expect(reply.json.error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^Invalid request path /),
      fix: expect.any(String),
    });
    const stats = await h.call<{ requests: { total: number } }>('GET', '/__emulator/stats', { token: null });
    expect(stats.json.requests.total).toBe(0);
  });
});
