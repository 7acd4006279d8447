import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { JobKind } from '../../store/jobs.js';
import { newOwner } from '../../store/leaseOwner.js';
import { parseDatabaseUrl } from '../../store/postgres/databaseUrl.js';
import type { JobEnv } from '../jobs.js';
import type { JobRunContext } from '../runJob.js';
import type { JobView, Scheduler } from '../scheduler.js';
import { StoredSchedule } from '../storedSchedule.js';
import { bossConnection, RETRY } from './bossConfig.js';
import { DbClock } from './dbClock.js';
import { DISPATCH_LEASE, dispatch } from './dispatcher.js';
import { handleQueueJob } from './handleQueueJob.js';
import { LaneSender } from './laneSender.js';
import { QueueErrorLog } from './queueErrors.js';
import { QUEUES, type QueueName } from './queues.js';
import { requestOf } from './requestedJob.js';
import { type RequestedResult, runRequested } from './runRequested.js';
import { startBoss } from './startBoss.js';
import { WorkerSchedule } from './workerSchedule.js';

export interface PgBossSchedulerOptions {
  /** The store's PostgreSQL URL (its `?schema=` also places pg-boss's schema). */
  url: string;
  env: JobEnv;
  log: Logger;
  defaults: Record<JobKind, number>;
  /** How often this worker looks for due jobs (one worker at a time sends them). */
  tickMs: number;
  /** Sync jobs this worker runs at once (rotations: one more poller of their own). */
  concurrency: number;
  /** A job running longer than this is failed by pg-boss and retried by another worker (pg-boss expiry). */
  jobTimeoutMs: number;
  only?: readonly JobKind[];
  /** Names this worker's PostgreSQL sessions (pg_stat_activity) unless the URL names them. */
  applicationName: string;
}

/** How often an idle poller asks pg-boss for a job. */
const POLL_SECONDS = 1;

/**
 * The distributed scheduler of `tanium-bridge worker` (docs/scale.md): the stored schedule is turned
 * into pg-boss jobs by whichever worker holds the dispatch lease, and every worker polls the queues,
 * `concurrency` sync jobs and one rotation at a time. pg-boss's expiry hands the job of a killed
 * worker to another; the sync resumes from its last committed page and a rotation from its recorded
 * phase, because both keep their state in the store, not in the job.
 */
export class PgBossScheduler implements Scheduler {
  readonly #owner = newOwner();
  readonly #boss: PgBoss;
  readonly #bossSchema: string;
  readonly #clock: DbClock;
  readonly #schedule: StoredSchedule;
  readonly #view: WorkerSchedule;
  readonly #handlers = new Set<Promise<unknown>>();
  readonly #errors: QueueErrorLog;
  readonly #lanes: LaneSender;
  readonly #suspects = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #stopping = false;

  private constructor(private readonly options: PgBossSchedulerOptions) {
    const connection = bossConnection(options.url, options.applicationName);
    this.#bossSchema = connection.schema;
    this.#errors = new QueueErrorLog(options.log, parseDatabaseUrl(options.url).password);
    const timeoutSeconds = Math.max(1, Math.round(options.jobTimeoutMs / 1000));
    this.#boss = new PgBoss({
      connectionString: connection.connectionString,
      schema: connection.schema,
      application_name: connection.applicationName,
      max: options.concurrency + 3,
      schedule: false,
      supervise: true,
      // Expiry is checked at maintenance: often enough that a dead worker's job waits about its timeout.
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(timeoutSeconds / 3))),
      expireInSeconds: timeoutSeconds,
      ...RETRY,
    });
    this.#boss.on('error', (error) => this.#logError(error));
    this.#lanes = new LaneSender(this.#boss, connection, (error) => this.#logError(error));
    this.#clock = new DbClock(this.#boss.getDb());
    this.#schedule = new StoredSchedule(options.env.ctx.store, options.defaults, options.only);
    this.#view = new WorkerSchedule(options.env.ctx.store, options.defaults, options.only);
  }

  /** Connects pg-boss (installing its schema on first use) and makes sure both queues exist. */
  static async open(options: PgBossSchedulerOptions): Promise<PgBossScheduler> {
    const scheduler = new PgBossScheduler(options);
    await startBoss(scheduler.#boss, options.url, scheduler.#bossSchema);
    return scheduler;
  }

  get bossSchema(): string {
    return this.#bossSchema;
  }

  start(): void {
    const work = async () => {
      const pollers = (queue: QueueName, count: number) =>
        Array.from({ length: count }, () =>
          this.#boss.work(queue, { batchSize: 1, pollingIntervalSeconds: POLL_SECONDS }, (jobs) =>
            this.#handle(queue, jobs),
          ),
        );
      const runs = (kind: JobKind) => this.options.only === undefined || this.options.only.includes(kind);
      await Promise.all([
        ...(runs('sync') || runs('reconcile') ? pollers('sync', this.options.concurrency) : []),
        ...(runs('rotate') ? pollers('rotate', 1) : []),
      ]);
    };
    work().catch((error: unknown) => this.#logError(error));
    const tick = () => {
      this.#tick = this.#dispatchOnce().finally(() => {
        this.#tick = undefined;
        if (!this.#stopping) this.#timer = setTimeout(tick, this.options.tickMs);
      });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /**
   * Stops polling and dispatching, interrupts running syncs at their next page boundary (each records
   * `interrupted` and is due again at once, for any worker), waits for the jobs in hand to end, gives
   * the dispatch lease up and closes pg-boss.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#tick;
    await Promise.allSettled(QUEUES.map((queue) => this.#boss.offWork(queue)));
    await this.options.env.syncs.stopAll();
    await Promise.allSettled([...this.#handlers]);
    await this.options.env.ctx.store.leases.release(DISPATCH_LEASE, this.#owner).catch(() => undefined);
    await this.#boss.stop({ graceful: true, wait: true, timeout: 2_000 }).catch(() => undefined);
    await this.#lanes.close();
  }

  list(): Promise<JobView[]> {
    return this.#view.list();
  }

  setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void> {
    return this.#view.setEvery(connection, job, everyMs);
  }

  async #dispatchOnce(): Promise<void> {
    try {
      await dispatch({
        store: this.options.env.ctx.store,
        boss: this.#boss,
        bossSchema: this.#bossSchema,
        lanes: this.#lanes,
        schedule: this.#schedule,
        clock: this.#clock,
        owner: this.#owner,
        leaseTtlMs: Math.max(30_000, 3 * this.options.tickMs),
        log: this.options.log,
        suspects: this.#suspects,
      });
    } catch (error) {
      this.#logError(error);
    }
  }

  /** Runs the jobs pg-boss handed over (one: batchSize 1); what it returns is the job's output. */
  async #handle(queue: QueueName, jobs: PgBoss.Job<unknown>[]): Promise<RequestedResult | undefined> {
    const run = (async () => {
      let output: RequestedResult | undefined;
      for (const job of jobs) output = await this.#handleOne(queue, job);
      return output;
    })();
    this.#handlers.add(run);
    try {
      return await run;
    } finally {
      this.#handlers.delete(run);
    }
  }

  async #handleOne(queue: QueueName, job: PgBoss.Job<unknown>): Promise<RequestedResult | undefined> {
    const context: JobRunContext = {
      env: this.options.env,
      log: this.options.log,
      defaults: this.options.defaults,
      now: () => this.#clock.now(),
      stopping: () => this.#stopping,
      logFields: { queue, queueJob: job.id },
    };
    const requested = requestOf(queue, job.data);
    if (requested) return runRequested(context, requested);
    await handleQueueJob(context, queue, job.data);
    return undefined;
  }

  /** pg-boss reports polling and maintenance failures as events: one line each, repeats muted a while. */
  #logError(error: unknown): void {
    this.#errors.report(error);
  }
}
