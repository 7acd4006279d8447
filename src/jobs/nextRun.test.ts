import { describe, expect, it } from 'vitest';
import { backoffMs, nextRunAt } from './nextRun.js';

const HOUR = 3_600_000;

describe('when a job runs next', () => {
  it('after a success: one interval after it started', () => {
    expect(nextRunAt('ok', 0, 60_000, HOUR, 0)).toBe(HOUR);
  });

  it('a run longer than its interval, or a missed run after downtime, runs once at once, not once per missed interval', () => {
    // Started at 0, finished 5 intervals later: due now, once.
    expect(nextRunAt('ok', 0, 5 * HOUR, HOUR, 0)).toBe(5 * HOUR);
  });

  it('after a failure: backoff of 30 s doubling per failure in a row, never longer than the interval', () => {
    expect([1, 2, 3, 4].map((f) => backoffMs(f, HOUR))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30, HOUR)).toBe(HOUR);
    expect(nextRunAt('failed', 0, 1_000, HOUR, 2)).toBe(61_000);
  });

  it('after an interruption (shutdown): at once, so the next start resumes it', () => {
    expect(nextRunAt('interrupted', 0, 10_000, HOUR, 0)).toBe(10_000);
  });
});
