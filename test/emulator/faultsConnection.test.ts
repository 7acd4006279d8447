import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_PATH } from '../../src/emulator/gateway/graphqlRoute.js';
import {
  createToken,
  type Harness,
  type RestToken,
  startHarness,
  tempDir,
} from '../helpers/emulatorHarness.js';

interface RawExchange {
  status: number | undefined;
  headers: Record<string, string>;
  /** Body bytes received after the head. */
  body: Buffer;
  /** Total bytes received (0: not even a status line). */
  received: number;
  /** How the connection ended: a clean close, or the socket error code (ECONNRESET). */
  ending: string;
}

/** One HTTP/1.1 exchange over a bare TCP socket, recording every byte and how the connection ended. */
function rawExchange(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    const lines = Object.entries({ host: `${hostname}:${port}`, ...headers, 'content-length': body.length })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines}\r\n${body}`);
    socket.on('data', (chunk) => chunks.push(chunk));
    let ending = 'close';
    socket.on('error', (error: NodeJS.ErrnoException) => {
      ending = error.code ?? error.message;
    });
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = split < 0 ? all.toString() : all.subarray(0, split).toString();
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        headers: Object.fromEntries(
          headerLines.map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
          }),
        ),
        body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4),
        received: all.length,
        ending,
      });
    });
  });
}

const install = (h: Harness, rules: unknown) =>
  h.call('POST', '/__emulator/faults', { body: { rules }, token: null });

/** What undici reports for a connection cut under it (before or during the body). */
async function undiciFailure(url: string, init: Parameters<typeof request>[1]): Promise<string> {
  try {
    const reply = await request(url, init);
    await reply.body.text();
    return 'no error';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const SOCKET_ERRORS = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'];

describe('emulator faults: cut connections', () => {
  let h: Harness;
  let statePath: string;
  beforeAll(async () => {
    statePath = join(tempDir(), 'emulator.json');
    h = await startHarness({ statePath });
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await h.call('DELETE', '/__emulator/faults', { token: null });
  });

  it('reset: sends the status line, headers and part of the body, then resets the connection', async () => {
    await install(h, [{ method: 'GET', path: '/api/v2/api_tokens', fault: 'reset', count: 2 }]);
    const raw = await rawExchange(h.url, 'GET', '/api/v2/api_tokens', { session: h.token });
    expect(raw.status).toBe(200);
    const declared = Number(raw.headers['content-length']);
    expect(raw.body.length).toBeGreaterThan(0);
    expect(raw.body.length).toBeLessThan(declared);
    expect(raw.ending).toBe('ECONNRESET');
    expect(SOCKET_ERRORS).toContain(
      await undiciFailure(`${h.url}/api/v2/api_tokens`, { headers: { session: h.token } }),
    );
    expect((await h.call('GET', '/api/v2/api_tokens')).status).toBe(200);
  });

  it('truncate: declares the full Content-Length, sends part of the body and closes cleanly', async () => {
    await install(h, [{ path: GATEWAY_PATH, fault: 'truncate', count: 2 }]);
    const body = JSON.stringify({ query: '{ now }' });
    const raw = await rawExchange(
      h.url,
      'POST',
      GATEWAY_PATH,
      { session: h.token, 'content-type': 'application/json' },
      body,
    );
    expect(raw.status).toBe(200);
    const declared = Number(raw.headers['content-length']);
    expect(declared).toBeGreaterThan(raw.body.length);
    expect(raw.body.length).toBe(Math.floor(declared / 2));
    expect(raw.body.toString()).toMatch(/^\{"data":\{"now":"\d/);
    expect(raw.ending).toBe('close');
    expect(SOCKET_ERRORS).toContain(
      await undiciFailure(`${h.url}${GATEWAY_PATH}`, {
        method: 'POST',
        headers: { session: h.token, 'content-type': 'application/json' },
        body,
      }),
    );
  });

  it('drop-response-after-commit on PATCH /api/v2/api_tokens: no answer, yet the rotation happened and was saved', async () => {
    const old = await createToken(h, { notes: 'dropped-rest' });
    const before = await tokenIds(h);
    await install(h, [
      { method: 'PATCH', path: '/api/v2/api_tokens', fault: 'drop-response-after-commit', count: 1 },
    ]);
    const raw = await rawExchange(
      h.url,
      'PATCH',
      '/api/v2/api_tokens',
      { session: old.token_string!, 'content-type': 'application/json' },
      JSON.stringify({ token_string: old.token_string }),
    );
    expect(raw.received).toBe(0);
    expect(raw.status).toBeUndefined();

    expect((await h.call('GET', '/api/v2/session/current', { token: old.token_string! })).status).toBe(401);
    const after = await tokenIds(h);
    expect(after).not.toContain(old.id);
    const added = after.filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    const fresh = await h.call<{ data: RestToken }>('GET', `/api/v2/api_tokens/${added[0]}`);
    expect(fresh.json.data.notes).toBe('dropped-rest');
    // Persisted before the connection was cut, not only at shutdown.
    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { tokens: { id: number }[] };
    expect(saved.tokens.map((t) => t.id)).toContain(added[0]);
    expect(saved.tokens.map((t) => t.id)).not.toContain(old.id);
  });

  it('drop-response-after-commit on the Gateway apiTokenRotate (matched by operation): no answer, rotation done', async () => {
    const old = await createToken(h, { notes: 'dropped-gateway' });
    const before = await tokenIds(h);
    await install(h, [
      { path: GATEWAY_PATH, operation: 'apiTokenRotate', fault: 'drop-response-after-commit', count: 1 },
    ]);
    // Other Gateway requests do not match, so they neither lose their answer nor use up the count.
    expect((await h.gql('{ now }', undefined, old.token_string!)).status).toBe(200);
    const failure = await undiciFailure(`${h.url}${GATEWAY_PATH}`, {
      method: 'POST',
      headers: { session: old.token_string!, 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation ($t: String!) { apiTokenRotate(input: {tokenString: $t}) { token { id } error { message } } }',
        variables: { t: old.token_string },
      }),
    });
    expect(SOCKET_ERRORS).toContain(failure);

    expect((await h.gql('{ now }', undefined, old.token_string!)).status).toBe(401);
    const after = await tokenIds(h);
    expect(after).not.toContain(old.id);
    expect(after.filter((id) => !before.includes(id))).toHaveLength(1);
    const stats = await h.call<{ faults: { byKind: Record<string, number> } }>('GET', '/__emulator/stats', {
      token: null,
    });
    expect(stats.json.faults.byKind['drop-response-after-commit']).toBeGreaterThanOrEqual(1);
  });
});

async function tokenIds(h: Harness): Promise<number[]> {
  const reply = await h.call<{ data: ({ id: number } | { cache_info: unknown })[] }>(
    'GET',
    '/api/v2/api_tokens',
  );
  return reply.json.data.flatMap((t) => ('id' in t ? [t.id] : []));
}
