/** Reading and sealing a connection's token slots (`active`, `pending`) for rotation. */
import type { ConnectionContext } from '../connections/connections.js';
import { openVault } from '../connections/openVault.js';
import type { Vault } from '../connections/vault.js';
import type { SealedSecret, SecretSlot } from '../store/secrets.js';

export function vaultOf(ctx: ConnectionContext): Vault {
  return openVault(ctx, false);
}

/** The decrypted token in `slot`, or undefined when the slot is empty. */
export async function readSlot(
  ctx: ConnectionContext,
  name: string,
  slot: SecretSlot,
): Promise<string | undefined> {
  const sealed = await ctx.store.secrets.get(name, slot);
  return sealed && vaultOf(ctx).open(name, sealed);
}

export function seal(ctx: ConnectionContext, name: string, token: string): SealedSecret {
  return vaultOf(ctx).seal(name, token);
}
