import type { Command } from 'commander';
import { removeConnection } from '../connections/connections.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';

/** `tanium-bridge remove`: deletes a connection and, with it, its encrypted token. */
export function registerRemove(program: Command): void {
  program
    .command('remove')
    .description('delete a connection, its stored token and its synced data')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .action(async (options: { name: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        await removeConnection(ctx, name);
        printResult(
          global,
          { name, removed: true },
          `Removed connection "${name}", its stored token and its synced data.`,
        );
      });
    });
}
