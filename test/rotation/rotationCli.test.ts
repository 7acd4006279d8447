import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readToken } from '../../src/connections/connections.js';
import { rotationHealth } from '../../src/rotation/health.js';
import { storedTokenSource, withRotationRetry } from '../../src/rotation/tokenSource.js';
import { AuthenticationError, createTaniumClient } from '../../src/sdk/index.js';
import { type DialectHomes, dialectHomes, forms } from '../helpers/dialectHomes.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_LANES, Lanes } from '../helpers/lanes.js';
import { CLI_SUITE_TIMEOUT_MS, type CliResult, pool, runCli, transcript } from '../helpers/runCli.js';
import { DIALECTS } from '../store/dialects.js';

interface Report {
  outcome: string;
  recovered: string | null;
  method: string | null;
  oldTokenId: string | null;
  newTokenId: string | null;
  tokenId: string | null;
  phase: string;
  expiresAt: string | null;
  message: string;
}

/** These tests are about the exchange (`--via rest`); grant-then-revoke has its own (grantCli.test.ts). */
const EXCHANGE = ['--via', 'rest'];

/**
 * One emulator per lane (fault rules, request counts and the clock are the emulator's): tests take a
 * lane and run side by side.
 */
let lanes: Lanes<Harness>;
/** The homes of the dialect under test, and where their stores live. */
let homes: string[] = [];
let stores: DialectHomes;
/** Every token string this suite saw, for the final search. */
const seen = new Set<string>();

beforeAll(async () => {
  lanes = new Lanes(await Promise.all(Array.from({ length: CLI_LANES }, () => startHarness())));
});

afterAll(async () => {
  await Promise.all(lanes.all.map((h) => h.close()));
});

async function connection(h: Harness): Promise<{ home: string; token: string; id: number }> {
  const created = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
  const token = created.token_string as string;
  seen.add(token);
  const home = await stores.home();
  homes.push(home);
  const saved = await runCli(['connect', '--server', h.url], { home, input: `${token}\n` });
  expect(saved.code).toBe(0);
  return { home, token, id: created.id };
}

async function stored(home: string, slot: 'active' | 'pending' = 'active'): Promise<string | undefined> {
  const store = await stores.open(home);
  try {
    if (slot === 'pending')
      return (await store.secrets.get('default', 'pending')) === undefined ? undefined : 'x';
    const token = await readToken({ store, home, env: {} }, 'default');
    seen.add(token);
    return token;
  } finally {
    await store.close();
  }
}

async function works(h: Harness, token: string): Promise<boolean> {
  const reply = await h.call('GET', '/api/v2/session/current', { token });
  if (reply.status !== 200 && reply.status !== 401) throw new Error(`unexpected ${reply.status}`);
  return reply.status === 200;
}

async function rotate(
  home: string,
  args: string[] = [],
  env?: Record<string, string>,
): Promise<CliResult & { report: Report }> {
  const result = await runCli(['rotate', '--json', ...args], { home, ...(env ? { env } : {}) });
  let report = {} as Report;
  if (result.stdout.trim() !== '') report = JSON.parse(result.stdout) as Report;
  return { ...result, report };
}

async function faults(h: Harness, rules: unknown[]): Promise<void> {
  const reply = await h.call('POST', '/__emulator/faults', { token: null, body: { rules } });
  expect(reply.status).toBe(200);
}

async function stats(h: Harness): Promise<{ patch: number; applied: number[] }> {
  const s = await h.call<{ requests: { byRoute: Record<string, number> } }>('GET', '/__emulator/stats', {
    token: null,
  });
  const f = await h.call<{ rules: { applied: number }[] }>('GET', '/__emulator/faults', { token: null });
  return {
    patch: s.json.requests.byRoute['PATCH /api/v2/api_tokens'] ?? 0,
    applied: f.json.rules.map((r) => r.applied),
  };
}

async function resetEmulator(h: Harness): Promise<void> {
  await h.call('DELETE', '/__emulator/faults', { token: null });
  await h.call('DELETE', '/__emulator/stats', { token: null });
}

for (const dialect of DIALECTS)
  describe(`rotate --via rest|graphql: the exchange (CLI against the emulator) (${dialect.name})`, {
    timeout: CLI_SUITE_TIMEOUT_MS,
  }, () => {
    beforeAll(() => {
      stores = dialectHomes(dialect);
      homes = [];
    });
    afterAll(async () => {
      await stores.dropAll();
    });

    it.concurrent.each(['rest', 'graphql'])(
      'rotates via %s: the stored token works, the old one is refused',
      (via) =>
        lanes.with(async (h) => {
          const { home, token, id } = await connection(h);
          // Before the first rotation the token is picked among the user's tokens by recent use: move the
          // clock so the administrator token the harness just used is not "recent" too (see pickToken).
          await h.advance('1m');
          const result = await rotate(home, ['--via', via]);
          expect(result.code).toBe(0);
          expect(result.report).toMatchObject({
            outcome: 'rotated',
            method: via,
            oldTokenId: String(id),
            phase: 'idle',
          });
          const fresh = await stored(home);
          expect(fresh).not.toBe(token);
          expect(await works(h, fresh as string)).toBe(true);
          expect(await works(h, token)).toBe(false);
          expect(await stored(home, 'pending')).toBeUndefined();
          // A second rotation chains from the first.
          const again = await rotate(home, ['--via', via]);
          expect(again.report).toMatchObject({ outcome: 'rotated', oldTokenId: result.report.tokenId });
          expect(await works(h, (await stored(home)) as string)).toBe(true);
          expect(await works(h, fresh as string)).toBe(false);

          const status = await runCli(['status', '--json'], { home });
          const view = JSON.parse(status.stdout).connections[0].rotation;
          expect(view).toMatchObject({
            phase: 'idle',
            lastOutcome: 'rotated',
            tokenId: again.report.tokenId,
            problem: null,
          });
          expect(view.daysLeft).toBeGreaterThan(6.9);
          const human = await runCli(['status'], { home });
          expect(human.stdout).toMatch(/expires {2}\S+ \(7 days left, token id \d+\)/);
          const audit = await runCli(['rotations', '--json'], { home });
          const rows = JSON.parse(audit.stdout).rotations;
          expect(rows).toHaveLength(2);
          expect(rows[0]).toMatchObject({
            method: via,
            outcome: 'rotated',
            oldTokenId: result.report.tokenId,
          });
        }),
    );

    it.concurrent.each([
      // point, what the next run finds, its exit code, exchanges the server saw in all
      ['intent_recorded', 'rotated', 'not_exchanged', 0, 1],
      ['sent', 'rotated', 'not_exchanged', 0, 1],
      ['answered', 'lost', 'lost', 3, 1],
      ['received', 'rotated', 'rotated', 0, 1],
      ['verifying', 'rotated', 'rotated', 0, 1],
      ['verified', 'rotated', 'rotated', 0, 1],
      ['idle', 'rotated', null, 0, 2],
    ] as const)(
      'a crash after "%s" leaves a state the next run recovers from',
      (point, outcome, recovered, code, exchanges) =>
        lanes.with(async (h) => {
          await resetEmulator(h);
          const { home, token } = await connection(h);
          const crashed = await rotate(home, EXCHANGE, { TANIUM_BRIDGE_ROTATION_CRASH_AT: point });
          expect(crashed.code).toBe(137);
          const next = await rotate(home, EXCHANGE);
          expect(next.code).toBe(code);
          expect(next.report).toMatchObject({ outcome, recovered });
          expect((await stats(h)).patch).toBe(exchanges);
          const current = (await stored(home)) as string;
          if (outcome === 'lost') {
            expect(next.report.message).toContain('node bin/tanium-bridge.js token replace');
            expect(await works(h, current)).toBe(false);
            const status = await runCli(['status'], { home });
            expect(status.stdout).toContain('PROBLEM  The token of "default" is lost');
          } else {
            expect(current).not.toBe(token);
            expect(await works(h, current)).toBe(true);
            expect(await works(h, token)).toBe(false);
          }
        }),
    );

    it.concurrent.each([
      ['rest', { method: 'PATCH', path: '/api/v2/api_tokens' }],
      ['graphql', { method: 'POST', path: '/plugin/products/gateway/graphql', operation: 'apiTokenRotate' }],
    ] as const)(
      'detects a %s answer dropped after commit as lost, never retries, and recovers with token replace',
      (via, match) =>
        lanes.with(async (h) => {
          await resetEmulator(h);
          const { home, token } = await connection(h);
          // rate 1: every rotate request would be dropped, so `applied` counts rotate requests.
          await faults(h, [{ ...match, fault: 'drop-response-after-commit', rate: 1 }]);
          const first = await rotate(home, ['--via', via]);
          expect(first.code).toBe(3);
          expect(first.report.outcome).toBe('lost');
          expect(first.report.message).toMatch(
            /is lost: Tanium exchanged it .* Fix: create a new API token .* `node bin\/tanium-bridge\.js token replace( --home \S+)?`/,
          );
          const second = await rotate(home, ['--via', via]);
          expect(second.code).toBe(3);
          expect(second.report.outcome).toBe('blocked');
          const ifDue = await rotate(home, ['--via', via, '--if-due']);
          expect(ifDue.report.outcome).toBe('blocked');
          expect((await stats(h)).applied).toEqual([1]);
          expect(await works(h, token)).toBe(false);
          const audit = JSON.parse((await runCli(['rotations', '--json'], { home })).stdout).rotations;
          expect(audit).toHaveLength(1);
          expect(audit[0]).toMatchObject({ outcome: 'lost', method: via });

          // The fix: a new token from the console, then token replace; rotation works again.
          await resetEmulator(h);
          const console = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
          seen.add(console.token_string as string);
          const replaced = await runCli(['token', 'replace'], { home, input: `${console.token_string}\n` });
          expect(replaced.code).toBe(0);
          const status = JSON.parse((await runCli(['status', '--json'], { home })).stdout).connections[0]
            .rotation;
          expect(status).toMatchObject({ phase: 'idle', problem: null, lastOutcome: 'token_replaced' });
          const after = await rotate(home, ['--via', via]);
          expect(after.report.outcome).toBe('rotated');
          expect(await works(h, (await stored(home)) as string)).toBe(true);
        }),
    );

    it.concurrent('a 503 before the handler (nothing committed): the old token still works, a later rotation succeeds', () =>
      lanes.with(async (h) => {
        await resetEmulator(h);
        const { home, token } = await connection(h);
        await faults(h, [{ method: 'PATCH', path: '/api/v2/api_tokens', fault: 'status:503', count: 1 }]);
        const first = await rotate(home, EXCHANGE);
        expect(first.code).toBe(1);
        expect(first.report).toMatchObject({ outcome: 'not_exchanged', phase: 'idle' });
        expect(first.report.message).toContain('Nothing was exchanged and the stored token still works');
        expect(await stored(home)).toBe(token);
        expect(await works(h, token)).toBe(true);
        const second = await rotate(home, EXCHANGE);
        expect(second.report.outcome).toBe('rotated');
        expect(await works(h, (await stored(home)) as string)).toBe(true);
      }));

    it.concurrent('a crash while the outcome is unknown: the next run probes, then rotates', () =>
      lanes.with(async (h) => {
        await resetEmulator(h);
        const { home } = await connection(h);
        await faults(h, [{ method: 'PATCH', path: '/api/v2/api_tokens', fault: 'status:503', count: 1 }]);
        const crashed = await rotate(home, EXCHANGE, { TANIUM_BRIDGE_ROTATION_CRASH_AT: 'unknown' });
        expect(crashed.code).toBe(137);
        const status = JSON.parse((await runCli(['status', '--json'], { home })).stdout).connections[0]
          .rotation;
        expect(status.phase).toBe('unknown');
        expect(status.problem).toContain('checks with the old token before anything else');
        const next = await rotate(home, EXCHANGE);
        expect(next.report).toMatchObject({ outcome: 'rotated', recovered: 'not_exchanged' });
        expect(await works(h, (await stored(home)) as string)).toBe(true);
      }));

    it.concurrent('two processes rotating at once cause one exchange and both end with a working token', () =>
      lanes.with(async (h) => {
        await resetEmulator(h);
        const { home } = await connection(h);
        // Hold the first exchange open so the second process surely arrives while it runs.
        await faults(h, [{ method: 'PATCH', path: '/api/v2/api_tokens', fault: 'latency:1500', count: 1 }]);
        const [a, b] = await Promise.all([rotate(home, EXCHANGE), rotate(home, EXCHANGE)]);
        expect([a.code, b.code]).toEqual([0, 0]);
        expect([a.report.outcome, b.report.outcome].sort()).toEqual(['done_elsewhere', 'rotated']);
        expect((await stats(h)).patch).toBe(1);
        expect(await works(h, (await stored(home)) as string)).toBe(true);
      }));

    it.concurrent('the 401-retry wrapper retries once with the freshly stored token after a concurrent rotation', () =>
      lanes.with(async (h) => {
        await resetEmulator(h);
        const { home, token } = await connection(h);
        const store = await stores.open(home);
        try {
          const ctx = { store, home, env: {} };
          const source = storedTokenSource(ctx, 'default', { waitMs: 5_000 });
          const stale = await source.token();
          expect(stale).toBe(token);
          expect((await rotate(home, EXCHANGE)).report.outcome).toBe('rotated');
          // The first attempt uses the copy read before the rotation (as a request in flight would).
          let attempts = 0;
          const me = await withRotationRetry(source, async () => {
            attempts++;
            const client = createTaniumClient({
              baseUrl: h.url,
              token: attempts === 1 ? stale : source.token,
            });
            try {
              return await client.session.current();
            } finally {
              await client.close();
            }
          });
          expect(attempts).toBe(2);
          expect(me.user.name).toBeTruthy();
          // A refusal that no rotation explains is rethrown, not retried.
          const revoked = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
          await h.call('DELETE', `/api/v2/api_tokens/${revoked.id}`);
          let calls = 0;
          await expect(
            withRotationRetry(source, async () => {
              calls++;
              const client = createTaniumClient({ baseUrl: h.url, token: revoked.token_string as string });
              try {
                return await client.session.current();
              } finally {
                await client.close();
              }
            }),
          ).rejects.toBeInstanceOf(AuthenticationError);
          expect(calls).toBe(1);
          const health = await rotationHealth(store, 'default', new Date());
          expect(health.level).toBe('ok');
          expect(health.summary.daysLeft).toBeGreaterThan(6.9);
        } finally {
          await store.close();
        }
      }));

    it('never prints or stores a token string (output, logs, audit trail, database files)', async () => {
      expect(seen.size).toBeGreaterThan(10);
      await pool(homes, CLI_LANES, async (home) => {
        const audit = await runCli(['rotations', '--json'], { home });
        expect(audit.code).toBe(0);
        const contents = await stores.contents(home);
        expect(contents.length).toBeGreaterThan(0);
        for (const token of seen)
          for (const form of forms(token)) expect(contents.includes(form)).toBe(false);
      });
      const everything = transcript.join('\n');
      for (const token of seen) expect(everything.includes(token)).toBe(false);
    });
  });
