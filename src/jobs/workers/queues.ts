import type { JobKind } from '../../store/jobs.js';

/**
 * The workers' two pg-boss queues: `sync` (data: connection and mode) and `rotate` (data: connection).
 * Both use pg-boss's `stately` policy keyed by connection name: at most one job of a connection
 * queued and one active per queue, so two workers never rotate (or sync) one connection at once; the
 * rotation and sync leases guard the same inside the store, for every other process as well.
 */
export const QUEUES = ['sync', 'rotate'] as const;
export type QueueName = (typeof QUEUES)[number];

export type SyncMode = 'incremental' | 'full';

export interface SyncJobData {
  connection: string;
  mode: SyncMode;
}

export interface RotateJobData {
  connection: string;
}

export type QueueJobData = SyncJobData | RotateJobData;

/** The queue that carries a scheduled job kind: the incremental sync and the full reconcile share one. */
export function queueOf(kind: JobKind): QueueName {
  return kind === 'rotate' ? 'rotate' : 'sync';
}

/** The lanes the dispatcher fills: per connection, one queued-or-running job per queue at most. */
export const LANES: readonly { queue: QueueName; kinds: readonly JobKind[] }[] = [
  { queue: 'rotate', kinds: ['rotate'] },
  { queue: 'sync', kinds: ['reconcile', 'sync'] },
];

export function jobData(kind: JobKind, connection: string): QueueJobData {
  if (kind === 'rotate') return { connection };
  return { connection, mode: kind === 'reconcile' ? 'full' : 'incremental' };
}

/** The scheduled job kind a queue job runs, read back from its data (anything else is refused). */
export function kindOf(queue: string, data: unknown): { kind: JobKind; connection: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { connection, mode } = data as { connection?: unknown; mode?: unknown };
  if (typeof connection !== 'string' || connection === '') return undefined;
  if (queue === 'rotate') return { kind: 'rotate', connection };
  if (queue !== 'sync') return undefined;
  if (mode === 'full') return { kind: 'reconcile', connection };
  if (mode === 'incremental') return { kind: 'sync', connection };
  return undefined;
}

/** A pg-boss job id: a UUID as PostgreSQL writes it (8-4-4-4-12 hex digits). */
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
