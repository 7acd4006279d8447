import { CommanderError } from 'commander';
import { isProblem } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import { isUserError } from '../common/userError.js';
import { isTaniumError } from '../sdk/errors.js';
import { hintFor } from './hints.js';
import { type GlobalOptions, printJson } from './output.js';

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
 * with the stack only under TANIUM_BRIDGE_DEBUG=1. Always one line on stderr, with a second only for a
 * problem's `details.reason` (a refused API domain: the source's exact message, then why) or a bug's
 * stack in debug mode. With `--json`, stdout ends with `{"error":{code,message}}` (docs/cli.md).
 */
export function reportError(error: unknown, global: GlobalOptions): number {
  if (error instanceof CommanderError) return error.exitCode; // commander has printed it already
  const report = describe(error, global);
  process.stderr.write(`${report.lines.join('\n')}\n`);
  if (global.json) printJson({ error: { code: report.code, message: report.lines.join(' ') } });
  return report.exitCode;
}

interface ErrorReport {
  code: string;
  lines: string[];
  exitCode: number;
}

function describe(error: unknown, global: GlobalOptions): ErrorReport {
  if (isProblem(error)) {
    const line = oneLine(redactTokens(problemLine(error.message, hintFor(error, global))));
    const reason = error.details['reason'];
    const lines =
      typeof reason === 'string' && error.code === 'invalid_input' ? [line, oneLine(reason)] : [line];
    const exitCode = isUserError(error) ? error.exitCode : (EXIT_CODES[error.code] ?? EXIT_PROBLEM);
    return { code: error.code, lines, exitCode };
  }
  if (isTaniumError(error)) {
    // The SDK's message already names the status, the call and Tanium's own text.
    const retry = error.retryable ? ' Trying again later may work.' : '';
    return { code: 'tanium_error', lines: [oneLine(`${error.message}${retry}`)], exitCode: EXIT_PROBLEM };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`Unexpected error: ${oneLine(redactTokens(message))}`];
  if (process.env['TANIUM_BRIDGE_DEBUG'] === '1' && error instanceof Error)
    lines.push(redactTokens(error.stack ?? ''));
  return { code: 'bug', lines, exitCode: EXIT_BUG };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
