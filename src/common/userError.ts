/**
 * A mistake the user can fix: bad input, a missing connection, a refused value.
 * The CLI prints only `message` (never a stack) and exits non-zero; the HTTP API
 * answers 400 with it. Messages name the problem and the fix.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** Process exit code for the CLI; 1 unless a command documents another. */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
