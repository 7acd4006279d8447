import type { Logger } from 'pino';
import type { ConnectionContext } from '../connections/connections.js';
import type { RunNow } from '../jobs/runNow.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { JobQueue } from '../jobs/workers/jobQueue.js';
import type { CloudflareSettings } from '../posture/cloudflare/settings.js';
import type { ActiveSyncs } from '../sync/activeSyncs.js';
import type { Metrics } from './metrics.js';

/** What the HTTP API runs on: the service context and the process's long-lived parts. */
export interface ServerDeps {
  ctx: ConnectionContext;
  log: Logger;
  now: () => Date;
  metrics: Metrics;
  settings: ServerSettings;
  /** The syncs this process runs (API and scheduler alike). */
  syncs: ActiveSyncs;
  /** The scheduler; with `--no-scheduler`, on PostgreSQL the schedule the workers run (WorkerSchedule), on SQLite undefined. */
  scheduler: Scheduler | undefined;
  /** Where a sync or rotation asked for now runs: here, or queued for the workers. */
  runNow: RunNow;
  /** The workers' job queue, when this service queues for them (`--no-scheduler` on PostgreSQL). */
  jobQueue: JobQueue | undefined;
}

export interface ServerSettings {
  /** How long a web UI session lasts. */
  sessionTtlMs: number;
  /** Sign-in attempts allowed per client address and minute. */
  loginAttemptsPerMinute: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Mark cookies Secure (set when the service is reached over HTTPS, e.g. behind a TLS proxy). */
  secureCookies: boolean;
  /** The Cloudflare posture provider's flags (`serve --cloudflare-*`); team and AUD may be stored instead. */
  cloudflare?: CloudflareSettings;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  sessionTtlMs: 12 * 60 * 60_000,
  loginAttemptsPerMinute: 5,
  bodyLimit: 1024 * 1024,
  secureCookies: false,
};
