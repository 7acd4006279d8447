import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken, startHarness, tempDir } from '../helpers/emulatorHarness.js';

describe('emulator: --state keeps tokens, settings and time across restarts', () => {
  it('a token created before a restart works after it; a revoked one does not', async () => {
    const statePath = join(tempDir(), 'emulator.json');
    const first = await startHarness({ statePath });
    const kept = await createToken(first, { notes: 'survivor', expire_in_days: 30 });
    const revoked = await createToken(first);
    await first.call('DELETE', `/api/v2/api_tokens/${revoked.id}`);
    await first.call('PATCH', '/api/v2/system_settings/by-name/api_token_expiration_in_days', {
      body: { value: '3' },
    });
    await first.advance('1d');
    const firstBootstrap = first.token;
    await first.close();

    const fileText = readFileSync(statePath, 'utf8');
    expect(fileText).not.toContain(kept.token_string!);
    expect(statSync(statePath).mode & 0o077).toBe(0);

    const second = await startHarness({ statePath });
    try {
      // The state keeps digests only, so a restart announces a new bootstrap token; the first still works.
      expect(second.token).not.toBe(firstBootstrap);
      expect(fileText).not.toContain(firstBootstrap);
      expect((await second.call('GET', '/api/v2/session/current', { token: firstBootstrap })).status).toBe(
        200,
      );
      expect(
        (await second.call('GET', '/api/v2/session/current', { token: kept.token_string! })).status,
      ).toBe(200);
      expect(
        (await second.call('GET', '/api/v2/session/current', { token: revoked.token_string! })).status,
      ).toBe(401);
      const setting = await second.call<{ data: { value: string } }>(
        'GET',
        '/api/v2/system_settings/by-name/api_token_expiration_in_days',
      );
      expect(setting.json.data.value).toBe(3);
      const clock = await second.call<{ offsetMs: number }>('GET', '/__emulator/clock', { token: null });
      expect(clock.json.offsetMs).toBe(86_400_000);
    } finally {
      await second.close();
    }
  });

  it('without --state a restart starts a new tenant', async () => {
    const first = await startHarness();
    const token = await createToken(first);
    await first.close();
    const second = await startHarness();
    try {
      expect(
        (await second.call('GET', '/api/v2/session/current', { token: token.token_string! })).status,
      ).toBe(401);
    } finally {
      await second.close();
    }
  });
});
