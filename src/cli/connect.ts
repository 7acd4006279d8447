import { type Command, Option } from 'commander';
import { assertCanSave, saveConnection } from '../connections/connections.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { parseTarget } from '../connections/target.js';
import { viewConnection } from '../connections/view.js';
import { withConnections } from './context.js';
import { commandLine, nameArg } from './hints.js';
import type { GlobalOptions } from './output.js';
import { printResult } from './output.js';
import { readSecret, refuseTokenOption } from './readSecret.js';

interface ConnectOptions {
  domain?: string;
  server?: string;
  name: string;
  token?: unknown;
}

/**
 * `tanium-bridge connect`: saves a connection without contacting Tanium. The address is validated
 * before the token is asked for, so a typo fails before anything secret is typed.
 */
export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description('save a connection; the token is read from standard input or a hidden prompt')
    .option('--domain <domain>', 'Tanium Cloud API domain: <customer>-api.cloud.tanium.com')
    .option('--server <url>', 'on-prem server or emulator: https://host[:port], or http://127.0.0.1:PORT')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .addOption(new Option('--token [value]', 'refused: pipe the token on standard input').hideHelp())
    .action(async (options: ConnectOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      refuseTokenOption(
        options.token,
        commandLine(global, 'connect --domain <customer>-api.cloud.tanium.com'),
      );
      const name = validateConnectionName(options.name);
      const target = parseTarget(options);
      await withConnections(global, async (ctx) => {
        const existing = await assertCanSave(ctx, name, target);
        const prompt = existing
          ? 'API token (input hidden; empty keeps the stored token): '
          : 'API token (input hidden): ';
        const token = await readSecret(prompt);
        const result = await saveConnection(ctx, { name, target, token });
        const view = await viewConnection(ctx, result.record);
        const next = commandLine(global, `check${nameArg(name)}`);
        const kept = result.tokenReplaced ? '' : ' The stored token was kept.';
        printResult(
          global,
          {
            saved: true,
            created: result.created,
            tokenReplaced: result.tokenReplaced,
            connection: view,
            next,
          },
          `Saved connection "${name}" to ${view.domain ?? view.url} (token ${view.token.masked ?? 'unreadable'}).${kept}\n` +
            `The token was not tested: run \`${next}\` next.`,
        );
      });
    });
}
