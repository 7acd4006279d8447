import type { ConnectionContext } from './connections.js';
import { loadMasterKey, MASTER_KEY_ENV } from './masterKey.js';
import { Vault } from './vault.js';

/**
 * The vault of a home folder, with its master key read once per process: a service seals and opens
 * tokens on every request, and reading (and permission-checking) the key file each time is wasted
 * work. Keyed by home and the master key variable, so tests with many homes in one process stay apart.
 * Only a key that was found is remembered; a missing key is looked for again next time.
 */
const vaults = new Map<string, Vault>();

export function openVault(ctx: Pick<ConnectionContext, 'home' | 'env'>, create: boolean): Vault {
  const env = ctx.env ?? process.env;
  const cacheKey = `${ctx.home}\0${env[MASTER_KEY_ENV] ?? ''}`;
  const cached = vaults.get(cacheKey);
  if (cached) return cached;
  const vault = new Vault(loadMasterKey(ctx.home, { create, env }));
  vaults.set(cacheKey, vault);
  return vault;
}
