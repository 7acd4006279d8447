/**
 * The state machine's ports over the store and Tanium for one connection: commits in one durable
 * transaction (renewing and checking the rotation lease), token slots read fresh for every call.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionContext } from '../connections/connections.js';
import type { ConnectionRecord } from '../store/connections.js';
import { initialRotationRecord, type RotationRecord } from '../store/rotation.js';
import type { CrashPoint, RotationPorts } from './driver.js';
import { exchange, probe } from './exchange.js';
import { findOrphans, grant, revokeOld } from './grant.js';
import { LEASE_TTL_MS, leaseKey } from './lease.js';
import type { RotationEffect } from './machine.js';
import { readSlot, seal } from './secrets.js';

export interface PortOptions {
  now: () => Date;
  checkpoint?: ((point: CrashPoint) => void | Promise<void>) | undefined;
}

/** The ports for one connection, holding the lease `owner`. */
export function storePorts(
  ctx: ConnectionContext,
  connection: ConnectionRecord,
  owner: string,
  options: PortOptions,
): RotationPorts {
  const name = connection.name;
  const active = () => readSlot(ctx, name, 'active');
  return {
    async load() {
      return (await ctx.store.rotation.get(name)) ?? initialRotationRecord(options.now().toISOString());
    },
    async commit(record, effects) {
      await commitRecord(ctx, name, record, effects, owner);
    },
    async rotate(method, attemptId) {
      if (method === 'rest' || method === 'graphql')
        return exchange(connection, await active(), method, options.now);
      const knownId = (await ctx.store.rotation.get(name))?.oldTokenId ?? null;
      return grant(connection, await active(), method, { attemptId, knownId }, options.now);
    },
    verifyPending: async () => probe(connection, await readSlot(ctx, name, 'pending')),
    probeOld: async () => probe(connection, await active()),
    findOrphans: async (method, attemptId) => findOrphans(connection, await active(), method, attemptId),
    revokeOld: async (method, tokenId) => revokeOld(connection, await active(), method, tokenId),
    now: () => options.now().toISOString(),
    newAttemptId: () => randomUUID(),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
}

/** Persists a record and its effects in one transaction, renewing (and checking) the lease. */
export async function commitRecord(
  ctx: ConnectionContext,
  name: string,
  record: RotationRecord,
  effects: readonly RotationEffect[],
  owner: string | null,
): Promise<void> {
  // Sealing loads the master key from disk: do it before taking the write lock.
  const sealed = effects.flatMap((e) => (e.kind === 'store_pending' ? [seal(ctx, name, e.secret)] : []));
  const now = record.updatedAt;
  await ctx.store.transaction(async (tx) => {
    if (owner !== null && !(await tx.leases.acquire(leaseKey(name), owner, LEASE_TTL_MS, Date.now())))
      throw new Error(`rotation of "${name}": the lease was lost to another process; nothing was written`);
    for (const effect of effects) {
      switch (effect.kind) {
        case 'store_pending': {
          const secret = sealed.shift();
          if (secret) await tx.secrets.put(name, 'pending', secret, now);
          break;
        }
        case 'promote_pending': {
          const pending = await tx.secrets.get(name, 'pending');
          if (!pending) throw new Error(`rotation of "${name}": no pending token to promote`);
          await tx.secrets.put(name, 'active', pending, now);
          await tx.secrets.remove(name, 'pending');
          await tx.connections.touch(name, now);
          break;
        }
        case 'discard_pending':
          await tx.secrets.remove(name, 'pending');
          break;
        case 'audit':
          await tx.rotation.audit({ ...effect.entry, connectionName: name });
          break;
      }
    }
    await tx.rotation.put(name, record);
  });
}
