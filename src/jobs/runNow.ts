import type { ConnectionContext } from '../connections/connections.js';
import { type RotateReport, rotateConnection } from '../rotation/service.js';
import type { ActiveSync, ActiveSyncs } from '../sync/activeSyncs.js';
import type { JobQueue, QueuedJob } from './workers/jobQueue.js';

export interface SyncNowRequest {
  streams?: string[];
  full: boolean;
}

export interface RotateNowRequest {
  method?: 'rest' | 'graphql';
  ifDue: boolean;
}

/** Where a job asked for now went: run by this process, or queued for the workers. */
export type SyncNow = { where: 'here'; sync: ActiveSync } | { where: 'queued'; job: QueuedJob };
export type RotateNow = { where: 'here'; report: RotateReport } | { where: 'queued'; job: QueuedJob };

/**
 * Runs a sync or a rotation asked for now (the API's `POST …/sync` and `POST …/rotate`). serve with
 * its scheduler, or on SQLite, runs them itself; serve with `--no-scheduler` on PostgreSQL queues them
 * for the workers (docs/scale.md), so that every job runs where the jobs run.
 */
export interface RunNow {
  sync(connection: string, request: SyncNowRequest, actor: string): Promise<SyncNow>;
  rotate(connection: string, request: RotateNowRequest, actor: string): Promise<RotateNow>;
}

/** In this process: the sync in the background (followed by its event stream), the rotation awaited. */
export function runHere(ctx: ConnectionContext, syncs: ActiveSyncs): RunNow {
  return {
    async sync(connection, request, actor) {
      return { where: 'here', sync: await syncs.start(connection, request, actor) };
    },
    async rotate(connection, request) {
      return { where: 'here', report: await rotateConnection(ctx, connection, request) };
    },
  };
}

/** On the workers: queued on the queue they take scheduled jobs from, in the connection's lane. */
export function runOnWorkers(queue: JobQueue): RunNow {
  return {
    async sync(connection, request, actor) {
      return { where: 'queued', job: await queue.send({ queue: 'sync', connection, actor, ...request }) };
    },
    async rotate(connection, request, actor) {
      return { where: 'queued', job: await queue.send({ queue: 'rotate', connection, actor, ...request }) };
    },
  };
}
