import { type Command, Option } from 'commander';
import { noSuchConnection, replaceToken } from '../connections/connections.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { viewConnection } from '../connections/view.js';
import { withConnections } from './context.js';
import { commandLine, nameArg } from './hints.js';
import { type GlobalOptions, printResult } from './output.js';
import { readSecret, refuseTokenOption } from './readSecret.js';

/** `tanium-bridge token replace`: the workflow integration guide's Replace; an empty answer keeps the stored token. */
export function registerToken(program: Command): void {
  const token = program.command('token').description('manage the stored API token');
  token
    .command('replace')
    .description('store a new token, read from standard input or a hidden prompt; empty keeps the old one')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .addOption(new Option('--token [value]', 'refused: pipe the token on standard input').hideHelp())
    .action(async (options: { name: string; token?: unknown }, command: Command) => {
      const name = validateConnectionName(options.name);
      const global = command.optsWithGlobals<GlobalOptions>();
      refuseTokenOption(options.token, commandLine(global, `token replace${nameArg(name)}`));
      await withConnections(global, async (ctx) => {
        if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
        const answer = await readSecret('New API token (input hidden; empty keeps the stored token): ');
        // A token from the console starts rotation over, in the same transaction (docs/rotation.md).
        const replaced = await replaceToken(ctx, name, answer);
        const record = await ctx.store.connections.get(name);
        if (!record) throw noSuchConnection(name);
        const view = await viewConnection(ctx, record);
        const human = replaced
          ? `Replaced the token of "${name}" (now ${view.token.masked ?? 'unreadable'}). Run \`${commandLine(global, `check${nameArg(name)}`)}\` to test it.`
          : `Token unchanged: the answer was empty, so the stored token of "${name}" was kept.`;
        printResult(global, { name, tokenReplaced: replaced, connection: view }, human);
      });
    });
}
