import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { holderIsDead } from '../../store/leaseOwner.js';
import type { Store } from '../../store/store.js';
import type { StoredSchedule } from '../storedSchedule.js';
import type { DbClock } from './dbClock.js';
import type { LaneSender } from './laneSender.js';
import { busyLanes, laneKey } from './lanes.js';
import { failOrphans } from './orphans.js';
import { jobData, LANES } from './queues.js';

/** One worker at a time fills the queues: it holds this lease, renewed at every tick. */
export const DISPATCH_LEASE = 'jobs:dispatch';

export interface DispatcherOptions {
  store: Store;
  boss: PgBoss;
  bossSchema: string;
  /** Sends each job with the look at its lane in one step, as the API's requests do (laneSender.ts). */
  lanes: LaneSender;
  schedule: StoredSchedule;
  clock: DbClock;
  owner: string;
  /** The dispatch lease lasts this long past the last tick (a few ticks). */
  leaseTtlMs: number;
  log: Logger;
  /** Sync jobs that looked orphaned at the previous tick (orphans.ts). */
  suspects: Set<string>;
}

/**
 * Turns the stored schedule into queue jobs. Every worker ticks; the one holding the dispatch lease
 * sends, per connection and lane (rotate; sync or reconcile), the first due job, unless that lane
 * already has a job queued, waiting to retry or running in pg-boss (read for every lane at once, then
 * again for the lane under its lock as the job is sent, laneSender.ts). Because the lane stays busy until
 * the job ends, and the job records its next run (runJob.ts) before it ends, a job is never queued
 * twice. First it hands on the sync jobs whose worker is gone (orphans.ts). Returns how many jobs it
 * sent (0 when another worker dispatches).
 */
export async function dispatch(options: DispatcherOptions): Promise<number> {
  const { store, boss, owner } = options;
  await options.clock.measure();
  const nowMs = options.clock.now().getTime();
  if (!(await takeLease(store, owner, options.leaseTtlMs))) return 0;
  await failOrphans({ ...options, nowMs });
  const busy = await busyLanes(boss, options.bossSchema);
  let sent = 0;
  for (const connection of await store.connections.list()) {
    for (const lane of LANES) {
      if (busy.has(laneKey(lane.queue, connection.name))) continue;
      const record = await options.schedule.dueJob(connection.name, nowMs, lane.kinds);
      if (!record) continue;
      const queued = await options.lanes.send(
        lane.queue,
        connection.name,
        jobData(record.job, connection.name),
      );
      if (queued.sent) {
        sent++;
        options.log.debug(
          { queueJob: queued.id, connection: connection.name, job: record.job },
          'job queued',
        );
      }
    }
  }
  return sent;
}

/** The dispatch lease: free, expired, ours already (renewed), or held by a process of this machine that is gone. */
async function takeLease(store: Store, owner: string, ttlMs: number): Promise<boolean> {
  if (await store.leases.acquire(DISPATCH_LEASE, owner, ttlMs, Date.now())) return true;
  const holder = await store.leases.get(DISPATCH_LEASE);
  if (!holder || !holderIsDead(holder.owner)) return false;
  await store.leases.release(DISPATCH_LEASE, holder.owner);
  return store.leases.acquire(DISPATCH_LEASE, owner, ttlMs, Date.now());
}
