import { storedTokenSource } from '../rotation/tokenSource.js';
import {
  createTaniumClient,
  type Target as SdkTarget,
  type TaniumClient,
  type TaniumClientOptions,
} from '../sdk/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import { type ConnectionContext, noSuchConnection } from './connections.js';

/** Client options a caller may set; the target and the token always come from the stored connection. */
export type ConnectionClientOptions = Omit<TaniumClientOptions, 'target' | 'baseUrl' | 'token'>;

/** The SDK target of a stored connection: a cloud API domain, or a server URL origin. */
export function sdkTarget(record: Pick<ConnectionRecord, 'kind' | 'address'>): SdkTarget {
  return record.kind === 'cloud'
    ? { kind: 'cloud', domain: record.address }
    : { kind: 'server', url: record.address };
}

/**
 * A client for the stored connection `name`, through the rotation-safe token source: the token is read
 * from the vault on every request (a function, not a value), so a rotation saved by another process is
 * used on the next call, and a request that races a rotation and gets 401 waits for it, re-reads the
 * token and is sent once more. The context's store must stay open while the client is in use.
 */
export async function clientForConnection(
  ctx: ConnectionContext,
  name: string,
  options: ConnectionClientOptions = {},
): Promise<{ client: TaniumClient; record: ConnectionRecord }> {
  const record = await ctx.store.connections.get(name);
  if (!record) throw noSuchConnection(name);
  const source = storedTokenSource(ctx, name);
  const client = createTaniumClient({
    ...options,
    target: sdkTarget(record),
    token: source.token,
    onUnauthorized: () => source.refreshAfterRefusal(),
  });
  return { client, record };
}
