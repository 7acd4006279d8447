import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { holderIsDead } from '../../store/leaseOwner.js';
import type { Store } from '../../store/store.js';
import { jobsLease } from '../jobsLease.js';

/** A sync job active this long may be judged: its handler has had time to take the jobs lease. */
export const ORPHAN_GRACE_MS = 10_000;

export interface OrphanOptions {
  boss: PgBoss;
  bossSchema: string;
  store: Store;
  /** The database's time (leases expire on the database's clock, docs/store.md). */
  nowMs: number;
  /** Sync jobs found orphaned at the previous look, by queue job id (kept by the dispatching worker). */
  suspects: Set<string>;
  log: Logger;
}

/**
 * Hands on the sync jobs whose worker is gone, long before pg-boss's expiry (`--job-timeout`) would:
 * a handler holds its connection's jobs lease from its first step to its last, renewing it every
 * 20 s (jobsLease.ts), so an active sync job whose connection has no live jobs lease (none, expired
 * on the database's clock, or held by a process of this machine that is gone) has lost its worker.
 * Seen so at two looks in a row (not the moment between a handler's release and pg-boss marking the
 * job complete), it is failed, and pg-boss retries it on any worker; the retry waits for the dead
 * run's sync lease and resumes from its last committed page. Rotations are left to the expiry.
 * Returns how many jobs it handed on.
 */
export async function failOrphans(options: OrphanOptions): Promise<number> {
  const { boss, store, suspects, nowMs } = options;
  const { rows } = await boss.getDb().executeSql(
    `SELECT id::text AS id, singleton_key AS connection,
            (extract(epoch FROM started_on) * 1000)::float8 AS started
       FROM "${options.bossSchema}".job WHERE name = 'sync' AND state = 'active'`,
    [],
  );
  const orphans = new Set<string>();
  let failed = 0;
  for (const job of rows as { id: string; connection: string | null; started: number }[]) {
    if (job.connection === null || Number(job.started) > nowMs - ORPHAN_GRACE_MS) continue;
    const lease = await store.leases.get(jobsLease(job.connection));
    if (lease && lease.expiresAt > nowMs && !holderIsDead(lease.owner)) continue;
    if (!suspects.has(job.id)) {
      orphans.add(job.id);
      continue;
    }
    await boss.fail('sync', job.id, { message: 'its worker is gone (no live jobs lease)' });
    options.log.warn({ queueJob: job.id, connection: job.connection }, 'job handed on: its worker is gone');
    failed++;
  }
  suspects.clear();
  for (const id of orphans) suspects.add(id);
  return failed;
}
