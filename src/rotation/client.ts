/**
 * A minimal SDK client for a stored connection, local to rotation on purpose: another branch is
 * adding the shared factory in src/connections/; the integrator can swap this for it. The token is a
 * function so that every attempt uses the value given now (a fresh read, or a fixed token to probe).
 */
import { createTaniumClient, type TaniumClient, type TokenSource } from '../sdk/index.js';
import type { ConnectionRecord } from '../store/connections.js';

/** Rotation talks to Tanium a few times per run; keep retries of safe calls short. */
const ROTATION_RETRY = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 2_000, maxTotalWaitMs: 5_000 };

export function rotationClient(record: ConnectionRecord, token: TokenSource): TaniumClient {
  return createTaniumClient({
    target:
      record.kind === 'cloud'
        ? { kind: 'cloud', domain: record.address }
        : { kind: 'server', url: record.address },
    token,
    retry: ROTATION_RETRY,
    userAgent: 'tanium-bridge-rotation',
  });
}
