/**
 * Kills `rotate` (SIGKILL, a real process) right as the emulator commits the new token: the fault
 * `latency-after-commit` holds the answer back after the handler ran, the test sees the new token
 * appear in the emulator's state and kills the process after a delay that varies over the trials
 * (most kills land while the answer is held back, some after it arrived). Grant-then-revoke never
 * locks out; the exchange can, and then says `lost`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectHomes } from '../helpers/dialectHomes.js';
import { startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, startCli } from '../helpers/runCli.js';
import { DIALECTS } from '../store/dialects.js';
import {
  expectNoTokenLeaked,
  type Fixture,
  faults,
  mintPersona,
  personaConnection,
  resetEmulator,
  rotate,
  storedToken,
  userTokens,
  works,
} from './rotationFixture.js';

/** How long the emulator holds an answer back after committing. */
const HOLD_MS = 300;
/**
 * Kill delays after the commit: half spread over the hold (the answer never arrives), half in small
 * steps just past it (the answer has arrived and the process is storing, verifying or revoking).
 */
function delays(trials: number): number[] {
  const held = Math.ceil(trials / 2);
  return Array.from({ length: trials }, (_, i) =>
    i < held ? Math.round((i * (HOLD_MS - 20)) / held) : HOLD_MS - 5 + (i - held) * 9,
  );
}

const f: Fixture = { h: undefined as never, seen: new Set(), homes: [], stores: undefined as never };

beforeAll(async () => {
  f.h = await startHarness();
  f.seen.add(f.h.token);
});

afterAll(async () => {
  await f.h.close();
});

const GATEWAY = '/plugin/products/gateway/graphql';

async function phaseOf(home: string): Promise<string> {
  const store = await f.stores.open(home);
  try {
    return (await store.rotation.get('default'))?.phase ?? 'idle';
  } finally {
    await store.close();
  }
}

/** Starts `rotate`, waits until the emulator has issued a new token for `userId`, waits `delayMs`, kills it. */
async function killAtCommit(home: string, args: string[], userId: number, delayMs: number): Promise<void> {
  const state = f.h.emulator.state;
  const known = new Set(state.tokens.records.map((r) => r.id));
  const issued = () => state.tokens.records.some((r) => r.userId === userId && !known.has(r.id));
  const { child, done } = startCli(['rotate', '--json', ...args], { home });
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!issued()) {
    if (exited) throw new Error('rotate exited before the emulator issued a token');
    if (Date.now() > deadline) throw new Error('the emulator issued no token within 60 s');
    await sleep(1);
  }
  await sleep(delayMs);
  child.kill('SIGKILL');
  await done;
}

interface Trial {
  delayMs: number;
  /** The phase the kill left. */
  left: string;
  outcome: string;
  lockedOut: boolean;
}

function summary(label: string, trials: Trial[]): string {
  const phases = new Map<string, number>();
  for (const t of trials) phases.set(t.left, (phases.get(t.left) ?? 0) + 1);
  const left = [...phases].map(([phase, n]) => `${phase} ×${n}`).join(', ');
  return `${label}: ${trials.length} kills (phases left: ${left}); lockouts: ${trials.filter((t) => t.lockedOut).length}`;
}

for (const dialect of DIALECTS)
  describe(`rotate killed as the emulator commits (real processes) (${dialect.name})`, {
    timeout: CLI_SUITE_TIMEOUT_MS * 2,
  }, () => {
    beforeAll(() => {
      f.stores = dialectHomes(dialect);
      f.homes = [];
    });
    afterAll(async () => {
      await f.stores.dropAll();
    });

    it.each([
      ['REST', [], { method: 'POST', path: '/api/v2/api_tokens' }, 16],
      [
        'Gateway',
        ['--via', 'grant-graphql'],
        { method: 'POST', path: GATEWAY, operation: 'apiTokenGrant' },
        14,
      ],
    ] as const)(
      'grant-then-revoke over %s: no kill locks out, no orphan survives',
      async (label, args, match, count) => {
        await resetEmulator(f);
        const user = `kill-grant-${label}-${dialect.name}`;
        const { home } = await personaConnection(f, user, ['Token - Create']);
        const userId = (await userTokens(f, user))[0]?.user.id as number;
        const trials: Trial[] = [];
        for (const delayMs of delays(count)) {
          await faults(f, [{ ...match, fault: `latency-after-commit:${HOLD_MS}`, count: 1 }]);
          await killAtCommit(home, [...args], userId, delayMs);
          const left = await phaseOf(home);
          // Whatever the kill interrupted, the stored token works.
          expect(await works(f, await storedToken(f, home)), `after a kill at +${delayMs} ms (${left})`).toBe(
            true,
          );
          const next = await rotate(home, [...args]);
          expect(next.code, next.report.message).toBe(0);
          expect(next.report.outcome).toBe('rotated');
          const stored = await storedToken(f, home);
          const lockedOut = !(await works(f, stored));
          trials.push({ delayMs, left, outcome: next.report.outcome, lockedOut });
          // The orphan (if the kill left one) and the old token are revoked: one token, the stored one.
          const tokens = await userTokens(f, user);
          expect(tokens.map((t) => t.id)).toEqual([Number(next.report.tokenId)]);
        }
        console.log(summary(`${dialect.name}: grant-then-revoke over ${label}`, trials));
        expect(trials.filter((t) => t.lockedOut)).toEqual([]);
        // Kills landed while the answer was held back (about half, by the delays): the lost-answer case.
        expect(trials.filter((t) => t.left === 'sent').length).toBeGreaterThan(0);
      },
    );

    it.each([
      ['REST', ['--via', 'rest'], { method: 'PATCH', path: '/api/v2/api_tokens' }],
      ['Gateway', ['--via', 'graphql'], { method: 'POST', path: GATEWAY, operation: 'apiTokenRotate' }],
    ] as const)(
      'the exchange over %s: a kill before the answer locks out, and the next run says lost',
      async (label, args, match) => {
        await resetEmulator(f);
        const user = `kill-exchange-${label}-${dialect.name}`;
        const { home } = await personaConnection(f, user, []);
        const userId = (await userTokens(f, user))[0]?.user.id as number;
        const trials: Trial[] = [];
        for (const delayMs of delays(6)) {
          await faults(f, [{ ...match, fault: `latency-after-commit:${HOLD_MS}`, count: 1 }]);
          await killAtCommit(home, [...args], userId, delayMs);
          const left = await phaseOf(home);
          const next = await rotate(home, [...args]);
          const stored = await storedToken(f, home);
          const lockedOut = !(await works(f, stored));
          trials.push({ delayMs, left, outcome: next.report.outcome, lockedOut });
          // Honest either way: `lost` (exit 3) exactly when the stored token no longer works.
          expect(next.report.outcome === 'lost', next.report.message).toBe(lockedOut);
          if (lockedOut) {
            expect(next.code).toBe(3);
            expect(next.report.message).toContain('tanium-bridge.js token replace');
            // The fix, as a human would do it: a token from the console, then `token replace`.
            const fresh = await mintPersona(f, user, []);
            const replaced = await runCli(['token', 'replace'], { home, input: `${fresh}\n` });
            expect(replaced.code).toBe(0);
          } else expect(next.report.outcome).toBe('rotated');
        }
        console.log(summary(`${dialect.name}: the exchange over ${label}`, trials));
        expect(trials.filter((t) => t.lockedOut).length).toBeGreaterThan(0);
      },
    );

    it('never prints or stores a token string', async () => {
      await expectNoTokenLeaked(f);
    });
  });
