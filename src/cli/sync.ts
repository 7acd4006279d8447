import type { Command } from 'commander';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { StreamName } from '../streams/index.js';
import { formatSummary } from '../sync/format.js';
import { DEFAULT_PARTITIONS, MAX_PARTITIONS } from '../sync/partitions.js';
import { withConnections } from './context.js';
import type { GlobalOptions } from './output.js';
import { DEFAULT_WAIT, runSyncCommand, SYNC_RUNNING_EXIT } from './syncCommand.js';

interface SyncOptions {
  name: string;
  streams?: string;
  full?: boolean;
  sensors?: string;
  margin?: string;
  reconcileEvery?: string;
  headerTimeout?: string;
  bodyTimeout?: string;
  timeout?: string;
  wait?: string | true;
  parallel?: string;
}

/** `tanium-bridge sync`: assets, vulnerabilities, compliance and sensors into the store (docs/sync.md). */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('sync assets, vulnerabilities, compliance findings and chosen sensors into the store')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .option('--streams <list>', 'streams to sync: assets,vulnerabilities,compliance,sensors (default: all)')
    .option('--full', 'a full pass: read every endpoint and remove what Tanium no longer has')
    .option('--sensors <names>', 'sensors for the sensors stream, comma-separated; saved with the connection')
    .option('--margin <duration>', 'incremental safety margin before the watermark (default 10m); saved')
    .option('--reconcile-every <n>', 'a full pass after this many incremental ones (default 24); saved')
    .option(
      '--header-timeout <seconds>',
      'give up on a response whose headers take longer (default 30); saved',
    )
    .option('--body-timeout <seconds>', 'give up on a response body that stalls longer (default 30); saved')
    .option('--timeout <seconds>', 'both request timeouts for this run only')
    .option(
      '--parallel <k>',
      `read a full pass as K disjoint collections at once, 1 to ${MAX_PARTITIONS}, or auto (up to ${DEFAULT_PARTITIONS}, chosen from latency and CPU); default 1: one collection`,
    )
    .option(
      '--wait [duration]',
      `when another sync of this connection is running, wait for it (default ${DEFAULT_WAIT}) instead of exiting ${SYNC_RUNNING_EXIT}`,
    )
    .action(async (options: SyncOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        const summary = await runSyncCommand(ctx, {
          name,
          ...(options.streams === undefined ? {} : { streams: options.streams }),
          full: options.full === true,
          json: global.json === true,
          ...(options.sensors === undefined ? {} : { sensors: options.sensors }),
          ...(options.margin === undefined ? {} : { margin: options.margin }),
          ...(options.reconcileEvery === undefined ? {} : { reconcileEvery: options.reconcileEvery }),
          ...(options.headerTimeout === undefined ? {} : { headerTimeout: options.headerTimeout }),
          ...(options.bodyTimeout === undefined ? {} : { bodyTimeout: options.bodyTimeout }),
          ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
          ...(options.wait === undefined ? {} : { wait: options.wait }),
          ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
        });
        if (global.json) return; // the last JSON line was the `done` event with the summary
        const totals: Partial<Record<StreamName, number>> = {};
        for (const stream of Object.keys(summary.streams) as StreamName[])
          totals[stream] = await ctx.store.sync.count(name, stream);
        process.stdout.write(`${formatSummary(summary, totals)}\n`);
      });
    });
}
