import { setTimeout as sleep } from 'node:timers/promises';
import type { Store, StoreTx } from '../store/store.js';
import type { SyncSettings } from '../store/sync.js';
import type { StreamName } from '../streams/stream.js';
import { HeldLease, holderIsDead, newOwner, syncLeaseKey } from './lease.js';
import { type PassPlan, planPass } from './plan.js';
import { stoppedIncrementals } from './stoppedIncrementals.js';
import { holderOf, type SyncHolder, SyncRunningError } from './syncStatus.js';

export const INTERRUPTED_REASON = 'the process running it stopped (or lost its lease) before it finished';

export interface StartRequest {
  store: Store;
  connection: string;
  streams: readonly StreamName[];
  settings: SyncSettings;
  full: boolean;
  /** The page size a new pass records (the first page's). */
  pageSize: (plan: PassPlan) => number;
  /** The disjoint collections a new pass is read as (parallel cursors; 1: one). */
  partitions: (plan: PassPlan) => number;
  now: () => string;
  ttlMs: number;
}

/** A run that holds the connection's lease, with its pass planned and begun. */
export interface StartedRun {
  runId: number;
  lease: HeldLease;
  plan: PassPlan;
  generation: number;
  /** The disjoint collections the pass is read as: a resumed pass's own split, else the new one's. */
  partitions: number;
  /** Runs left `running` by dead processes, marked interrupted by this start. */
  interrupted: number[];
}

type Attempt = { kind: 'started'; run: StartedRun } | { kind: 'held'; holder: SyncHolder };

/**
 * Takes the lease, marks runs left by dead processes interrupted, plans the pass from the checkpoints,
 * records the run and begins (or resumes) the pass, all in one write transaction: two syncs that start
 * in the same instant cannot both plan, and the second sees the first as the lease's holder. A holder on
 * this machine whose process is gone is taken over at once; others only once their lease has expired.
 */
async function attempt(request: StartRequest, owner: string): Promise<Attempt> {
  const { store, connection } = request;
  const key = syncLeaseKey(connection);
  return store.transaction(async (tx): Promise<Attempt> => {
    const nowMs = Date.now();
    if (!(await tx.leases.acquire(key, owner, request.ttlMs, nowMs))) {
      const lease = await tx.leases.get(key);
      const dead = lease !== undefined && holderIsDead(lease.owner);
      if (lease && !dead) return { kind: 'held', holder: await holderOf(tx, connection, lease) };
      if (lease) await tx.leases.release(key, lease.owner);
      if (!(await tx.leases.acquire(key, owner, request.ttlMs, nowMs)))
        throw new Error(`the lease ${key} could not be taken over`);
    }
    return { kind: 'started', run: await planAndBegin(tx, request, owner) };
  });
}

async function planAndBegin(tx: StoreTx, request: StartRequest, owner: string): Promise<StartedRun> {
  const { connection, streams } = request;
  const now = request.now();
  const interrupted = await tx.sync.interruptRuns(connection, INTERRUPTED_REASON, now);
  const checkpoints = await tx.sync.checkpoints(connection);
  const stopped = await stoppedIncrementals(tx, connection, streams);
  const plan = planPass(checkpoints, streams, request.settings, request.full, stopped);
  const runId = await tx.sync.startRun(connection, plan.mode, streams, now, owner);
  const partitions = plan.resume?.partitions ?? request.partitions(plan);
  const generation =
    plan.resume?.generation ??
    (await tx.sync.beginPass(
      connection,
      streams,
      { mode: plan.mode, since: plan.since, runId, pageSize: request.pageSize(plan), partitions },
      now,
    ));
  const lease = new HeldLease(request.store, syncLeaseKey(connection), owner, request.ttlMs, runId);
  return { runId, lease, plan, generation, partitions, interrupted };
}

/**
 * Starts a run, or throws SyncRunningError naming who holds the lease. With `waitMs`, keeps trying
 * until the holder finishes (or its lease expires) or the time is up; `onWait` hears of the holder once.
 */
export async function startRun(
  request: StartRequest,
  waitMs = 0,
  onWait?: (holder: SyncHolder) => void,
): Promise<StartedRun> {
  const owner = newOwner();
  const started = Date.now();
  let told = false;
  for (;;) {
    const result = await attempt(request, owner);
    if (result.kind === 'started') {
      result.run.lease.startRenewing();
      return result.run;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new SyncRunningError(result.holder, waitMs > 0 ? waited : 0);
    if (!told) onWait?.(result.holder);
    told = true;
    await sleep(Math.min(1_000, Math.max(50, waitMs - waited)));
  }
}
