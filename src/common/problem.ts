/**
 * The one shape an expected failure takes in every service: a stable `code` that interfaces and
 * scripts can branch on, a `message` saying what is wrong, and a `fix` saying what to do, both written
 * for any interface (no command lines, no HTTP paths). Each interface maps `kind` to its own form
 * (an exit code, an HTTP status) in exactly one place and may add its own hint for a `code`.
 */
export type ProblemKind =
  /** The input is wrong: a value, a name, a format. */
  | 'invalid'
  /** The request itself cannot be read (a cursor or parameter that is not ours, broken syntax). */
  | 'malformed'
  /** A named thing does not exist. */
  | 'not_found'
  /** The request is valid but clashes with the current state (a lease held, a name taken). */
  | 'conflict'
  /** No credentials, or credentials refused. */
  | 'unauthorized'
  /** Credentials accepted but not allowed to do this. */
  | 'forbidden'
  /** The input is larger than accepted. */
  | 'too_large'
  /** Too many attempts in a short time. */
  | 'rate_limited'
  /** A dependency is not reachable now (Tanium, the store); trying again later may work. */
  | 'unavailable'
  /** Tanium answered with an error. */
  | 'upstream';

export interface ProblemInit {
  code: string;
  kind: ProblemKind;
  message: string;
  fix?: string;
  /** Machine-readable facts an interface may show (never a secret). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class Problem extends Error {
  override name = 'Problem';
  readonly code: string;
  readonly kind: ProblemKind;
  readonly fix: string;
  readonly details: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.kind = init.kind;
    this.fix = init.fix ?? '';
    this.details = init.details ?? {};
  }

  /** The public form: what an API answers and `--json` prints. */
  toJSON(): { code: string; message: string; fix: string } {
    return { code: this.code, message: this.message, fix: this.fix };
  }
}

export function isProblem(error: unknown): error is Problem {
  return error instanceof Problem;
}
