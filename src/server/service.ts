import type { Logger } from 'pino';
import type { ConnectionContext } from '../connections/connections.js';
import { InProcessScheduler } from '../jobs/inProcessScheduler.js';
import { runHere, runOnWorkers } from '../jobs/runNow.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { JobQueue } from '../jobs/workers/jobQueue.js';
import { WorkerSchedule } from '../jobs/workers/workerSchedule.js';
import type { JobKind } from '../store/jobs.js';
import { ActiveSyncs } from '../sync/activeSyncs.js';
import { buildServer } from './app.js';
import { DEFAULT_SERVER_SETTINGS, type ServerDeps, type ServerSettings } from './deps.js';
import { Metrics } from './metrics.js';

export interface ServiceOptions {
  ctx: ConnectionContext;
  log: Logger;
  host: string;
  port: number;
  /**
   * Run the scheduler in this process. False: workers run the jobs; on PostgreSQL the API still lists
   * them and sets their intervals (the workers read the same stored schedule).
   */
  scheduler: boolean;
  /** Which jobs the scheduler runs. */
  jobs: readonly JobKind[];
  every: Record<JobKind, number>;
  tickMs: number;
  settings?: Partial<ServerSettings>;
  /**
   * With `scheduler: false` on PostgreSQL: the store's URL, whose pg-boss queue the workers consume,
   * and the expiry of the jobs queued there (the workers' --job-timeout). A sync or rotation asked for
   * through the API is then queued for the workers instead of run here.
   */
  queue?: { url: string; jobTimeoutMs: number };
}

export interface RunningService {
  url: string;
  deps: ServerDeps;
  /** Stops accepting, interrupts syncs at their next page boundary, releases leases; idempotent. */
  close(): Promise<void>;
}

/** The service: the HTTP API and, unless turned off, the scheduler, on one store. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { ctx, log } = options;
  const now = () => ctx.now?.() ?? new Date();
  const syncs = new ActiveSyncs(ctx);
  const metrics = new Metrics(ctx, now);
  const scheduler: Scheduler | undefined = options.scheduler
    ? new InProcessScheduler({
        env: { ctx, syncs },
        log,
        defaults: options.every,
        tickMs: options.tickMs,
        now,
        onRun: (connection, job, outcome) => {
          metrics.jobRuns.inc({ connection, job, outcome });
          if (job === 'rotate') metrics.rotations.inc({ connection, outcome });
        },
        only: options.jobs,
      })
    : ctx.store.dialect === 'postgres'
      ? new WorkerSchedule(ctx.store, options.every, options.jobs)
      : undefined;
  const jobQueue =
    !options.scheduler && ctx.store.dialect === 'postgres' && options.queue
      ? await JobQueue.open(
          options.queue.url,
          `tanium-bridge serve ${process.pid}`,
          options.queue.jobTimeoutMs,
          log,
        )
      : undefined;
  const deps: ServerDeps = {
    ctx,
    log,
    now,
    metrics,
    settings: { ...DEFAULT_SERVER_SETTINGS, ...options.settings },
    syncs,
    scheduler,
    runNow: jobQueue ? runOnWorkers(jobQueue) : runHere(ctx, syncs),
    jobQueue,
  };
  let app: Awaited<ReturnType<typeof buildServer>>;
  try {
    app = await buildServer(deps);
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await jobQueue?.stop();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  scheduler?.start();
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    deps,
    close() {
      closing ??= (async () => {
        await Promise.allSettled([app.close(), scheduler?.stop(), syncs.stopAll()]);
        await jobQueue?.stop();
      })();
      return closing;
    },
  };
}
