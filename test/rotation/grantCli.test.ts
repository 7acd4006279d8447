import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectHomes } from '../helpers/dialectHomes.js';
import { startHarness } from '../helpers/emulatorHarness.js';
import { CLI_LANES, Lanes } from '../helpers/lanes.js';
import { CLI_SUITE_TIMEOUT_MS, pool, runCli } from '../helpers/runCli.js';
import { DIALECTS } from '../store/dialects.js';
import {
  auditOf,
  expectNoTokenLeaked,
  type Fixture,
  faults,
  personaConnection,
  requests,
  resetEmulator,
  rotate,
  storedToken,
  userTokens,
  works,
} from './rotationFixture.js';

/** The tokens every lane saw, for the final secret search. */
const seen = new Set<string>();
/**
 * One fixture per lane, each with an emulator of its own (fault rules and request counts are the
 * emulator's), sharing the seen tokens and the dialect's homes: tests take a lane and run side by side.
 */
let lanes: Lanes<Fixture>;
let users = 0;
/** A fresh integration user per test, so that its token list is the test's own. */
const nextUser = (label: string) => `${label}-${++users}`;

beforeAll(async () => {
  const harnesses = await Promise.all(Array.from({ length: CLI_LANES }, () => startHarness()));
  for (const h of harnesses) seen.add(h.token);
  lanes = new Lanes(harnesses.map((h): Fixture => ({ h, seen, homes: [], stores: undefined as never })));
});

afterAll(async () => {
  await Promise.all(lanes.all.map((f) => f.h.close()));
});

const GRANT_REST = { method: 'POST', path: '/api/v2/api_tokens' };
const GRANT_GATEWAY = {
  method: 'POST',
  path: '/plugin/products/gateway/graphql',
  operation: 'apiTokenGrant',
};
const REVOKE_REST = { method: 'DELETE', path: '/api/v2/api_tokens/*' };
const REVOKE_GATEWAY = {
  method: 'POST',
  path: '/plugin/products/gateway/graphql',
  operation: 'apiTokenRevoke',
};

/** After a run: the stored token works and is the user's only active token. */
async function expectOneWorkingToken(f: Fixture, user: string, home: string): Promise<string> {
  const stored = await storedToken(f, home);
  expect(await works(f, stored)).toBe(true);
  const tokens = await userTokens(f, user);
  expect(tokens, JSON.stringify(tokens)).toHaveLength(1);
  return stored;
}

for (const dialect of DIALECTS)
  describe(`rotate: grant-then-revoke (CLI against the emulator) (${dialect.name})`, {
    timeout: CLI_SUITE_TIMEOUT_MS,
  }, () => {
    const stores = dialectHomes(dialect);
    const homes: string[] = [];
    beforeAll(() => {
      for (const f of lanes.all) Object.assign(f, { stores, homes });
    });
    afterAll(async () => {
      await stores.dropAll();
    });

    it.concurrent.each([
      ['the default (auto)', [], 'grant'],
      ['--via grant-graphql', ['--via', 'grant-graphql'], 'grant-graphql'],
    ] as const)(
      'rotates with %s: a new token with the same settings, the old one revoked, one token left',
      (_label, args, method) =>
        lanes.with(async (f) => {
          await resetEmulator(f);
          const user = nextUser('grant');
          const { home, token } = await personaConnection(f, user, ['Token - Create']);
          const [before] = await userTokens(f, user);
          const result = await rotate(home, [...args]);
          expect(result.code, result.report.message).toBe(0);
          expect(result.report).toMatchObject({ outcome: 'rotated', method, fellBack: false, phase: 'idle' });
          expect(result.report.oldTokenId).toBe(String(before?.id));
          expect(result.report.message).toContain('the old one is revoked');
          const fresh = await expectOneWorkingToken(f, user, home);
          expect(fresh).not.toBe(token);
          expect(await works(f, token)).toBe(false);
          const [after] = await userTokens(f, user);
          expect(after).toMatchObject({
            id: Number(result.report.tokenId),
            notes: `created through /__emulator/personas [tanium-bridge ${result.report.attemptId}]`,
            trusted_ip_addresses: before?.trusted_ip_addresses,
            expire_in_days: before?.expire_in_days,
            persona: before?.persona,
          });
          // A second rotation replaces the marker instead of adding one.
          const again = await rotate(home, [...args]);
          expect(again.report).toMatchObject({ outcome: 'rotated', oldTokenId: result.report.tokenId });
          await expectOneWorkingToken(f, user, home);
          const [last] = await userTokens(f, user);
          expect(last?.notes).toBe(
            `created through /__emulator/personas [tanium-bridge ${again.report.attemptId}]`,
          );
          expect((await auditOf(home)).map((r) => [r.method, r.outcome])).toEqual([
            [method, 'rotated'],
            [method, 'rotated'],
          ]);
          expect(await requests(f, 'PATCH /api/v2/api_tokens')).toBe(0);
        }),
    );

    it.concurrent.each([
      // point, how the next run's recovery ends, grants the server saw in all
      ['intent_recorded', 'not_granted', 1],
      ['sent', 'not_granted', 1],
      ['answered', 'not_granted', 2],
      ['received', 'rotated', 1],
      ['verifying', 'rotated', 1],
      ['verified', 'rotated', 1],
      ['revoking', 'rotated', 1],
      ['revoked', 'rotated', 1],
      ['idle', null, 2],
    ] as const)(
      'a crash after "%s" never locks out: the next run ends with one working token',
      (point, recovered, grants) =>
        lanes.with(async (f) => {
          await resetEmulator(f);
          const user = nextUser(`crash-${point}`);
          const { home, token } = await personaConnection(f, user, ['Token - Create']);
          const crashed = await rotate(home, [], { TANIUM_BRIDGE_ROTATION_CRASH_AT: point });
          expect(crashed.code).toBe(137);
          // Whatever the crash left, a stored token works.
          const left = await storedToken(f, home);
          expect(await works(f, left)).toBe(true);
          if (point === 'revoking') {
            // Promoted, the old one not yet revoked: both work, and status says so.
            expect(await works(f, token)).toBe(true);
            const status = await runCli(['status'], { home });
            expect(status.stdout).toContain('is not revoked yet');
          }
          const next = await rotate(home);
          expect(next.code, next.report.message).toBe(0);
          expect(next.report).toMatchObject({ outcome: 'rotated', recovered });
          await expectOneWorkingToken(f, user, home);
          expect(await works(f, token)).toBe(false);
          expect(await requests(f, 'POST /api/v2/api_tokens')).toBe(grants);
          if (point === 'answered') {
            const audit = await auditOf(home);
            expect(audit.at(-1)).toMatchObject({ outcome: 'not_granted' });
            expect(audit.at(-1)?.error).toMatch(
              /the token this attempt created \(id \d+\) was found by its notes marker and revoked/,
            );
          }
        }),
    );

    it.concurrent.each([
      ['REST', [], GRANT_REST],
      ['Gateway', ['--via', 'grant-graphql'], GRANT_GATEWAY],
    ] as const)(
      'a %s grant answer dropped after commit: the orphan is revoked, the old token kept, the next run rotates',
      (_label, args, match) =>
        lanes.with(async (f) => {
          await resetEmulator(f);
          const user = nextUser('drop-grant');
          const { home, token } = await personaConnection(f, user, ['Token - Create']);
          await faults(f, [{ ...match, fault: 'drop-response-after-commit', count: 1 }]);
          const first = await rotate(home, [...args]);
          expect(first.code).toBe(1);
          expect(first.report).toMatchObject({ outcome: 'not_granted', phase: 'idle' });
          expect(first.report.error).toMatch(/was found by its notes marker and revoked/);
          expect(await storedToken(f, home)).toBe(token);
          expect(await expectOneWorkingToken(f, user, home)).toBe(token);
          const audit = await auditOf(home);
          expect(audit[0]).toMatchObject({ outcome: 'not_granted' });
          const second = await rotate(home, [...args]);
          expect(second.report.outcome).toBe('rotated');
          await expectOneWorkingToken(f, user, home);
          expect(await works(f, token)).toBe(false);
        }),
    );

    it.concurrent.each([
      ['REST', [], REVOKE_REST],
      ['Gateway', ['--via', 'grant-graphql'], REVOKE_GATEWAY],
    ] as const)(
      'a %s revoke answer lost: the new token is in use, the old one is revoked by the next run',
      (_label, args, match) =>
        lanes.with(async (f) => {
          await resetEmulator(f);
          const user = nextUser('drop-revoke');
          const { home, token } = await personaConnection(f, user, ['Token - Create']);
          await faults(f, [{ ...match, fault: 'status:503', count: 1 }]);
          const first = await rotate(home, [...args]);
          expect(first.code).toBe(1);
          expect(first.report).toMatchObject({ outcome: 'revoke_pending', phase: 'revoking' });
          expect(first.report.message).toContain('the old token is not revoked yet');
          const fresh = await storedToken(f, home);
          expect(fresh).not.toBe(token);
          expect(await works(f, fresh)).toBe(true);
          expect(await works(f, token)).toBe(true);
          const second = await rotate(home, [...args]);
          expect(second.report).toMatchObject({ outcome: 'rotated', recovered: 'rotated' });
          expect(await expectOneWorkingToken(f, user, home)).toBe(fresh);
          expect(await works(f, token)).toBe(false);
        }),
    );

    it.concurrent.each([
      ['REST', [], REVOKE_REST],
      ['Gateway', ['--via', 'grant-graphql'], REVOKE_GATEWAY],
    ] as const)(
      'a %s revoke answer dropped after commit: no lockout, the next run finds the old token gone and ends rotated',
      (_label, args, match) =>
        lanes.with(async (f) => {
          await resetEmulator(f);
          const user = nextUser('drop-revoke-commit');
          const { home, token } = await personaConnection(f, user, ['Token - Create']);
          await faults(f, [{ ...match, fault: 'drop-response-after-commit', count: 1 }]);
          const first = await rotate(home, [...args]);
          expect(first.code).toBe(1);
          expect(first.report).toMatchObject({ outcome: 'revoke_pending', phase: 'revoking' });
          // Tanium revoked the old token; the answer never arrived. The new one is stored and works.
          const fresh = await expectOneWorkingToken(f, user, home);
          expect(fresh).not.toBe(token);
          expect(await works(f, token)).toBe(false);
          const second = await rotate(home, [...args]);
          expect(second.code, second.report.message).toBe(0);
          expect(second.report).toMatchObject({ outcome: 'rotated', recovered: 'rotated' });
          expect(await expectOneWorkingToken(f, user, home)).toBe(fresh);
          expect((await auditOf(home)).map((r) => r.outcome)).toEqual(['rotated']);
        }),
    );

    it.concurrent('a revoke Tanium refuses: rotated, and the report says the old token stays valid until it expires', () =>
      lanes.with(async (f) => {
        await resetEmulator(f);
        const user = nextUser('keep-old');
        const { home, token } = await personaConnection(f, user, ['Token - Create']);
        const [before] = await userTokens(f, user);
        await faults(f, [{ ...REVOKE_REST, fault: 'status:403', count: 1 }]);
        const result = await rotate(home);
        expect(result.code).toBe(0);
        expect(result.report.outcome).toBe('old_not_revoked');
        expect(result.report.message).toContain(`it stays valid until it expires at ${before?.expiration}`);
        expect(await works(f, await storedToken(f, home))).toBe(true);
        expect(await works(f, token)).toBe(true);
        expect(await userTokens(f, user)).toHaveLength(2);
        const status = await runCli(['status'], { home });
        expect(status.stdout).toContain(
          'PROBLEM  The token of "default" was rotated, but Tanium refused to revoke',
        );
      }));

    it.concurrent('a persona that may not create tokens: the default falls back to the exchange, later runs use it directly, check says so', () =>
      lanes.with(async (f) => {
        await resetEmulator(f);
        const user = nextUser('rotate-only');
        const { home } = await personaConnection(f, user, []);
        const before = await runCli(['check', '--modules'], { home });
        expect(before.code).toBe(0);
        expect(before.stdout).toContain(
          'Token rotation will use the exchange (PATCH /api/v2/api_tokens): the persona may not create tokens',
        );

        const first = await rotate(home);
        expect(first.code, first.report.message).toBe(0);
        expect(first.report).toMatchObject({ outcome: 'rotated', method: 'rest', fellBack: true });
        expect(first.report.message).toContain('Tanium refused to create a token for this persona');
        expect((await auditOf(home)).map((r) => [r.method, r.outcome])).toEqual([
          ['rest', 'rotated'],
          ['grant', 'grant_refused'],
        ]);
        expect(await requests(f, 'POST /api/v2/api_tokens')).toBe(1);
        await expectOneWorkingToken(f, user, home);

        const second = await rotate(home);
        expect(second.report).toMatchObject({ outcome: 'rotated', method: 'rest', fellBack: false });
        expect(await requests(f, 'POST /api/v2/api_tokens')).toBe(1);
        expect(await requests(f, 'PATCH /api/v2/api_tokens')).toBe(2);

        const json = JSON.parse((await runCli(['check', '--modules', '--json'], { home })).stdout);
        expect(json.rotationMethod).toMatchObject({ method: 'rest', source: 'detection' });
        expect(json.rotationMethod.reason).toMatch(
          /^Tanium refused to create a token for this persona at .* then grant-then-revoke is tried again$/,
        );

        // Forcing grant-then-revoke fails cleanly: nothing changed, the stored token still works.
        const token = await storedToken(f, home);
        const forced = await rotate(home, ['--via', 'grant']);
        expect(forced.code).toBe(1);
        expect(forced.report.outcome).toBe('grant_refused');
        expect(forced.report.message).toContain('node bin/tanium-bridge.js rotate --via rest');
        expect(await storedToken(f, home)).toBe(token);
        await expectOneWorkingToken(f, user, home);
      }));

    it.concurrent.each([
      ['the Administrator role', ['*'], 'the persona may create tokens (Administrator role)'],
      ['"Token - Create"', ['Token - Create'], 'the persona may create tokens ("Token - Create")'],
    ])('check --modules says rotation uses grant-then-revoke for %s', (_label, permissions, reason) =>
      lanes.with(async (f) => {
        const user = nextUser('check');
        const { home } = await personaConnection(f, user, permissions);
        const human = await runCli(['check', '--modules'], { home });
        expect(human.code).toBe(0);
        const lines = human.stdout.trimEnd().split('\n');
        expect(lines.at(-2)).toBe(`Token rotation will use grant-then-revoke: ${reason}.`);
        const json = JSON.parse((await runCli(['check', '--modules', '--json'], { home })).stdout);
        expect(json.rotationMethod).toEqual({ method: 'grant', source: 'permissions', reason });
      }),
    );

    it('never prints or stores a token string (output, audit trail, database files)', async () => {
      const f = lanes.all[0]!;
      expect(f.seen.size).toBeGreaterThan(20);
      await pool(f.homes, CLI_LANES, async (home) => {
        const audit = JSON.stringify(await auditOf(home));
        for (const token of f.seen) expect(audit.includes(token)).toBe(false);
      });
      await expectNoTokenLeaked(f);
    });
  });
