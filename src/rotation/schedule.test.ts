import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  GraphQLError,
  InvalidRequestError,
  PermissionError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../sdk/index.js';
import { classifyProbeError, classifyRotateError } from './errorClassification.js';
import { DAY_MS, dueness, pickToken } from './schedule.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const week = { created: iso(T0), expiration: iso(T0 + 7 * DAY_MS) };

describe('dueness (server clock)', () => {
  it('is due daily, and when half the lifetime has passed, and says expired', () => {
    expect(dueness(week, T0 + DAY_MS - 1).due).toBe(false);
    expect(dueness(week, T0 + DAY_MS).due).toBe(true);
    const day = { created: iso(T0), expiration: iso(T0 + DAY_MS) };
    expect(dueness(day, T0 + DAY_MS / 2 - 1).due).toBe(false);
    expect(dueness(day, T0 + DAY_MS / 2)).toMatchObject({ due: true, expired: false });
    expect(dueness(day, T0 + DAY_MS)).toMatchObject({ due: true, expired: true });
    expect(dueness(week, T0 + DAY_MS, { everyMs: 30 * DAY_MS, share: 0.5 }).due).toBe(false);
    expect(dueness(week, T0 + 3.5 * DAY_MS, { everyMs: 30 * DAY_MS, share: 0.5 }).due).toBe(true);
  });
});

describe('pickToken', () => {
  const a = { id: '1', created: iso(T0), expiration: iso(T0 + 7 * DAY_MS), lastUsed: iso(T0) };
  const b = { id: '2', created: iso(T0), expiration: iso(T0 + 3 * DAY_MS), lastUsed: iso(T0 + 60_000) };
  it('prefers the stored id, then the one token just used, else the earliest expiry (uncertain)', () => {
    expect(pickToken([a, b], '1', T0 + 60_000)).toEqual({ token: a, certain: true });
    expect(pickToken([a, b], null, T0 + 60_000)).toEqual({ token: b, certain: true });
    expect(pickToken([a, b], null, T0 + 10 * 60_000)).toEqual({ token: b, certain: false });
    expect(pickToken([], null, T0)).toBeUndefined();
  });
});

describe('classifying a rotate failure', () => {
  const net = (code: string, reached: boolean) =>
    new ConnectionError('x', { code, mayHaveReachedServer: reached });
  it('only definite answers count as "nothing happened"; everything else is probed', () => {
    expect(classifyRotateError(new AuthenticationError('401', { status: 401 }))).toBe('refused');
    expect(classifyRotateError(new GraphQLError(['Unauthorized'], { status: 401 }))).toBe('refused');
    expect(classifyRotateError(new InvalidRequestError('400', { status: 400 }))).toBe('rejected');
    expect(classifyRotateError(new GraphQLError(['apiTokenRotate: no such token'], {}))).toBe('rejected');
    expect(classifyRotateError(new GraphQLError(['apiTokenRotate: busy (timed out)'], {}))).toBe('no_answer');
    expect(classifyRotateError(new GraphQLError(['Internal server error'], { status: 200 }))).toBe(
      'no_answer',
    );
    expect(classifyRotateError(net('UND_ERR_SOCKET', true))).toBe('no_answer');
    expect(classifyRotateError(net('ECONNREFUSED', false))).toBe('not_sent');
    expect(
      classifyRotateError(
        new TimeoutError('t', { code: 'UND_ERR_HEADERS_TIMEOUT', mayHaveReachedServer: true }),
      ),
    ).toBe('no_answer');
    expect(classifyRotateError(new ServerError('503', { status: 503 }))).toBe('no_answer');
    expect(classifyRotateError(new UnexpectedResponseError('html', { status: 503, kind: 'html' }))).toBe(
      'no_answer',
    );
  });

  it('a probe is refused only by a 401; a 403 still proves the token works', () => {
    expect(classifyProbeError(new AuthenticationError('401', { status: 401 }))).toBe('refused');
    expect(classifyProbeError(new PermissionError('403', { status: 403 }))).toBe('ok');
    expect(classifyProbeError(net('ECONNRESET', true))).toBe('unreachable');
    expect(classifyProbeError(new ServerError('500', { status: 500 }))).toBe('unreachable');
  });
});
