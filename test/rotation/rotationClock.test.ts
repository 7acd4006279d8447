import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotationHealth } from '../../src/rotation/health.js';
import { type DialectHomes, dialectHomes } from '../helpers/dialectHomes.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS, runCli } from '../helpers/runCli.js';
import { DIALECTS } from '../store/dialects.js';

let h: Harness;
let stores: DialectHomes;

async function connection(expireInDays: number): Promise<string> {
  const created = await createToken(h, { trusted_ip_addresses: '127.0.0.1', expire_in_days: expireInDays });
  const home = await stores.home();
  const saved = await runCli(['connect', '--server', h.url], { home, input: `${created.token_string}\n` });
  expect(saved.code).toBe(0);
  // The administrator token the harness used is then not "recently used" beside ours (pickToken).
  await h.advance('1m');
  return home;
}

async function ifDue(home: string, extra: string[] = []) {
  const result = await runCli(['rotate', '--if-due', '--json', ...extra], { home });
  return {
    code: result.code,
    report: JSON.parse(result.stdout) as { outcome: string; message: string; due: { due: boolean } | null },
  };
}

/** Token-issuing requests: the grant (POST, the default method) and the exchange (PATCH). */
async function patches(): Promise<number> {
  const s = await h.call<{ requests: { byRoute: Record<string, number> } }>('GET', '/__emulator/stats', {
    token: null,
  });
  const routes = s.json.requests.byRoute;
  return (routes['POST /api/v2/api_tokens'] ?? 0) + (routes['PATCH /api/v2/api_tokens'] ?? 0);
}

async function health(home: string) {
  const store = await stores.open(home);
  try {
    return await rotationHealth(store, 'default', new Date());
  } finally {
    await store.close();
  }
}

// One emulator per dialect: these tests move its clock forward, so they run in order.
for (const dialect of DIALECTS)
  describe(`rotate --if-due follows the server clock (${dialect.name})`, {
    timeout: CLI_SUITE_TIMEOUT_MS,
  }, () => {
    beforeAll(async () => {
      h = await startHarness();
      stores = dialectHomes(dialect);
    });
    afterAll(async () => {
      await h.close();
      await stores.dropAll();
    });

    it('rotates a 7-day token daily, not before (the local clock never moves)', async () => {
      const home = await connection(7);
      const before = await patches();
      const fresh = await ifDue(home);
      expect(fresh.code).toBe(0);
      expect(fresh.report.outcome).toBe('not_due');
      expect(fresh.report.message).toMatch(
        /^Not rotating "default": not due: the token is 1m old, next rotation due at /,
      );
      await h.advance('23h');
      expect((await ifDue(home)).report.outcome).toBe('not_due');
      expect(await patches()).toBe(before);
      await h.advance('1h');
      const due = await ifDue(home);
      expect(due.report, due.report.message).toMatchObject({ outcome: 'rotated' });
      expect(await patches()).toBe(before + 1);
      // Right after a rotation: not due again for a day.
      expect((await ifDue(home)).report.outcome).toBe('not_due');
      expect(await patches()).toBe(before + 1);
      expect((await health(home)).level).toBe('ok');
    });

    it('rotates a 1-day token once half its lifetime has passed', async () => {
      const home = await connection(1);
      await h.advance('11h');
      expect((await ifDue(home)).report.outcome).toBe('not_due');
      await h.advance('1h');
      const due = await ifDue(home);
      expect(due.report, due.report.message).toMatchObject({ outcome: 'rotated' });
    });

    it('health warns when the token expires within 3 days and rotation is not working; an expired token is refused', async () => {
      const home = await connection(7);
      await h.advance('5d');
      // A policy under which it is not due, so nothing rotates: expiry and the server clock are learned.
      const learned = await ifDue(home, ['--every', '30d', '--share', '0.9']);
      expect(learned.report.outcome).toBe('not_due');
      const warn = await health(home);
      expect(warn.level).toBe('warn');
      expect(warn.message).toMatch(
        /expires in (1\.\d|2) days .* rotation is not working: it has not been rotated yet/,
      );
      await h.call('POST', '/__emulator/faults', {
        token: null,
        body: { rules: [{ method: 'POST', path: '/api/v2/api_tokens', fault: 'status:503', count: 1 }] },
      });
      // The grant (the default method) gets no usable answer; no token of the attempt exists.
      const failed = await ifDue(home);
      expect(failed.report.outcome).toBe('not_granted');
      expect((await health(home)).message).toContain('the last rotation ended "not_granted"');
      await h.call('DELETE', '/__emulator/faults', { token: null });
      await h.advance('3d');
      const expired = await ifDue(home);
      expect(expired.code, expired.report.message).toBe(3);
      expect(expired.report.outcome).toBe('refused');
      expect(expired.report.message).toContain('tanium-bridge.js token replace');
    });
  });
