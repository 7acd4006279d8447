import type { Timeouts } from '../sdk/index.js';
import type { SyncSettings } from '../store/sync.js';
import { parseSeconds } from './parseNumber.js';

/** This run's request timeouts: `--timeout` for both, else the connection's saved ones. */
export function requestTimeouts(settings: SyncSettings, timeout: string | undefined): Partial<Timeouts> {
  if (timeout !== undefined) {
    const ms = parseSeconds(timeout, '--timeout');
    return { headersMs: ms, bodyMs: ms };
  }
  return {
    ...(settings.headersTimeoutMs === undefined ? {} : { headersMs: settings.headersTimeoutMs }),
    ...(settings.bodyTimeoutMs === undefined ? {} : { bodyMs: settings.bodyTimeoutMs }),
  };
}
