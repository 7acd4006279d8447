/** The SDK against the emulator over real HTTP: session lookup and both rotation forms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { AuthenticationError, createTaniumClient, type TaniumClient } from '../../src/sdk/index.js';

let emulator: RunningEmulator;
let client: TaniumClient;
let current: string;
beforeAll(async () => {
  emulator = await startEmulator();
  current = emulator.token;
  // A token function: the client picks up each rotation without being rebuilt.
  client = createTaniumClient({ baseUrl: emulator.url, token: () => current });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('SDK against the emulator', () => {
  it('looks up the current session and lists tokens without cache_info', async () => {
    const session = await client.session.current();
    expect(session.user.name).toBeTypeOf('string');
    const tokens = await client.tokens.list();
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) {
      expect(t).not.toHaveProperty('cache_info');
      expect(t.token_string).toBeUndefined();
    }
    const mine = await client.tokens.mine();
    expect(mine.length).toBeGreaterThan(0);
  });

  it('rotates by REST PATCH and by apiTokenRotate; the old token dies at once', async () => {
    const first = current;
    const rotated = await client.tokens.rotateRest(first);
    expect(rotated.token_string).toMatch(/^token-/);
    current = rotated.token_string ?? '';
    await expect(
      createTaniumClient({ baseUrl: emulator.url, token: first }).session.current(),
    ).rejects.toBeInstanceOf(AuthenticationError);
    const second = await client.tokens.rotateGraphql(current);
    expect(second.tokenString).toMatch(/^token-/);
    expect(second.tokenString).not.toBe(current);
    current = second.tokenString ?? '';
    expect((await client.session.current()).user).toBeDefined();
  });
});
