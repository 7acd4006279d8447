import { type ConnectionContext, noSuchConnection, readToken } from '../connections/connections.js';
import { createTaniumClient, type TaniumClient, type TaniumClientOptions } from '../sdk/index.js';

/**
 * An SDK client for a stored connection. Stand-in until the shared client factory in
 * src/connections/ lands (issue "check"): the integrator can swap this for it.
 * The token is re-read from the vault on every attempt, so a rotation in another process is picked up.
 */
export async function clientForConnection(
  ctx: ConnectionContext,
  name: string,
  options: Omit<TaniumClientOptions, 'target' | 'baseUrl' | 'token'> = {},
): Promise<TaniumClient> {
  const record = await ctx.store.connections.get(name);
  if (!record) throw noSuchConnection(name);
  await readToken(ctx, name); // fails early, with the fix, when the token cannot be read
  return createTaniumClient({
    ...options,
    target:
      record.kind === 'cloud'
        ? { kind: 'cloud', domain: record.address }
        : { kind: 'server', url: record.address },
    token: () => readToken(ctx, name),
  });
}
