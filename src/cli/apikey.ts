import { type Command, Option } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey, validateRole } from '../server/apiKeys.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';

/** `tanium-bridge apikey create|list|revoke`: keys for the HTTP API (only a hash is stored). */
export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('manage API keys for the HTTP API of serve');
  apikey
    .command('create')
    .description('create a key and print it once (only a hash is kept)')
    .requiredOption('--name <name>', 'a name for the key, e.g. the tool that will use it')
    .addOption(
      new Option('--role <role>', 'admin changes anything; viewer reads')
        .choices(['admin', 'viewer'])
        .default('admin'),
    )
    .action(async (options: { name: string; role: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const role = validateRole(options.role);
      await withConnections(global, async (ctx) => {
        const created = await createApiKey(ctx.store, { name: options.name, role }, new Date());
        printResult(
          global,
          created,
          `API key "${created.name}" (${created.role}): ${created.key}\nIt is shown only now: store it where the tool that uses it keeps secrets. Send it as \`Authorization: Bearer <key>\`.`,
        );
      });
    });
  apikey
    .command('list')
    .description('list API keys (names, roles, last use; never the keys)')
    .action(async (_options: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      await withConnections(global, async (ctx) => {
        const keys = await listApiKeys(ctx.store);
        const human =
          keys.length === 0
            ? 'No API keys yet.'
            : keys
                .map(
                  (k) =>
                    `${k.name}  ${k.role}  created ${k.createdAt}  last used ${k.lastUsedAt ?? 'never'}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}`,
                )
                .join('\n');
        printResult(global, { keys }, human);
      });
    });
  apikey
    .command('revoke')
    .description('revoke an API key: requests with it are refused at once')
    .requiredOption('--name <name>', 'the key to revoke')
    .action(async (options: { name: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      await withConnections(global, async (ctx) => {
        await revokeApiKey(ctx.store, options.name, new Date());
        printResult(global, { name: options.name, revoked: true }, `Revoked API key "${options.name}".`);
      });
    });
}
