import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTransientGatewayError } from './errorFactory.js';
import {
  AuthenticationError,
  ConnectionError,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  GraphQLError,
  isSafeToRetry,
  operationType,
  parseRetryAfter,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from './index.js';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000, maxTotalWaitMs: 10_000 };

describe('retry ladder', () => {
  it('retries only transient failures', () => {
    const retry = (e: Parameters<typeof decideRetry>[0]) =>
      decideRetry(e, { attempt: 1, waitedMs: 0 }, policy).retry;
    expect(retry(new ServerError('x', { status: 503 }))).toBe(true);
    expect(retry(new RateLimitError('x', { status: 429 }))).toBe(true);
    expect(retry(new TimeoutError('x', { code: 'HTTP_408', mayHaveReachedServer: true }))).toBe(true);
    expect(retry(new ConnectionError('x', { code: 'ECONNRESET', mayHaveReachedServer: true }))).toBe(true);
    expect(retry(new ConnectionError('x', { code: 'BLOCKED_ADDRESS', mayHaveReachedServer: false }))).toBe(
      false,
    );
    expect(retry(new ConnectionError('x', { code: 'CERT_HAS_EXPIRED', mayHaveReachedServer: false }))).toBe(
      false,
    );
    expect(retry(new AuthenticationError('x', { status: 401 }))).toBe(false);
    expect(retry(new GraphQLError(['x'], {}))).toBe(false);
    expect(retry(new UnexpectedResponseError('x', { kind: 'html' }))).toBe(false);
  });

  it('classifies Gateway errors[] as transient only when Tanium marks or words every one so', () => {
    const transient = (errors: unknown[]) => isTransientGatewayError({ errors, data: null });
    expect(transient([{ message: 'Internal server error' }])).toBe(true);
    expect(transient([{ message: 'upstream request timed out' }])).toBe(true);
    expect(transient([{ message: 'busy', extensions: { retryable: true } }])).toBe(true);
    expect(transient([{ message: 'busy', extensions: { timedOut: true } }])).toBe(true);
    expect(transient([{ message: 'Cannot query field "x" on type "Endpoint".' }])).toBe(false);
    expect(
      transient([{ message: 'The cursor has expired: request the collection again without a cursor.' }]),
    ).toBe(false);
    expect(
      transient([{ message: 'Internal server error' }, { message: 'missing required permissions' }]),
    ).toBe(false);
    expect(transient([])).toBe(false);
  });

  it('full jitter stays within [0, min(max, base*2^(n-1))) and never below Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
        (attempt, r, retryAfterMs) => {
          const error = new RateLimitError('x', { status: 429, retryAfterMs });
          const d = decideRetry(error, { attempt, waitedMs: 0 }, policy, () => r);
          if (!d.retry) return;
          const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
          expect(d.delayMs).toBeGreaterThanOrEqual(retryAfterMs ?? 0);
          if (retryAfterMs === undefined) expect(d.delayMs).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('stops at maxAttempts and at the total wait budget', () => {
    const e = new ServerError('x', { status: 500 });
    expect(decideRetry(e, { attempt: 5, waitedMs: 0 }, policy).retry).toBe(false);
    const slow = new RateLimitError('x', { status: 429, retryAfterMs: 9_000 });
    expect(decideRetry(slow, { attempt: 1, waitedMs: 2_000 }, policy).retry).toBe(false);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-05-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Fri, 01 May 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 30 Apr 2026 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('GraphQL operation type', () => {
  it.each([
    ['{ now }', 'query'],
    ['query { now }', 'query'],
    ['# mutation { ping }\nquery Q { now }', 'query'],
    ['query Q { mutation: now }', 'query'],
    ['mutation { ping }', 'mutation'],
    ['  mutation R($t: String!) { apiTokenRotate(input: {tokenString: $t}) { token { id } } }', 'mutation'],
    ['fragment F on Query { now }\nmutation { ping }', 'mutation'],
    ['subscription { x }', 'subscription'],
    ['query A { now } mutation B { ping }', 'unknown'],
    ['not graphql {', 'unknown'],
  ])('%s → %s', (doc, type) => {
    expect(operationType(doc)).toBe(type);
  });

  it('picks the named operation', () => {
    const doc = 'query A { now } mutation B { ping }';
    expect(isSafeToRetry(doc, 'A')).toBe(true);
    expect(isSafeToRetry(doc, 'B')).toBe(false);
    expect(isSafeToRetry(doc, 'C')).toBe(false);
  });
});
