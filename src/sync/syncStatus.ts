import type { Lease } from '../store/leases.js';
import type { Store, StoreTx } from '../store/store.js';
import type { SyncRunRecord } from '../store/sync.js';
import { ownerProcess, syncLeaseKey } from './lease.js';

/** Who is syncing a connection right now, and how far it got. */
export interface SyncHolder {
  connection: string;
  /** The lease owner, `host:pid:uuid`. */
  owner: string;
  host: string;
  pid: number | null;
  /** The run it is doing; null in the instant between taking the lease and starting the run. */
  runId: number | null;
  /** Pages committed by that run. */
  pages: number | null;
  startedAt: string | null;
  /** Its last page or lease renewal. */
  heartbeatAt: string | null;
  /** When the lease lapses unless renewed (then another sync may take over). */
  leaseExpiresAt: string;
}

export interface SyncStatus {
  connection: string;
  /** null when no sync of the connection holds the lease. */
  running: SyncHolder | null;
  /** The newest run recorded, whatever its status. */
  lastRun: SyncRunRecord | null;
}

/** The holder described by a lease and its run (read in one transaction, or from the store). */
export async function holderOf(
  repos: StoreTx | Store,
  connection: string,
  lease: Lease,
): Promise<SyncHolder> {
  const run = await repos.sync.runningRun(connection, lease.owner);
  const { host, pid } = ownerProcess(lease.owner);
  return {
    connection,
    owner: lease.owner,
    host,
    pid,
    runId: run?.id ?? null,
    pages: run?.pages ?? null,
    startedAt: run?.startedAt ?? null,
    heartbeatAt: run?.heartbeatAt ?? null,
    leaseExpiresAt: new Date(lease.expiresAt).toISOString(),
  };
}

/** For a service or the HTTP API: is a sync of `connection` running, who runs it, how far is it. */
export async function syncStatus(
  store: Store,
  connection: string,
  nowMs: number = Date.now(),
): Promise<SyncStatus> {
  const lease = await store.leases.get(syncLeaseKey(connection));
  const running = lease && lease.expiresAt > nowMs ? await holderOf(store, connection, lease) : null;
  const [lastRun] = await store.sync.runs(connection, 1);
  return { connection, running, lastRun: lastRun ?? null };
}

/** `a sync of "X" is running (run 12, page 40, pid 1234 on host H)` */
export function describeHolder(holder: SyncHolder): string {
  const parts = [
    holder.runId === null ? 'starting' : `run ${holder.runId}`,
    ...(holder.pages === null ? [] : [`page ${holder.pages}`]),
    `pid ${holder.pid ?? '?'} on host ${holder.host || '?'}`,
  ];
  return `a sync of "${holder.connection}" is running (${parts.join(', ')})`;
}

/** Another process holds the connection's sync lease: this run did nothing. */
export class SyncRunningError extends Error {
  override readonly name = 'SyncRunningError';
  readonly code = 'SYNC_RUNNING';
  readonly fix = 'Wait for it to finish, or try again later.';

  constructor(
    readonly holder: SyncHolder,
    readonly waitedMs: number,
  ) {
    const waited = waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)} s` : '';
    super(`${describeHolder(holder)}${waited}`);
  }
}
