import type { Command } from 'commander';

/** `tanium-bridge emulator`: serves the local Tanium Cloud emulator. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('serve the local Tanium Cloud emulator on 127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .action(async () => {
      throw new Error('not yet built');
    });
}
