import type { Timeouts } from '../sdk/index.js';
import type { SyncSettings } from '../store/sync.js';

/** A call's request timeouts: the caller's for both, else the connection's saved ones, else the SDK's. */
export function requestTimeouts(settings: SyncSettings, timeoutMs?: number): Partial<Timeouts> {
  if (timeoutMs !== undefined) return { headersMs: timeoutMs, bodyMs: timeoutMs };
  return {
    ...(settings.headersTimeoutMs === undefined ? {} : { headersMs: settings.headersTimeoutMs }),
    ...(settings.bodyTimeoutMs === undefined ? {} : { bodyMs: settings.bodyTimeoutMs }),
  };
}
