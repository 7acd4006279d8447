import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

export interface Reply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: T;
}

/** A running emulator on a real port, and a small HTTP helper that speaks to it. */
export interface Harness {
  emulator: RunningEmulator;
  url: string;
  token: string;
  call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    path: string,
    options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  gql<T = unknown>(query: string, variables?: Record<string, unknown>, token?: string): Promise<Reply<T>>;
  advance(duration: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The test profile: the emulator answers what Tanium may (fields null, `TSE-Error` and unavailable
 * readings) for this share of endpoints per check-in, drawn from the seed. A test that needs complete
 * answers says so with `realism: 0`.
 */
export const TEST_REALISM = 0.03;

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ realism: TEST_REALISM, ...options });
  const call: Harness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? emulator.token : opts.token;
    if (token !== null) headers['session'] = token;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await request(`${emulator.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json } as Reply<never>;
  };
  return {
    emulator,
    url: emulator.url,
    token: emulator.token,
    call,
    gql: (query, variables, token) =>
      call('POST', '/plugin/products/gateway/graphql', {
        body: { query, ...(variables ? { variables } : {}) },
        ...(token === undefined ? {} : { token }),
      }),
    async advance(duration) {
      const reply = await call('POST', '/__emulator/clock', { body: { advance: duration }, token: null });
      if (reply.status !== 200) throw new Error(`clock advance failed: ${reply.text}`);
    },
    close: () => emulator.close(),
  };
}

export function tempDir(prefix = 'tb-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RestToken {
  id: number;
  notes: string;
  name: string;
  created_time: string;
  expiration: string;
  expire_in_days: number;
  last_used_on: string;
  trusted_ip_addresses: string;
  deleted_flag: number;
  persona: { id: number; name: string };
  user: { id: number; name: string };
  token_string?: string;
}

/** Creates a token through Platform REST with the harness's administrator token. */
export async function createToken(harness: Harness, body: Record<string, unknown> = {}): Promise<RestToken> {
  const reply = await harness.call<{ data: RestToken }>('POST', '/api/v2/api_tokens', {
    body: { trusted_ip_addresses: '127.0.0.1', ...body },
  });
  if (reply.status !== 200) throw new Error(`create token failed: ${reply.status} ${reply.text}`);
  return reply.json.data;
}
