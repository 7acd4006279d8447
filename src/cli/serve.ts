import type { Command } from 'commander';
import { parseDuration } from '../common/duration.js';
import { createLogger } from '../common/logger.js';
import { UserError } from '../common/userError.js';
import { cloudflareSettings } from '../posture/cloudflare/settings.js';
import { startService } from '../server/service.js';
import { JOB_KINDS } from '../store/jobs.js';
import { resolveDb } from '../store/open.js';
import { isPostgresUrl } from '../store/postgres/databaseUrl.js';
import { withConnections } from './context.js';
import { commandLine } from './hints.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseJobs } from './parseJobs.js';
import { parsePort } from './parseNumber.js';

interface ServeOptions {
  port: string;
  host: string;
  logLevel: string;
  scheduler: boolean;
  jobs: string;
  syncEvery: string;
  fullEvery: string;
  rotateEvery: string;
  tick: string;
  jobTimeout: string;
  cloudflareTeam?: string;
  cloudflareAud?: string;
  cloudflarePolicy?: string;
  cloudflareConnection?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** After a stop signal, a process still running after this long exits anyway. */
const STOP_DEADLINE_MS = 9_000;

/**
 * `tanium-bridge serve`: the HTTP API (docs/server.md) and the scheduler, until SIGTERM or SIGINT:
 * then it stops accepting, lets the page being stored commit, releases its leases and exits 0.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and the scheduler (rotation, incremental and full syncs)')
    .option('--port <port>', 'TCP port (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option('--no-scheduler', 'serve the API only (workers run the jobs)')
    .option('--jobs <list>', `jobs the scheduler runs: ${JOB_KINDS.join(',')}`, JOB_KINDS.join(','))
    .option('--sync-every <duration>', 'default interval of the incremental sync', '1h')
    .option('--full-every <duration>', 'default interval of the full reconcile', '24h')
    .option('--rotate-every <duration>', 'how often to rotate the token if it is due', '1h')
    .option('--tick <duration>', 'how often the scheduler looks for due jobs', '15s')
    .option(
      '--job-timeout <duration>',
      "with --no-scheduler on PostgreSQL: the expiry of the jobs it queues for the workers (give it the workers' --job-timeout)",
      '30m',
    )
    .option(
      '--cloudflare-team <team>',
      'Cloudflare Zero Trust team name, for the posture provider; wins over settings stored through the API (docs/posture.md)',
    )
    .option('--cloudflare-aud <tag>', "the Access application's Audience (AUD) tag, for the posture provider")
    .option(
      '--cloudflare-policy <name>',
      'a stored posture policy the provider scores with (default: require managed)',
    )
    .option('--cloudflare-connection <name>', 'the connection the provider answers from', 'default')
    .action(async (options: ServeOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const port = parsePort(options.port);
      if (!LOG_LEVELS.includes(options.logLevel))
        throw new UserError(
          `Invalid --log-level "${options.logLevel}": use one of ${LOG_LEVELS.join(', ')}.`,
        );
      const jobs = parseJobs(options.jobs);
      const every = {
        sync: parseDuration(options.syncEvery),
        reconcile: parseDuration(options.fullEvery),
        rotate: parseDuration(options.rotateEvery),
      };
      const tickMs = parseDuration(options.tick);
      const jobTimeoutMs = parseDuration(options.jobTimeout);
      const db = resolveDb(global.db);
      const queue = db !== undefined && isPostgresUrl(db) ? { url: db, jobTimeoutMs } : undefined;
      const cloudflare = cloudflareSettings({
        ...(options.cloudflareTeam === undefined ? {} : { team: options.cloudflareTeam }),
        ...(options.cloudflareAud === undefined ? {} : { aud: options.cloudflareAud }),
        ...(options.cloudflarePolicy === undefined ? {} : { policy: options.cloudflarePolicy }),
        ...(options.cloudflareConnection === undefined ? {} : { connection: options.cloudflareConnection }),
      });
      const log = createLogger({ level: options.logLevel });
      await withConnections(global, async (ctx) => {
        const service = await listen(() =>
          startService({
            ctx,
            log,
            host: options.host,
            port,
            scheduler: options.scheduler,
            jobs,
            every,
            tickMs,
            ...(queue ? { queue } : {}),
            settings: { cloudflare },
          }),
        );
        await announce(global, service.url, ctx.store);
        log.info({ url: service.url, scheduler: options.scheduler, jobs }, 'serving');
        await new Promise<void>((done) => {
          const stop = (signal: string) => {
            log.info({ signal }, 'stopping');
            setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
            service.close().finally(done);
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
        log.info('stopped');
      });
    });
}

async function listen<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError('The port is already in use: choose another with --port, or 0 for a free one.');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new UserError('Cannot listen on that --host: use an address of this machine, such as 127.0.0.1.');
    if (code === 'EACCES') throw new UserError('Not allowed to listen on that port: use a port above 1023.');
    throw error;
  }
}

async function announce(
  global: GlobalOptions,
  url: string,
  store: {
    apiKeys: { list(): Promise<unknown[]> };
    webAuth: { passwordHash(): Promise<string | undefined> };
  },
) {
  const keys = (await store.apiKeys.list()).length;
  const password = (await store.webAuth.passwordHash()) !== undefined;
  if (global.json) {
    printJson({ url, pid: process.pid });
    return;
  }
  const lines = [
    `tanium-bridge is serving on ${url} (API under ${url}/v1, OpenAPI at ${url}/v1/openapi.json). Stop with Ctrl+C.`,
  ];
  if (keys === 0 && !password)
    lines.push(
      `Nothing is open without credentials: create an API key with \`${commandLine(global, 'apikey create --name admin')}\`.`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}
