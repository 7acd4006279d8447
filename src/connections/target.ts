import { UserError } from '../common/userError.js';
import type { ConnectionKind } from '../store/connections.js';
import { validateCloudDomain } from './domain.js';
import { validateServerUrl } from './serverUrl.js';

/** Where a connection points: a Tanium Cloud API domain or a server URL origin. */
export interface Target {
  kind: ConnectionKind;
  address: string;
}

/**
 * Reads `--domain` / `--server` into a validated target, or undefined when neither was given
 * (editing an existing connection keeps its address). An explicitly empty value is not "not given":
 * it fails validation with "This field is required", as clearing the API Domain does in the workflow integration guide.
 */
export function parseTarget(options: { domain?: string; server?: string }): Target | undefined {
  if (options.domain !== undefined && options.server !== undefined)
    throw new UserError('Give either --domain (Tanium Cloud) or --server (on-prem or emulator), not both.');
  if (options.domain !== undefined) return { kind: 'cloud', address: validateCloudDomain(options.domain) };
  if (options.server !== undefined) return { kind: 'server', address: validateServerUrl(options.server) };
  return undefined;
}
