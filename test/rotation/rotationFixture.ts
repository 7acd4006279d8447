/**
 * What the rotation suites share: a connection for a dedicated integration user (a persona made
 * through `/__emulator/personas`), the stored token read back, whether Tanium accepts a token, the
 * user's tokens as Tanium lists them, `rotate --json`, and fault rules. Every token string seen is
 * collected for the final secret search.
 */
import { expect } from 'vitest';
import { readToken } from '../../src/connections/connections.js';
import { type DialectHomes, forms } from '../helpers/dialectHomes.js';
import type { Harness, RestToken } from '../helpers/emulatorHarness.js';
import { type CliResult, runCli, transcript } from '../helpers/runCli.js';

export interface Report {
  outcome: string;
  recovered: string | null;
  method: string | null;
  fellBack: boolean;
  oldTokenId: string | null;
  newTokenId: string | null;
  tokenId: string | null;
  attemptId: string | null;
  phase: string;
  error: string | null;
  message: string;
}

export interface Fixture {
  h: Harness;
  seen: Set<string>;
  homes: string[];
  /** Where the homes' stores live: SQLite files, or PostgreSQL schemas (one per home). */
  stores: DialectHomes;
}

export async function mintPersona(f: Fixture, user: string, permissions: string[]): Promise<string> {
  const reply = await f.h.call<{ token: string }>('POST', '/__emulator/personas', {
    token: null,
    body: { user, persona: `${user} persona`, permissions, trusted_ip_addresses: '127.0.0.1' },
  });
  expect(reply.status, reply.text).toBe(200);
  f.seen.add(reply.json.token);
  return reply.json.token;
}

/** A connection whose token belongs to `user` alone, with `permissions` on its persona. */
export async function personaConnection(
  f: Fixture,
  user: string,
  permissions: string[],
): Promise<{ home: string; token: string }> {
  const token = await mintPersona(f, user, permissions);
  const home = await f.stores.home();
  f.homes.push(home);
  const saved = await runCli(['connect', '--server', f.h.url], { home, input: `${token}\n` });
  expect(saved.code, saved.stderr).toBe(0);
  return { home, token };
}

export async function storedToken(f: Fixture, home: string): Promise<string> {
  const store = await f.stores.open(home);
  try {
    const token = await readToken({ store, home, env: {} }, 'default');
    f.seen.add(token);
    return token;
  } finally {
    await store.close();
  }
}

export async function works(f: Fixture, token: string): Promise<boolean> {
  const reply = await f.h.call('GET', '/api/v2/session/current', { token });
  if (reply.status !== 200 && reply.status !== 401) throw new Error(`unexpected ${reply.status}`);
  return reply.status === 200;
}

/** The user's active tokens, as the administrator sees them in `GET /api/v2/api_tokens`. */
export async function userTokens(f: Fixture, user: string): Promise<RestToken[]> {
  const reply = await f.h.call<{ data: RestToken[] }>('GET', '/api/v2/api_tokens');
  expect(reply.status).toBe(200);
  return reply.json.data.filter((t) => t.user?.name === user);
}

export async function rotate(
  home: string,
  args: string[] = [],
  env?: Record<string, string>,
): Promise<CliResult & { report: Report }> {
  const result = await runCli(['rotate', '--json', ...args], { home, ...(env ? { env } : {}) });
  const report = result.stdout.trim() === '' ? ({} as Report) : (JSON.parse(result.stdout) as Report);
  return { ...result, report };
}

export async function faults(f: Fixture, rules: unknown[]): Promise<void> {
  const reply = await f.h.call('POST', '/__emulator/faults', { token: null, body: { rules } });
  expect(reply.status, reply.text).toBe(200);
}

export async function resetEmulator(f: Fixture): Promise<void> {
  await f.h.call('DELETE', '/__emulator/faults', { token: null });
  await f.h.call('DELETE', '/__emulator/stats', { token: null });
}

export async function requests(f: Fixture, route: string): Promise<number> {
  const s = await f.h.call<{ requests: { byRoute: Record<string, number> } }>('GET', '/__emulator/stats', {
    token: null,
  });
  return s.json.requests.byRoute[route] ?? 0;
}

export async function auditOf(
  home: string,
): Promise<{ method: string; outcome: string; error: string | null }[]> {
  const audit = await runCli(['rotations', '--json'], { home });
  expect(audit.code).toBe(0);
  return JSON.parse(audit.stdout).rotations;
}

/** No token string in any home's store (SQLite files, PostgreSQL rows), nor in anything any CLI process printed. */
export async function expectNoTokenLeaked(f: Fixture): Promise<void> {
  for (const home of f.homes) {
    const stored = await f.stores.contents(home);
    expect(stored.length).toBeGreaterThan(0);
    for (const token of f.seen) for (const form of forms(token)) expect(stored.includes(form)).toBe(false);
  }
  const everything = transcript.join('\n');
  for (const token of f.seen) {
    expect(everything.includes(token)).toBe(false);
    expect(everything.includes(token.replace(/^token-/, ''))).toBe(false);
  }
}
