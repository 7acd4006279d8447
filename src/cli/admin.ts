import type { Command } from 'commander';
import { setAdminPassword } from '../server/sessions.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';
import { readSecret } from './readSecret.js';

/** `tanium-bridge admin set-password`: the web UI's admin password (stored as a scrypt hash). */
export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description("manage the web UI's administrator");
  admin
    .command('set-password')
    .description('set the admin password, read from standard input or a hidden prompt; ends every session')
    .action(async (_options: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const password = await readSecret('Admin password (input hidden, at least 12 characters): ');
      await withConnections(global, async (ctx) => {
        await setAdminPassword(ctx.store, password, new Date());
        printResult(
          global,
          { passwordSet: true },
          'The admin password is set; every earlier session has ended.',
        );
      });
    });
}
