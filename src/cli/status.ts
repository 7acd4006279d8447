import type { Command } from 'commander';
import { noSuchConnection } from '../connections/connections.js';
import { validateConnectionName } from '../connections/name.js';
import { formatConnection, viewConnection } from '../connections/view.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';

/** `tanium-bridge status`: every connection (or the named one) with its masked token. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show connections, with their tokens masked')
    .option('--name <name>', 'show only this connection')
    .action(async (options: { name?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = options.name === undefined ? undefined : validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        let records = await ctx.store.connections.list();
        if (name !== undefined) {
          records = records.filter((record) => record.name === name);
          if (records.length === 0) throw noSuchConnection(name);
        }
        const views = await Promise.all(records.map((record) => viewConnection(ctx, record)));
        const human =
          views.length === 0
            ? 'No connections yet: run `tanium-bridge connect --domain <customer>-api.cloud.tanium.com`.'
            : views.map(formatConnection).join('\n\n');
        printResult(global, { connections: views }, human);
      });
    });
}
