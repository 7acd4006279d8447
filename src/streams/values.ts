import { isCanonicalUtc } from './canonicalTime.js';
import { ValidationError } from './stream.js';

/**
 * Field readers for stream mappings: each returns the field's native value (a boolean, a list, …; the
 * store encodes it) or throws ValidationError naming the field, so a malformed record is quarantined
 * with a precise reason.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function text(record: Record<string, unknown>, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValidationError(`${field} is not a string`);
}

export function requiredText(record: Record<string, unknown>, field: string): string {
  const value = text(record, field);
  if (value === null || value.trim() === '') throw new ValidationError(`${field} is missing`);
  return value;
}

export function num(record: Record<string, unknown>, field: string): number | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new ValidationError(`${field} is not a number`);
}

/** A whole number (Tanium's `Int`): a fraction is refused, since an integer column cannot hold it. */
export function int(record: Record<string, unknown>, field: string): number | null {
  const value = num(record, field);
  if (value !== null && !Number.isSafeInteger(value))
    throw new ValidationError(`${field} is not a whole number`);
  return value;
}

export function bool(record: Record<string, unknown>, field: string): boolean | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  throw new ValidationError(`${field} is not a boolean`);
}

/**
 * The last times the full check found valid. Times in another form than the Gateway's (an offset, no
 * seconds) repeat too, across an endpoint's findings: a time equal to one of these is valid without it.
 */
const recentTimes = ['', '', '', ''];
let nextRecent = 0;

/** The full check of a time: RFC 3339's shape, and an instant `Date.parse` can place. */
export function isRfc3339Time(value: string): boolean {
  return RFC3339.test(value) && Number.isFinite(Date.parse(value));
}

/**
 * An RFC 3339 time (or date), kept as Tanium wrote it; null when absent. The Gateway's own form
 * (`isCanonicalUtc`) is checked without `Date.parse`, which is most of a time's cost.
 */
export function time(record: Record<string, unknown>, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && (isCanonicalUtc(value) || recentTimes.includes(value))) return value;
  if (typeof value !== 'string' || !isRfc3339Time(value))
    throw new ValidationError(`${field} is not an RFC 3339 time: ${JSON.stringify(value)}`);
  recentTimes[nextRecent] = value;
  nextRecent = (nextRecent + 1) % recentTimes.length;
  return value;
}

export function object(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError(`${field} is not an object`);
}

/** An object, or null when Tanium answered `null` or left the field out ("not known this time"). */
export function objectOrNull(record: Record<string, unknown>, field: string): Record<string, unknown> | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError(`${field} is not an object`);
}

/** A list, or null when Tanium answered `null` or left the field out: not known, unlike `[]` (none). */
export function listOrNull(record: Record<string, unknown>, field: string): unknown[] | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value;
  throw new ValidationError(`${field} is not a list`);
}

/** A list of strings, or null when not known this time (unlike `[]`: none). */
export function stringListOrNull(record: Record<string, unknown>, field: string): string[] | null {
  return record[field] === undefined || record[field] === null ? null : stringList(record, field);
}

/** The node's `eidLastSeen` when it is a valid time, else null; never throws (assets validates it). */
export function seenAt(node: Record<string, unknown>): string | null {
  try {
    return time(node, 'eidLastSeen');
  } catch {
    return null;
  }
}

export function list(record: Record<string, unknown>, field: string): unknown[] {
  const value = record[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new ValidationError(`${field} is not a list`);
}

export function stringList(record: Record<string, unknown>, field: string): string[] {
  const values = list(record, field);
  for (const value of values)
    if (typeof value !== 'string') throw new ValidationError(`${field} holds a value that is not a string`);
  return values as string[];
}
