import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalUtc } from './canonicalTime.js';
import { ValidationError } from './stream.js';
import { isRfc3339Time, time } from './values.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** What `time` answers for `value`: the value itself, or the message of its ValidationError. */
function outcome(value: string): string {
  try {
    return `ok ${time({ at: value }, 'at')}`;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return `refused ${error.message}`;
  }
}

/** What the full check alone (the only path before `isCanonicalUtc`) answers. */
function fullCheck(value: string): string {
  return isRfc3339Time(value)
    ? `ok ${value}`
    : `refused at is not an RFC 3339 time: ${JSON.stringify(value)}`;
}

/** Days in a month of the proleptic Gregorian calendar, from Date itself (a reference, not our code). */
function daysIn(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Times in the Gateway's form, naming real instants. */
const canonical = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    ms: fc.option(fc.integer({ min: 0, max: 999 })),
  })
  .map(({ year, month, day, hour, minute, second, ms }) => {
    const d = Math.min(day, daysIn(year, month));
    const fraction = ms === null ? '' : `.${pad(ms, 3)}`;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(d, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}Z`;
  });

/** Near the Gateway's form: fields out of range, other separators, offsets, fractions, no seconds. */
const nearCanonical = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 19 }),
    day: fc.integer({ min: 0, max: 39 }),
    hour: fc.integer({ min: 0, max: 29 }),
    minute: fc.integer({ min: 0, max: 69 }),
    second: fc.integer({ min: 0, max: 69 }),
    t: fc.constantFrom('T', 't', ' ', '_'),
    seconds: fc.boolean(),
    fraction: fc.constantFrom('', '', '.000', '.001', '.5', '.12', '.123', '.1234', '.123456', '.12a', '.'),
    zone: fc.constantFrom('Z', 'Z', 'z', '', '+00:00', '-05:30', '+0100', '+14:00', '+25:00', ' Z', 'ZZ'),
  })
  .map(({ year, month, day, hour, minute, second, t, seconds, fraction, zone }) => {
    const time = `${pad(hour, 2)}:${pad(minute, 2)}${seconds ? `:${pad(second, 2)}${fraction}` : ''}`;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${t}${time}${zone}`;
  });

/** A Gateway-form time with one character replaced, inserted or removed. */
const mutated = fc
  .tuple(
    canonical,
    fc.nat(),
    fc.constantFrom('replace', 'insert', 'remove'),
    fc.string({ maxLength: 1, minLength: 1 }),
  )
  .map(([value, at, how, c]) => {
    const i = at % value.length;
    if (how === 'replace') return value.slice(0, i) + c + value.slice(i + 1);
    if (how === 'insert') return value.slice(0, i) + c + value.slice(i);
    return value.slice(0, i) + value.slice(i + 1);
  });

describe('time', () => {
  it('takes the Gateway form (seconds, or milliseconds, and Z) without the full check, and agrees with it', () => {
    fc.assert(
      fc.property(canonical, (value) => {
        expect(isCanonicalUtc(value)).toBe(true);
        expect(isRfc3339Time(value)).toBe(true);
        expect(outcome(value)).toBe(`ok ${value}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers what the full check answers for times near that form, and for any string', () => {
    fc.assert(
      fc.property(fc.oneof(nearCanonical, mutated, fc.string({ maxLength: 30 })), (value) => {
        if (isCanonicalUtc(value)) expect(isRfc3339Time(value)).toBe(true);
        if (value !== '') expect(outcome(value)).toBe(fullCheck(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('leaves what Date.parse takes beyond a real instant to the full check', () => {
    // Date.parse takes 30 February as 2 March and 24:00:00 as the next midnight: valid, but not read here.
    for (const value of [
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-31T24:00:00Z',
    ]) {
      expect(isCanonicalUtc(value)).toBe(false);
      expect(outcome(value)).toBe(fullCheck(value));
    }
    for (const value of ['2024-02-29T00:00:00Z', '2000-02-29T23:59:59.999Z', '0000-02-29T00:00:00Z'])
      expect(isCanonicalUtc(value)).toBe(true);
    for (const value of [
      '1900-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00.12Z',
    ])
      expect(isCanonicalUtc(value)).toBe(false);
  });

  it('keeps absent times null and refuses what is not a string', () => {
    expect(time({}, 'at')).toBeNull();
    expect(time({ at: null }, 'at')).toBeNull();
    expect(time({ at: '' }, 'at')).toBeNull();
    expect(() => time({ at: 1_700_000_000 }, 'at')).toThrow(ValidationError);
  });
});
