import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS, invokedCommand } from './commandList.js';

/** The package's version, read from its package.json (two folders above dist/cli). */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Builds the command tree for one command line: the command it runs is loaded and registered in full;
 * every other command is listed by name and summary only, so start-up loads one command's modules.
 */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command('tanium-bridge')
    .description('Connect to a Tanium Cloud tenant: rotate tokens, act, sync and export data.')
    .version(packageVersion(), '--version', 'print the version and exit')
    .option('--json', 'machine-readable output')
    .option('--home <dir>', 'where state lives (default: $TANIUM_BRIDGE_HOME or ~/.tanium-bridge)')
    .option(
      '--db <url>',
      'a PostgreSQL database, postgres://USER@HOST:5432/DB (default: $TANIUM_BRIDGE_DB, else SQLite in the home)',
    )
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions(false);
  const invoked = invokedCommand(args);
  for (const entry of COMMANDS) {
    if (entry.name === invoked) (await entry.load())(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}
