import { CommanderError } from 'commander';
import { redactTokens } from '../common/redact.js';
import { isUserError } from '../common/userError.js';
import { buildProgram } from './program.js';

/**
 * Runs the CLI and returns the exit code. User mistakes print one line, no stack;
 * unexpected failures print one line too, with the stack only under TANIUM_BRIDGE_DEBUG=1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version requests end here too; commander has already printed them.
      return error.exitCode;
    }
    if (isUserError(error)) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Unexpected error: ${redactTokens(message)}\n`);
    if (process.env['TANIUM_BRIDGE_DEBUG'] === '1' && error instanceof Error)
      process.stderr.write(`${redactTokens(error.stack ?? '')}\n`);
    return 70;
  }
}
