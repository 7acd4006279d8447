import type { ConnectionContext } from '../connections/connections.js';
import { exitCodeOf, rotateIfDue } from '../rotation/service.js';
import type { JobKind } from '../store/jobs.js';
import type { ActiveSyncs } from '../sync/activeSyncs.js';

/** How a job run ended: `ok` or `failed` decide the backoff; the detail is shown in /v1/jobs. */
export interface JobResult {
  outcome: string;
  failed: boolean;
  error: string | null;
}

export interface JobEnv {
  ctx: ConnectionContext;
  syncs: ActiveSyncs;
  /**
   * How long a sync job waits for another holder of the connection's sync lease (default: not at
   * all). Workers wait out a dead worker's lease on another machine instead of failing the retry.
   */
  syncWaitMs?: number;
}

/** One kind of job: its default interval and what it does for one connection. */
export interface JobDefinition {
  kind: JobKind;
  description: string;
  defaultEveryMs: number;
  run(env: JobEnv, connection: string): Promise<JobResult>;
}

const HOUR = 3_600_000;

async function sync(env: JobEnv, connection: string, full: boolean): Promise<JobResult> {
  const wait = env.syncWaitMs === undefined ? {} : { waitMs: env.syncWaitMs };
  await env.syncs.start(connection, { full, ...wait }, 'scheduler');
  const summary = await env.syncs.finished(connection);
  if (summary) await summary;
  return { outcome: 'ok', failed: false, error: null };
}

/**
 * The job definitions, shared by every scheduler. Rotation runs hourly and rotates only when due by
 * the server's clock (docs/rotation.md); the incremental sync hourly; the full reconcile daily.
 */
export const JOBS: Record<JobKind, JobDefinition> = {
  rotate: {
    kind: 'rotate',
    description: 'rotate the token when due (server clock)',
    defaultEveryMs: HOUR,
    async run(env, connection) {
      const report = await rotateIfDue(env.ctx, connection);
      const failed = exitCodeOf(report.outcome) !== 0;
      return { outcome: report.outcome, failed, error: failed ? report.message : null };
    },
  },
  sync: {
    kind: 'sync',
    description: 'incremental sync of every stream',
    defaultEveryMs: HOUR,
    run: (env, connection) => sync(env, connection, false),
  },
  reconcile: {
    kind: 'reconcile',
    description: 'full sync: read every endpoint and remove what Tanium no longer has',
    defaultEveryMs: 24 * HOUR,
    run: (env, connection) => sync(env, connection, true),
  },
};
