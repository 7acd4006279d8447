import { CommanderError } from 'commander';
import { isProblem } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import { isUserError } from '../common/userError.js';
import { isTaniumError } from '../sdk/errors.js';
import { hintFor } from './hints.js';
import type { GlobalOptions } from './output.js';

/** Exit codes: 1 a problem the user can act on, 70 a bug (sysexits EX_SOFTWARE). */
export const EXIT_PROBLEM = 1;
export const EXIT_BUG = 70;
/** Problems with an exit code of their own (documented with their command). */
const EXIT_CODES: Record<string, number> = {
  // sysexits EX_TEMPFAIL: another process is syncing the connection; try again later (docs/sync.md).
  sync_running: 75,
};

/** One line: a message that ends a sentence is followed by the hint; one that does not leads into it. */
export function problemLine(message: string, hint: string): string {
  if (hint === '') return message;
  return /[.!?]$/.test(message) ? `${message} ${hint}` : `${message}: ${hint}`;
}

/**
 * The one place where the CLI turns an error into output and an exit code: a problem (bad input, a
 * missing connection, a lease held) prints its message and the CLI's hint; a Tanium API error prints
 * what Tanium said, its status and whether trying again may help; anything else is a bug and says so,
 * with the stack only under TANIUM_BRIDGE_DEBUG=1. Always one line (two for a bug in debug mode).
 */
export function reportError(error: unknown, global: GlobalOptions): number {
  if (error instanceof CommanderError) return error.exitCode; // commander has printed it already
  if (isProblem(error)) {
    const line = problemLine(error.message, hintFor(error, global));
    process.stderr.write(`${oneLine(redactTokens(line))}\n`);
    return isUserError(error) ? error.exitCode : (EXIT_CODES[error.code] ?? EXIT_PROBLEM);
  }
  if (isTaniumError(error)) {
    // The SDK's message already names the status, the call and Tanium's own text.
    const retry = error.retryable ? ' Trying again later may work.' : '';
    process.stderr.write(`${oneLine(`${error.message}${retry}`)}\n`);
    return EXIT_PROBLEM;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Unexpected error: ${oneLine(redactTokens(message))}\n`);
  if (process.env['TANIUM_BRIDGE_DEBUG'] === '1' && error instanceof Error)
    process.stderr.write(`${redactTokens(error.stack ?? '')}\n`);
  return EXIT_BUG;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
