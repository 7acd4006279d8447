import { Problem } from './problem.js';

/**
 * A mistake the user can fix: bad input, a refused value. The message names the problem and the fix.
 * It is a Problem of kind `invalid` (code `invalid_input` unless given), so every interface maps it like
 * any other; the CLI prints only the message (never a stack) and exits with `exitCode`.
 */
export class UserError extends Problem {
  override readonly name = 'UserError';
  /** Process exit code for the CLI; 1 unless a command documents another. */
  readonly exitCode: number;

  constructor(
    message: string,
    options: {
      exitCode?: number;
      cause?: unknown;
      code?: string;
      fix?: string;
      kind?: Problem['kind'];
      details?: Record<string, unknown>;
    } = {},
  ) {
    super({
      code: options.code ?? 'invalid_input',
      kind: options.kind ?? 'invalid',
      message,
      ...(options.fix === undefined ? {} : { fix: options.fix }),
      ...(options.details === undefined ? {} : { details: options.details }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.exitCode = options.exitCode ?? 1;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
