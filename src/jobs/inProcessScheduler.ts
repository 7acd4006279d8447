import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { redactTokens } from '../common/redact.js';
import { JOB_KINDS, type JobKind, type JobRecord, newJob } from '../store/jobs.js';
import { newOwner } from '../store/leaseOwner.js';
import { JOBS, type JobEnv } from './jobs.js';
import { nextRunAt } from './nextRun.js';
import type { JobView, Scheduler } from './scheduler.js';

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

/** While a process runs a connection's jobs it holds `jobs:<connection>`, renewed a third of the way. */
const LEASE_TTL_MS = 60_000;
/** Order of preference when several jobs are due: a full pass makes the incremental one redundant. */
const ORDER: readonly JobKind[] = ['rotate', 'reconcile', 'sync'];

export const jobsLease = (connection: string) => `jobs:${connection}`;

/** A stopped run: the sync was interrupted at a page boundary and resumes at the next start. */
function isInterruption(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || /interrupted|aborted/i.test(error.message))
  );
}

/**
 * The scheduler inside `serve`: every tick, each connection whose job is due gets one task that runs
 * its due jobs one after another under the connection's jobs lease, so the jobs of one connection
 * never overlap, in this process or any other sharing the store.
 */
export class InProcessScheduler implements Scheduler {
  readonly #owner = newOwner();
  readonly #busy = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(private readonly options: InProcessSchedulerOptions) {}

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

  async list(): Promise<JobView[]> {
    const { store } = this.options.env.ctx;
    const now = this.options.now().getTime();
    const views: JobView[] = [];
    for (const connection of await store.connections.list()) {
      const lease = await store.leases.get(jobsLease(connection.name));
      const running = this.#busy.has(connection.name) || (lease !== undefined && lease.expiresAt > now);
      for (const kind of JOB_KINDS) {
        if (this.options.only && !this.options.only.includes(kind)) continue;
        const record = (await store.jobs.get(connection.name, kind)) ?? newJob(connection.name, kind);
        views.push({
          ...record,
          effectiveEveryMs: record.everyMs ?? this.options.defaults[kind],
          running: running && record.lastStartedAt !== null && record.lastFinishedAt === null,
        });
      }
    }
    return views;
  }

  async setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void> {
    const { store } = this.options.env.ctx;
    const record = (await store.jobs.get(connection, job)) ?? newJob(connection, job);
    await store.jobs.put({ ...record, everyMs });
  }

  #everyOf(record: JobRecord): number {
    return record.everyMs ?? this.options.defaults[record.job];
  }

  async #dueJob(connection: string): Promise<JobRecord | undefined> {
    const { store } = this.options.env.ctx;
    const now = this.options.now().getTime();
    for (const kind of ORDER) {
      if (this.options.only && !this.options.only.includes(kind)) continue;
      const record = (await store.jobs.get(connection, kind)) ?? newJob(connection, kind);
      if (record.nextRunAt === null || record.nextRunAt <= now) return record;
    }
    return undefined;
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
    const { store } = this.options.env.ctx;
    const key = jobsLease(connection);
    if (!(await store.leases.acquire(key, this.#owner, LEASE_TTL_MS, Date.now()))) return;
    const renew = setInterval(() => {
      store.leases.acquire(key, this.#owner, LEASE_TTL_MS, Date.now()).catch(() => undefined);
    }, LEASE_TTL_MS / 3);
    try {
      for (
        let record = await this.#dueJob(connection);
        record && !this.#stopping;
        record = await this.#dueJob(connection)
      )
        await this.#runJob(record);
    } finally {
      clearInterval(renew);
      await store.leases.release(key, this.#owner).catch(() => undefined);
    }
  }

  async #runJob(record: JobRecord): Promise<void> {
    const { env, log, now } = this.options;
    const { store } = env.ctx;
    const started = now();
    const jobId = randomUUID();
    await store.jobs.put({ ...record, lastStartedAt: started.toISOString(), lastFinishedAt: null });
    log.info({ jobId, connection: record.connection, job: record.job }, 'job started');
    let result: 'ok' | 'failed' | 'interrupted';
    let outcome: string;
    let error: string | null = null;
    try {
      const ran = await JOBS[record.job].run(env, record.connection);
      result = ran.failed ? 'failed' : 'ok';
      outcome = ran.outcome;
      error = ran.error;
    } catch (thrown) {
      result = this.#stopping && isInterruption(thrown) ? 'interrupted' : 'failed';
      outcome = result;
      error = redactTokens(thrown instanceof Error ? thrown.message : String(thrown)).slice(0, 500);
    }
    const finished = now();
    const failures = result === 'failed' ? record.failures + 1 : 0;
    const every = this.#everyOf(record);
    const next = nextRunAt(result, started.getTime(), finished.getTime(), every, failures);
    await store.jobs.put({
      ...record,
      lastStartedAt: started.toISOString(),
      lastFinishedAt: finished.toISOString(),
      lastOutcome: outcome,
      lastError: error,
      failures,
      nextRunAt: next,
    });
    if (record.job === 'reconcile' && result === 'ok')
      await this.#postpone(record.connection, 'sync', finished);
    const line = {
      jobId,
      connection: record.connection,
      job: record.job,
      outcome,
      error,
      nextRunAt: new Date(next).toISOString(),
    };
    if (result === 'failed') log.warn(line, 'job failed');
    else log.info(line, 'job finished');
    this.options.onRun?.(record.connection, record.job, outcome);
  }

  /** A full pass has just read everything: the incremental pass waits a full interval. */
  async #postpone(connection: string, job: JobKind, from: Date): Promise<void> {
    const { store } = this.options.env.ctx;
    const record = (await store.jobs.get(connection, job)) ?? newJob(connection, job);
    await store.jobs.put({ ...record, nextRunAt: from.getTime() + this.#everyOf(record) });
  }
}
