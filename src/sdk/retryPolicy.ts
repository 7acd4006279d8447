/**
 * The retry ladder (stripe-node style): which failures are worth repeating, and how long to wait.
 * Only calls that are safe to repeat ever get here (GET/HEAD, GraphQL queries): a repeated POST,
 * PATCH, DELETE or mutation could deploy twice or burn a token rotation.
 */
import {
  ConnectionError,
  GraphQLError,
  RateLimitError,
  ServerError,
  type TaniumError,
  TimeoutError,
} from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Backoff base: attempt n waits up to base * 2^(n-1), full jitter. */
  baseDelayMs: number;
  /** Cap on one computed backoff (a server's Retry-After may exceed it). */
  maxDelayMs: number;
  /** Give up rather than wait more than this in total across retries. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxTotalWaitMs: 60_000,
};

export type RetryDecision =
  | { retry: false; reason: string }
  | { retry: true; delayMs: number; reason: string };

export interface RetryState {
  /** Attempts made so far (1 after the first failure). */
  attempt: number;
  /** Milliseconds already spent waiting between attempts. */
  waitedMs: number;
}

/** Why an error may be repeated, or undefined when it must not be. One rule per line. */
export function retryReason(error: TaniumError): string | undefined {
  // 429: the server asked us to slow down; it will answer later.
  if (error instanceof RateLimitError) return 'rate limited (429)';
  // 408 and client timeouts: the server or network was slow; a repeat of a safe call is harmless.
  if (error instanceof TimeoutError) return `timed out (${error.code})`;
  // 5xx: transient server or edge failure (maintenance pages, overloaded module servers).
  if (error instanceof ServerError) return `server error (${error.status ?? '5xx'})`;
  // Gateway errors[] that Tanium marks or words as transient (errorFactory: isTransientGatewayError).
  if (error instanceof GraphQLError && error.retryable) return 'transient Gateway error';
  // The allow-list refused the address or host: repeating cannot change policy.
  if (error instanceof ConnectionError && error.code.startsWith('BLOCKED_')) return undefined;
  // TLS failures are configuration (CA, hostname), not weather: do not hammer.
  if (error instanceof ConnectionError && /CERT|TLS|SSL/i.test(error.code)) return undefined;
  // Other network errors (reset, refused, DNS hiccup): often a dropped keep-alive socket or a blip.
  if (error instanceof ConnectionError) return `network error (${error.code})`;
  // Everything else (401/403/404/4xx, other GraphQL errors, HTML, redirects) will answer the same again.
  return undefined;
}

/** Decide whether to try again and after how long (full jitter, Retry-After as a floor). */
export function decideRetry(
  error: TaniumError,
  state: RetryState,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const reason = retryReason(error);
  if (reason === undefined) return { retry: false, reason: 'not retryable' };
  if (state.attempt >= policy.maxAttempts) return { retry: false, reason: `${reason}; attempts exhausted` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (state.attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  // The server's hint wins when it is longer: waiting less just earns another 429.
  const floor = error instanceof RateLimitError ? (error.retryAfterMs ?? 0) : 0;
  const delayMs = Math.max(jittered, floor);
  if (state.waitedMs + delayMs > policy.maxTotalWaitMs) {
    return { retry: false, reason: `${reason}; waiting ${delayMs} ms would exceed the total wait budget` };
  }
  return { retry: true, delayMs, reason };
}

/**
 * Parse `Retry-After`: delta-seconds or an HTTP date. Returns milliseconds from `now`, or undefined
 * when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
