import type { Command } from 'commander';
import type { Logger } from 'pino';
import { parseDuration } from '../common/duration.js';
import { createLogger } from '../common/logger.js';
import { Problem } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import { UserError } from '../common/userError.js';
import { PgBossScheduler } from '../jobs/workers/pgBossScheduler.js';
import { JOB_KINDS, type JobKind } from '../store/jobs.js';
import { DB_ENV, resolveDb } from '../store/open.js';
import { isPostgresUrl } from '../store/postgres/databaseUrl.js';
import { redactUrl } from '../store/postgres/redactUrl.js';
import { ActiveSyncs } from '../sync/activeSyncs.js';
import { SYNC_LEASE_TTL_MS } from '../sync/lease.js';
import { withConnections } from './context.js';
import { EXIT_BUG } from './errors.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseJobs } from './parseJobs.js';

interface WorkerOptions {
  concurrency: string;
  jobs: string;
  syncEvery: string;
  fullEvery: string;
  rotateEvery: string;
  tick: string;
  jobTimeout: string;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** After a stop signal, a worker still running after this long exits anyway (pg-boss retries its job). */
const STOP_DEADLINE_MS = 9_000;

const needsPostgres = (given?: string) =>
  new Problem({
    code: 'worker_needs_postgres',
    kind: 'invalid',
    message:
      given === undefined
        ? 'The worker needs a PostgreSQL store, and no database URL was given.'
        : `The worker needs a PostgreSQL store, and ${redactUrl(given).slice(0, 120)} is not a PostgreSQL URL.`,
    fix: `Pass --db postgres://USER@HOST:5432/DATABASE (or set ${DB_ENV}); serve and every worker use the same database and master key.`,
  });

/** The PostgreSQL URL of the command line or the environment; anything else is the one refusal. */
function postgresUrl(global: GlobalOptions): string {
  const url = resolveDb(global.db);
  if (url === undefined || !isPostgresUrl(url)) throw needsPostgres(url);
  return url;
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 32)
    throw new UserError(`Invalid --concurrency "${text.slice(0, 20)}": use a whole number from 1 to 32.`);
  return n;
}

/**
 * `tanium-bridge worker --db postgres://…`: runs the scheduled jobs (rotate, sync, reconcile) of
 * every connection in the store, sharing them with any number of other workers through pg-boss
 * (docs/scale.md), until SIGTERM or SIGINT: then it stops taking jobs, lets the page being stored
 * commit, records the interrupted sync as due again and exits 0.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the scheduled jobs from PostgreSQL, sharing them with other workers (pg-boss)')
    .option('--concurrency <n>', 'sync jobs this worker runs at once (rotations have one slot more)', '2')
    .option('--jobs <list>', `jobs this worker runs: ${JOB_KINDS.join(',')}`, JOB_KINDS.join(','))
    .option('--sync-every <duration>', 'default interval of the incremental sync', '1h')
    .option('--full-every <duration>', 'default interval of the full reconcile', '24h')
    .option('--rotate-every <duration>', 'how often to rotate the token if it is due', '1h')
    .option('--tick <duration>', 'how often to look for due jobs', '15s')
    .option(
      '--job-timeout <duration>',
      'a job running longer is taken to be lost with its worker and retried elsewhere (pg-boss expiry)',
      '30m',
    )
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .action(async (options: WorkerOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const url = postgresUrl(global);
      const settings = parseSettings(options);
      const log = createLogger({ level: options.logLevel });
      await withConnections({ ...global, db: url }, async (ctx) => {
        const syncs = new ActiveSyncs(ctx);
        const scheduler = await PgBossScheduler.open({
          url,
          env: { ctx, syncs, syncWaitMs: SYNC_LEASE_TTL_MS },
          log,
          defaults: settings.defaults,
          tickMs: settings.tickMs,
          concurrency: settings.concurrency,
          jobTimeoutMs: settings.jobTimeoutMs,
          only: settings.jobs,
          applicationName: `tanium-bridge worker ${process.pid}`,
        });
        // Signals are handled from before the announcement on: a supervisor may stop it at once.
        const stopper = stopOnce(log, () => scheduler.stop());
        process.once('SIGINT', () => stopper.stop({ signal: 'SIGINT' }));
        process.once('SIGTERM', () => stopper.stop({ signal: 'SIGTERM' }));
        const onRejection = rejectionsOf(log, stopper);
        scheduler.start();
        announce(global, log, url, settings, scheduler.bossSchema);
        const failure = await stopper.stopped;
        process.off('unhandledRejection', onRejection);
        log.info('stopped');
        // A bug ends the worker as any command's bug ends it: one line, exit 70 (src/cli/errors.ts).
        if (failure !== undefined) throw failure;
      });
    });
}

interface WorkerSettings {
  concurrency: number;
  jobs: JobKind[];
  defaults: Record<JobKind, number>;
  tickMs: number;
  jobTimeoutMs: number;
}

/** The worker's flags, each refused with its own fix before anything connects. */
function parseSettings(options: WorkerOptions): WorkerSettings {
  if (!LOG_LEVELS.includes(options.logLevel))
    throw new UserError(`Invalid --log-level "${options.logLevel}": use one of ${LOG_LEVELS.join(', ')}.`);
  return {
    concurrency: parseConcurrency(options.concurrency),
    jobs: parseJobs(options.jobs),
    defaults: {
      sync: parseDuration(options.syncEvery),
      reconcile: parseDuration(options.fullEvery),
      rotate: parseDuration(options.rotateEvery),
    },
    tickMs: parseDuration(options.tick),
    jobTimeoutMs: parseDuration(options.jobTimeout),
  };
}

/** The first stdout line (JSON with --json) and the log's `worker started`, the URL's password masked. */
function announce(
  global: GlobalOptions,
  log: Logger,
  url: string,
  settings: WorkerSettings,
  queueSchema: string,
) {
  const shown = redactUrl(url);
  const facts = { db: shown, concurrency: settings.concurrency, jobs: settings.jobs };
  if (global.json) printJson({ pid: process.pid, ...facts });
  else
    process.stdout.write(
      `tanium-bridge worker ${process.pid} runs jobs from ${shown} (${settings.concurrency} syncs at a time). Stop with Ctrl+C.\n`,
    );
  log.info({ ...facts, queueSchema }, 'worker started');
}

/** A worker stops once: on a signal (exit 0), or on a bug (the error, rethrown by the command). */
interface Stopper {
  stop(cause: { signal: string } | { error: unknown }): void;
  /** Resolves once stopped, with the error of a bug, if that was the cause. */
  stopped: Promise<unknown>;
}

function stopOnce(log: Logger, stop: () => Promise<void>): Stopper {
  let done: (failure: unknown) => void = () => undefined;
  let stopping = false;
  const stopped = new Promise<unknown>((resolve) => {
    done = resolve;
  });
  return {
    stopped,
    stop(cause) {
      if (stopping) return;
      stopping = true;
      const failure = 'error' in cause ? cause.error : undefined;
      const shown = failure === undefined ? cause : { reason: 'unexpected error', error: messageOf(failure) };
      log.info(shown, 'stopping');
      const exitCode = failure === undefined ? 0 : EXIT_BUG;
      setTimeout(() => process.exit(exitCode), STOP_DEADLINE_MS).unref();
      stop().finally(() => done(failure));
    },
  };
}

const messageOf = (reason: unknown) =>
  redactTokens(reason instanceof Error ? reason.message : String(reason));

/**
 * pg-boss completes and fails jobs without awaiting the call (its worker's onFetch): while PostgreSQL
 * is unreachable such a call rejects with no one to catch it. Those rejections, recognised by the
 * frame of pg-boss's own complete or fail call in their stack (pg recaptures the stack of a failed
 * query where it was awaited), are logged as one line and the worker goes on, pg-boss's expiry
 * settling the job, instead of ending, which would restart it into the same outage. Any other
 * unhandled rejection is a bug, also one from our own job handler (whose stack holds pg-boss's worker
 * frames, since pg-boss calls it): the worker stops as on SIGTERM (its syncs interrupted at a page
 * boundary) and exits 70 with one line.
 */
function rejectionsOf(log: Logger, stopper: Stopper): (reason: unknown) => void {
  const listener = (reason: unknown) => {
    if (fromPgBoss(reason)) log.warn({ error: messageOf(reason) }, 'database call failed');
    else stopper.stop({ error: reason });
  };
  process.on('unhandledRejection', listener);
  return listener;
}

/** pg-boss's unawaited call: `at async Manager.complete (…/node_modules/pg-boss/src/manager.js:485:20)`. */
const BOSS_SETTLES = /\bManager\.(?:complete|fail) \([^)\n]*[\\/]pg-boss[\\/]src[\\/]manager\.js:\d+/;

function fromPgBoss(reason: unknown): boolean {
  return reason instanceof Error && BOSS_SETTLES.test(reason.stack ?? '');
}
