import { reportError } from './errors.js';
import type { GlobalOptions } from './output.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the exit code; errors become output in one place (errors.ts). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
  program.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, program.opts<GlobalOptions>());
  }
}
