import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, tempHome } from '../helpers/runCli.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('check warns when the token expires soon and rotation is not working', {
  timeout: CLI_SUITE_TIMEOUT_MS,
}, () => {
  it('passes quietly while days remain, then warns inside 3 days, keeping the exact success line', async () => {
    const created = await createToken(h, { trusted_ip_addresses: '127.0.0.1', expire_in_days: 5 });
    const home = tempHome();
    expect(
      (await runCli(['connect', '--server', h.url], { home, input: `${created.token_string}\n` })).code,
    ).toBe(0);
    await h.advance('1m');
    // Learn the token's expiry without rotating (a schedule that is never due).
    const learned = await runCli(['rotate', '--if-due', '--every', '30d', '--share', '0.99'], { home });
    expect(learned.code).toBe(0);

    const early = await runCli(['check'], { home });
    expect(early.code).toBe(0);
    expect(early.stdout.trim()).toBe('Successfully authenticated with Tanium Cloud');
    expect(early.stderr).not.toContain('rotation');

    await h.advance('3d');
    const late = await runCli(['check'], { home });
    expect(late.code).toBe(0);
    expect(late.stdout.trim()).toBe('Successfully authenticated with Tanium Cloud');
    expect(late.stderr).toMatch(/^Warning: token rotation: /);
    const json = await runCli(['check', '--json'], { home });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, rotation: { level: 'warn' } });
    for (const output of [learned, early, late, json]) {
      expect(output.stdout + output.stderr).not.toContain(created.token_string!);
    }
  });
});
