import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { isProblem, Problem } from '../../common/problem.js';
import { redactTokens } from '../../common/redact.js';
import type { JobKind } from '../../store/jobs.js';
import { type DatabaseTarget, parseDatabaseUrl } from '../../store/postgres/databaseUrl.js';
import { unreachableProblem } from '../../store/postgres/unreachable.js';
import { bossConnection, RETRY } from './bossConfig.js';
import { LaneSender } from './laneSender.js';
import { QueueErrorLog } from './queueErrors.js';
import { JOB_ID, kindOf, type QueueName } from './queues.js';
import { type RequestedJob, requestData, requestOf } from './requestedJob.js';
import type { RequestedResult } from './runRequested.js';
import { startBoss } from './startBoss.js';

/** One queue job as the API shows it (`GET /v1/queue/:queue/:id`). */
export interface QueuedJob {
  id: string;
  queue: QueueName;
  connection: string;
  job: JobKind;
  /** Who asked through the API; null for a job of the schedule. */
  actor: string | null;
  /** pg-boss's state: created (queued), retry, active, completed, failed, cancelled. */
  state: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  retries: number;
  /** A requested job's result once completed; `{message}` once failed; else null. */
  result: RequestedResult | { message: string } | null;
}

/** What a lane that cannot take the job now answers with, and what it names the job. */
const pendingCode = (job: RequestedJob) => (job.queue === 'sync' ? 'sync_pending' : 'rotation_pending');
const noun = (job: RequestedJob) => (job.queue === 'sync' ? 'sync' : 'rotation');

const pending = (job: RequestedJob, id: string, state: string) =>
  new Problem({
    code: pendingCode(job),
    kind: 'conflict',
    message: `A ${noun(job)} of "${job.connection}" is already ${state === 'active' ? 'running' : 'queued'} for the workers (job ${id}).`,
    fix: 'Wait for that job to end (its state is in the job queue), then ask again.',
    details: { connection: job.connection, queue: job.queue, jobId: id, state },
  });

/** Another process held the lane's lock past the sender's wait: it is queueing into the lane itself. */
const laneBusy = (job: RequestedJob) =>
  new Problem({
    code: pendingCode(job),
    kind: 'conflict',
    message: `Another process is queueing a ${noun(job)} of "${job.connection}" for the workers right now.`,
    fix: 'Ask again in a few seconds; the job queue then shows that job, or queues yours.',
    details: { connection: job.connection, queue: job.queue },
  });

const iso = (value: Date | string | null | undefined) =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/**
 * The job queue as `serve --no-scheduler` uses it on PostgreSQL: it queues what the API asks to run
 * now for the workers to run, and reads back how a queued job went. It runs no job and no pg-boss
 * maintenance (the workers do both).
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly lanes: LaneSender,
    private readonly target: DatabaseTarget,
  ) {}

  /** Connects pg-boss (installing its schema on first use) and makes sure both queues exist. */
  static async open(
    url: string,
    applicationName: string,
    jobTimeoutMs: number,
    log: Logger,
  ): Promise<JobQueue> {
    const connection = bossConnection(url, applicationName);
    const boss = new PgBoss({
      connectionString: connection.connectionString,
      schema: connection.schema,
      application_name: connection.applicationName,
      max: 2,
      schedule: false,
      supervise: false,
      // The worker that takes the job gives it up after this long (pg-boss expiry, the workers' --job-timeout).
      expireInSeconds: Math.max(1, Math.round(jobTimeoutMs / 1000)),
      ...RETRY,
    });
    const target = parseDatabaseUrl(url);
    // pg-boss's pool reports a lost session as an event; the request that meets it answers for itself.
    const errors = new QueueErrorLog(log, target.password);
    const report = (error: unknown) => errors.report(error);
    boss.on('error', report);
    await startBoss(boss, url, connection.schema);
    return new JobQueue(boss, new LaneSender(boss, connection, report), target);
  }

  /**
   * Queues a requested job in its connection's lane. A lane holds one live job at a time (queues.ts),
   * so a lane with a job queued, retrying or running refuses with `sync_pending` / `rotation_pending`
   * naming that job, as serve refuses a second sync of a connection with `sync_running`. The look and
   * the send are one step (laneSender.ts): of requests arriving together, one is queued.
   */
  send(job: RequestedJob): Promise<QueuedJob> {
    return this.#reaching(() => this.#send(job));
  }

  async #send(job: RequestedJob): Promise<QueuedJob> {
    const sent = await this.lanes.send(job.queue, job.connection, requestData(job));
    if ('busy' in sent) throw laneBusy(job);
    if (!sent.sent) throw pending(job, sent.live.id, sent.live.state);
    const queued = await this.#get(job.queue, sent.id);
    if (!queued) throw new Error(`queue job ${sent.id} vanished after it was sent`);
    return queued;
  }

  /** A job of either queue by id (kept for pg-boss's retention, then archived), or undefined. */
  get(queue: QueueName, id: string): Promise<QueuedJob | undefined> {
    return this.#reaching(() => this.#get(queue, id));
  }

  /**
   * Runs a call on pg-boss's own pool: PostgreSQL out of reach (or refusing the login) is the store's
   * `database_unreachable` (503), as any request that needs the database answers then, not a bug.
   */
  async #reaching<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isProblem(error)) throw error;
      throw unreachableProblem(error, this.target);
    }
  }

  async #get(queue: QueueName, id: string): Promise<QueuedJob | undefined> {
    // PostgreSQL refuses anything but a UUID in pg-boss's uuid column (an error, not a miss).
    if (!JOB_ID.test(id)) return undefined;
    const job = await this.boss.getJobById<unknown>(queue, id, { includeArchive: true });
    if (!job) return undefined;
    const kind = kindOf(queue, job.data);
    if (!kind) return undefined;
    const requested = requestOf(queue, job.data);
    return {
      id: job.id,
      queue,
      connection: kind.connection,
      job: kind.kind,
      actor: requested?.actor ?? null,
      state: job.state,
      createdAt: iso(job.createdOn) ?? '',
      startedAt: iso(job.startedOn),
      completedAt: iso(job.completedOn),
      retries: job.retryCount,
      result: resultOf(job.state, job.output),
    };
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => undefined);
    await this.lanes.close();
  }
}

/** What a finished job left: our own result when completed; only the message (no stack) when failed. */
function resultOf(state: string, output: unknown): QueuedJob['result'] {
  if (typeof output !== 'object' || output === null) return null;
  if (state === 'completed') return output as RequestedResult;
  if (state !== 'failed' && state !== 'retry') return null;
  const message = (output as { message?: unknown; value?: { message?: unknown } }).message;
  const text = typeof message === 'string' ? message : 'the job failed';
  return { message: redactTokens(text).slice(0, 500) };
}
