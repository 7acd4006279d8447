import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectionContext } from '../connections/connections.js';
import { rotationSummary } from '../rotation/index.js';
import { STREAM_NAMES } from '../streams/index.js';

/**
 * Prometheus metrics (prom-client), one registry per service instance. Per-connection gauges are read
 * from the store when scraped, so every process sharing a home reports the same truth; counters and
 * histograms count what this process did.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly syncDuration: Histogram<'connection' | 'mode' | 'outcome'>;
  readonly rotations: Counter<'connection' | 'outcome'>;
  readonly jobRuns: Counter<'connection' | 'job' | 'outcome'>;

  constructor(ctx: ConnectionContext, now: () => Date) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'tanium_bridge_http_request_duration_seconds',
      help: 'HTTP API request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.syncDuration = new Histogram({
      name: 'tanium_bridge_sync_duration_seconds',
      help: 'Duration of sync runs started by this process',
      labelNames: ['connection', 'mode', 'outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.rotations = new Counter({
      name: 'tanium_bridge_rotations_total',
      help: 'Token rotation runs by outcome (rotated, not_due, failed, lost, ...)',
      labelNames: ['connection', 'outcome'],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'tanium_bridge_job_runs_total',
      help: 'Scheduled job runs by outcome',
      labelNames: ['connection', 'job', 'outcome'],
      registers,
    });
    new Gauge({
      name: 'tanium_bridge_token_expiry_seconds',
      help: "Seconds until the connection's token expires (server clock, as last learned); absent until known",
      labelNames: ['connection'],
      registers,
      async collect() {
        this.reset();
        for (const c of await ctx.store.connections.list()) {
          const summary = await rotationSummary(ctx.store, c.name, now());
          if (summary.daysLeft !== null)
            this.set({ connection: c.name }, Math.round(summary.daysLeft * 86_400));
        }
      },
    });
    new Gauge({
      name: 'tanium_bridge_seconds_since_last_sync',
      help: 'Seconds since the last complete sync run of the connection; absent before the first',
      labelNames: ['connection'],
      registers,
      async collect() {
        this.reset();
        for (const c of await ctx.store.connections.list()) {
          const done = (await ctx.store.sync.runs(c.name, 20)).find((r) => r.status === 'complete');
          if (done?.finishedAt)
            this.set({ connection: c.name }, (now().getTime() - Date.parse(done.finishedAt)) / 1000);
        }
      },
    });
    new Gauge({
      name: 'tanium_bridge_rows',
      help: 'Rows stored per connection and stream',
      labelNames: ['connection', 'stream'],
      registers,
      async collect() {
        this.reset();
        for (const c of await ctx.store.connections.list())
          for (const stream of STREAM_NAMES)
            this.set({ connection: c.name, stream }, await ctx.store.sync.count(c.name, stream));
      },
    });
  }
}
