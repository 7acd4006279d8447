/**
 * Typed errors (stripe-node style). Every field is redacted before it gets here (see errorFactory.ts);
 * the constructor redacts again so a hand-built error cannot leak a token-shaped string either.
 * `category` tells callers how to present it: `usage` errors are the caller's input (wrangler's
 * UserError: show the message, no stack), `api` and `network` errors come from talking to Tanium.
 */
import { REDACTED, redactOptional, redactSecrets } from './redact.js';

export type ErrorCategory = 'usage' | 'api' | 'network';

export interface TaniumErrorDetails {
  /** HTTP status, when a response arrived. */
  status?: number | undefined;
  /** Whether repeating the same call may succeed (the retry ladder only repeats safe calls). */
  retryable?: boolean | undefined;
  method?: string | undefined;
  /** URL path without the query string (queries may carry secrets). */
  path?: string | undefined;
  /** Tanium's own `{ text }` message, when the body had one. */
  text?: string | undefined;
  /** A redacted summary of the low-level failure; never the raw undici error (it holds headers). */
  cause?: SanitizedCause | undefined;
}

/** Stand-in for a low-level error: its name, code and redacted message only. */
export class SanitizedCause extends Error {
  override readonly name: string;
  readonly code: string | undefined;
  constructor(name: string, code: string | undefined, message: string) {
    super(redactSecrets(message));
    this.name = name;
    this.code = code;
    this.stack = `${name}: ${this.message}`;
  }
  toJSON() {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export abstract class TaniumError extends Error {
  abstract readonly category: ErrorCategory;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly text: string | undefined;

  constructor(message: string, details: TaniumErrorDetails = {}) {
    super(redactSecrets(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.retryable = details.retryable ?? false;
    this.method = details.method;
    this.path = redactOptional(details.path);
    this.text = redactOptional(details.text);
    // The stack repeats the message; rebuild it from the redacted one to be sure.
    if (this.stack !== undefined) this.stack = redactSecrets(this.stack);
  }

  /** What `JSON.stringify(err)` shows: fields only, already redacted. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== 'stack') out[key] = value;
    }
    if (this.cause instanceof SanitizedCause) out['cause'] = this.cause.toJSON();
    return out;
  }
}

/** 401: the token was refused (expired, revoked, no `token-` prefix, or this address not trusted). */
export class AuthenticationError extends TaniumError {
  readonly category = 'api';
}

export interface ModuleRef {
  key: string;
  name: string;
  permission?: string | undefined;
}

/** 403: the token is valid but its persona may not use this module or object. */
export class PermissionError extends TaniumError {
  readonly category = 'api';
  readonly module: ModuleRef | undefined;
  constructor(message: string, details: TaniumErrorDetails & { module?: ModuleRef | undefined }) {
    super(message, details);
    this.module = details.module;
  }
}

/** 404: no such object or route (also: a module not installed on this tenant). */
export class NotFoundError extends TaniumError {
  readonly category = 'api';
}

/** Any other 4xx: Tanium refused the request as written (bad body, conflict...). */
export class InvalidRequestError extends TaniumError {
  readonly category = 'api';
}

/** 429: slow down; `retryAfterMs` is the server's hint when it sent one. */
export class RateLimitError extends TaniumError {
  readonly category = 'api';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: TaniumErrorDetails & { retryAfterMs?: number | undefined }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx: Tanium failed; safe calls were already retried. */
export class ServerError extends TaniumError {
  readonly category = 'api';
}

interface NetworkDetails extends TaniumErrorDetails {
  code: string;
  /** False when the failure happened before the request left (DNS, refused, blocked): nothing ran. */
  mayHaveReachedServer: boolean;
}

/** DNS, refused, reset, TLS, or an address/host the allow-list refuses (`BLOCKED_ADDRESS`, `BLOCKED_HOST`). */
export class ConnectionError extends TaniumError {
  readonly category = 'network';
  readonly code: string;
  readonly mayHaveReachedServer: boolean;
  constructor(message: string, details: NetworkDetails) {
    super(message, details);
    this.code = details.code;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
  }
}

/** No answer in time (connect, headers or body), or 408 from the server. */
export class TimeoutError extends TaniumError {
  readonly category = 'network';
  readonly code: string;
  readonly mayHaveReachedServer: boolean;
  constructor(message: string, details: NetworkDetails) {
    super(message, details);
    this.code = details.code;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
  }
}

/** Gateway `errors[]` (HTTP 200 or 400), or a mutation payload `error { message retryable }`. */
export class GraphQLError extends TaniumError {
  readonly category = 'api';
  readonly messages: string[];
  constructor(messages: string[], details: TaniumErrorDetails) {
    // Tanium repeats one error per endpoint or field (a missing sensor: once per row); say each once.
    const clean = [...new Set(messages.map((m) => redactSecrets(m)))];
    super(`Tanium Gateway answered with errors: ${clean.join('; ')}`, details);
    this.messages = clean;
  }
}

export type UnexpectedKind = 'redirect' | 'html' | 'invalid-json' | 'stalled-cursor';

/** An answer that is not the API at all (redirect, HTML page, not JSON) or a broken page cursor. */
export class UnexpectedResponseError extends TaniumError {
  readonly category = 'api';
  readonly kind: UnexpectedKind;
  /** For redirects: the host the server pointed to (never followed). */
  readonly location: string | undefined;
  constructor(message: string, details: TaniumErrorDetails & { kind: UnexpectedKind; location?: string }) {
    super(message, details);
    this.kind = details.kind;
    this.location = details.location;
  }
}

/** A module path that could leave the module's base; refused before any request is made. */
export class InvalidRequestPathError extends TaniumError {
  readonly category = 'usage';
}

/** A module key that is not one of the ten. */
export class UnknownModuleError extends TaniumError {
  readonly category = 'usage';
}

/** Client options that cannot be honoured safely (wrong scheme, host, token characters...). */
export class ClientConfigError extends TaniumError {
  readonly category = 'usage';
}

export function isTaniumError(error: unknown): error is TaniumError {
  return error instanceof TaniumError;
}

export { REDACTED };
