import { request } from 'undici';
import { expect, it } from 'vitest';
import { verifyEndpointIdentity } from '../../src/sdk/index.js';
import { startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';

it('tanium-bridge emulator --identity-port answers identity challenges and serves the certificate', async () => {
  const { child, firstLine } = await startCliUntilFirstLine(
    ['emulator', '--port', '0', '--endpoints', '20', '--identity-port', '0', '--json'],
    30_000,
  );
  try {
    const { url, identityPort } = JSON.parse(firstLine) as { url: string; identityPort: number };
    expect(identityPort).toBeGreaterThan(0);
    const served = await request(`${url}/__emulator/identity/certificate`);
    expect(served.headers['content-type']).toMatch(/pem/);
    const certificate = await served.body.text();
    expect(certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const result = await verifyEndpointIdentity({ port: identityPort, certificate });
    expect(result).toMatchObject({
      verified: true,
      reason: 'verified',
      endpoint: { eid: expect.any(String) },
    });
    const bad = await request(`http://127.0.0.1:${identityPort}/identity`, {
      method: 'POST',
      body: '{"nonce": 1}',
    });
    expect(bad.statusCode).toBe(400);
  } finally {
    expect(await stopChild(child)).toBe(0);
  }
});
