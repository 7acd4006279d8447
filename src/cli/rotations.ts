import type { Command } from 'commander';
import { validateConnectionName } from '../connections/name.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';
import { parseWhole } from './parseNumber.js';

/** `tanium-bridge rotations`: the audit trail of rotation attempts, newest first (ids, never tokens). */
export function registerRotations(program: Command): void {
  program
    .command('rotations')
    .description('show the rotation audit trail: time, method, old and new token ids, outcome, error')
    .option('--name <name>', 'only this connection')
    .option('--limit <n>', 'at most this many attempts', '50')
    .action(async (options: { name?: string; limit: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = options.name === undefined ? undefined : validateConnectionName(options.name);
      const limit = parseWhole(options.limit, '--limit', 1, 100_000);
      await withConnections(global, async (ctx) => {
        const entries = await ctx.store.rotation.history(name, limit);
        const lines = entries.map((e) => {
          const ids = `${e.oldTokenId ?? '?'} → ${e.newTokenId ?? '?'}`;
          const head = `${e.startedAt}  ${e.connectionName}  ${e.method.padEnd(13)}  ${ids.padEnd(13)}  ${e.outcome}`;
          return e.error === null ? head : `${head}\n    ${e.error}`;
        });
        const human =
          entries.length === 0
            ? `No rotation attempts yet${name === undefined ? '' : ` for "${name}"`}.`
            : lines.join('\n');
        printResult(global, { rotations: entries }, human);
      });
    });
}
