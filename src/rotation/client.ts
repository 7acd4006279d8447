/**
 * The SDK client rotation uses: the connection's target (shared with every command) with a token
 * source chosen per call (the active token, the pending one to verify, or the old one to probe) and
 * short retries, since rotation talks to Tanium only a few times per run.
 */

import { sdkTarget } from '../connections/client.js';
import { createTaniumClient, type TaniumClient, type TokenSource } from '../sdk/index.js';
import type { ConnectionRecord } from '../store/connections.js';

const ROTATION_RETRY = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 2_000, maxTotalWaitMs: 5_000 };

export function rotationClient(record: ConnectionRecord, token: TokenSource): TaniumClient {
  return createTaniumClient({
    target: sdkTarget(record),
    token,
    retry: ROTATION_RETRY,
    userAgent: 'tanium-bridge-rotation',
  });
}
