import { initialRotationRecord } from '../store/rotation.js';
import type { StoreTx } from '../store/store.js';
import { next } from './machine.js';

/**
 * Inside the transaction that stores a token from the console (connect, token replace, the API's
 * Replace): rotation starts over from that token, which clears `lost` and `refused`, drops a pending
 * token and abandons an attempt in progress (audited). Doing it in the same transaction means no
 * reader ever sees the new token with the old rotation state (docs/rotation.md).
 */
export async function resetRotationInTx(tx: StoreTx, name: string, at: string): Promise<void> {
  const record = (await tx.rotation.get(name)) ?? initialRotationRecord(at);
  const step = next(record, { type: 'token_replaced', at });
  for (const effect of step.effects) {
    if (effect.kind === 'discard_pending') await tx.secrets.remove(name, 'pending');
    else if (effect.kind === 'audit') await tx.rotation.audit({ ...effect.entry, connectionName: name });
  }
  await tx.rotation.put(name, step.record);
}
