import type { Logger } from 'pino';
import type { JobKind } from '../store/jobs.js';
import { newOwner } from '../store/leaseOwner.js';
import type { JobEnv } from './jobs.js';
import { jobsLease, withJobsLease } from './jobsLease.js';
import { type JobRunContext, runJob } from './runJob.js';
import type { JobView, Scheduler } from './scheduler.js';
import { StoredSchedule } from './storedSchedule.js';

export interface InProcessSchedulerOptions {
  env: JobEnv;
  log: Logger;
  /** Default interval per job kind (serve's --rotate-every, --sync-every, --full-every). */
  defaults: Record<JobKind, number>;
  /** How often to look for due jobs. */
  tickMs: number;
  now: () => Date;
  /** Called after every run (metrics). */
  onRun?: (connection: string, job: JobKind, outcome: string) => void;
  /** The jobs this scheduler runs (default: all). */
  only?: readonly JobKind[];
}

/**
 * The scheduler inside `serve`: every tick, each connection whose job is due gets one task that runs
 * its due jobs one after another under the connection's jobs lease, so the jobs of one connection
 * never overlap, in this process or any other sharing the store.
 */
export class InProcessScheduler implements Scheduler {
  readonly #owner = newOwner();
  readonly #busy = new Map<string, Promise<void>>();
  readonly #schedule: StoredSchedule;
  readonly #run: JobRunContext;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(private readonly options: InProcessSchedulerOptions) {
    this.#schedule = new StoredSchedule(options.env.ctx.store, options.defaults, options.only);
    this.#run = {
      env: options.env,
      log: options.log,
      defaults: options.defaults,
      now: options.now,
      stopping: () => this.#stopping,
      onRun: options.onRun,
    };
  }

  start(): void {
    const tick = () => {
      this.#tick()
        .catch((error: unknown) => this.options.log.error({ err: error }, 'scheduler tick failed'))
        .finally(() => {
          if (!this.#stopping) this.#timer = setTimeout(tick, this.options.tickMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.options.env.syncs.stopAll();
    await Promise.allSettled([...this.#busy.values()]);
  }

  list(): Promise<JobView[]> {
    const { store } = this.options.env.ctx;
    const now = this.options.now().getTime();
    return this.#schedule.list(async (record) => {
      const lease = await store.leases.get(jobsLease(record.connection));
      const running = this.#busy.has(record.connection) || (lease !== undefined && lease.expiresAt > now);
      return running && record.lastStartedAt !== null && record.lastFinishedAt === null;
    });
  }

  setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void> {
    return this.#schedule.setEvery(connection, job, everyMs);
  }

  #dueJob(connection: string) {
    return this.#schedule.dueJob(connection, this.options.now().getTime());
  }

  async #tick(): Promise<void> {
    const { store } = this.options.env.ctx;
    for (const connection of await store.connections.list()) {
      if (this.#stopping || this.#busy.has(connection.name)) continue;
      if (!(await this.#dueJob(connection.name))) continue;
      // A connection removed while its jobs run fails their writes: log it, never let it end the process.
      const task = this.#runConnection(connection.name)
        .catch((error: unknown) =>
          this.options.log.error({ err: error, connection: connection.name }, 'scheduled jobs failed'),
        )
        .finally(() => this.#busy.delete(connection.name));
      this.#busy.set(connection.name, task);
    }
  }

  /** Runs the connection's due jobs under its lease; another process holding it means skip this tick. */
  async #runConnection(connection: string): Promise<void> {
    await withJobsLease(this.options.env.ctx.store, connection, this.#owner, async () => {
      for (
        let record = await this.#dueJob(connection);
        record && !this.#stopping;
        record = await this.#dueJob(connection)
      )
        await runJob(this.#run, record);
    });
  }
}
