import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { holderIsDead } from '../../store/leaseOwner.js';
import type { Store } from '../../store/store.js';
import type { StoredSchedule } from '../storedSchedule.js';
import type { DbClock } from './dbClock.js';
import { jobData, LANES, QUEUES, type QueueName } from './queues.js';

/** One worker at a time fills the queues: it holds this lease, renewed at every tick. */
export const DISPATCH_LEASE = 'jobs:dispatch';

export interface DispatcherOptions {
  store: Store;
  boss: PgBoss;
  bossSchema: string;
  schedule: StoredSchedule;
  clock: DbClock;
  owner: string;
  /** The dispatch lease lasts this long past the last tick (a few ticks). */
  leaseTtlMs: number;
  log: Logger;
}

/**
 * Turns the stored schedule into queue jobs. Every worker ticks; the one holding the dispatch lease
 * sends, per connection and lane (rotate; sync or reconcile), the first due job, unless that lane
 * already has a job queued, waiting to retry or running in pg-boss. Because the lane stays busy until
 * the job ends, and the job records its next run (runJob.ts) before it ends, a job is never queued
 * twice. Returns how many jobs it sent (0 when another worker dispatches).
 */
export async function dispatch(options: DispatcherOptions): Promise<number> {
  const { store, boss, owner } = options;
  await options.clock.measure();
  const nowMs = options.clock.now().getTime();
  if (!(await takeLease(store, owner, options.leaseTtlMs))) return 0;
  const busy = await busyLanes(boss, options.bossSchema);
  let sent = 0;
  for (const connection of await store.connections.list()) {
    for (const lane of LANES) {
      if (busy.has(laneKey(lane.queue, connection.name))) continue;
      const record = await options.schedule.dueJob(connection.name, nowMs, lane.kinds);
      if (!record) continue;
      const id = await boss.send(lane.queue, jobData(record.job, connection.name), {
        singletonKey: connection.name,
      });
      if (id !== null) {
        sent++;
        options.log.debug({ queueJob: id, connection: connection.name, job: record.job }, 'job queued');
      }
    }
  }
  return sent;
}

const laneKey = (queue: QueueName, connection: string) => `${queue}\0${connection}`;

/** The dispatch lease: free, expired, ours already (renewed), or held by a process of this machine that is gone. */
async function takeLease(store: Store, owner: string, ttlMs: number): Promise<boolean> {
  if (await store.leases.acquire(DISPATCH_LEASE, owner, ttlMs, Date.now())) return true;
  const holder = await store.leases.get(DISPATCH_LEASE);
  if (!holder || !holderIsDead(holder.owner)) return false;
  await store.leases.release(DISPATCH_LEASE, holder.owner);
  return store.leases.acquire(DISPATCH_LEASE, owner, ttlMs, Date.now());
}

/**
 * The lanes with a live job (queued, waiting to retry, or active), read from pg-boss's job table:
 * pg-boss has no call that lists jobs by singleton key, and its `stately` policy alone would let one
 * more job queue behind an active one.
 */
async function busyLanes(boss: PgBoss, schema: string): Promise<Set<string>> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT name, singleton_key FROM "${schema}".job WHERE name = ANY($1::text[]) AND state < 'completed'`,
      [[...QUEUES]],
    );
  const busy = new Set<string>();
  for (const row of rows as { name: QueueName; singleton_key: string | null }[])
    if (row.singleton_key !== null) busy.add(laneKey(row.name, row.singleton_key));
  return busy;
}
