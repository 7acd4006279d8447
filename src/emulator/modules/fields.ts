import type { JsonObject } from '../body.js';
import { badBody } from '../httpError.js';

/** Body field readers the module routes add to `../body.js`; each failure names the field. */
export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badBody(`field "${field}" must be true or false`);
  return value;
}

export function optionalEnum<T extends string>(
  body: JsonObject,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badBody(`field "${field}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function requiredEnum<T extends string>(body: JsonObject, field: string, allowed: readonly T[]): T {
  const value = optionalEnum(body, field, allowed);
  if (value === undefined) throw badBody(`field "${field}" is required: one of ${allowed.join(', ')}`);
  return value;
}

export function optionalIntegerList(body: JsonObject, field: string): number[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    !value.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)
  ) {
    throw badBody(`field "${field}" must be a list of whole numbers`);
  }
  return value as number[];
}

export function optionalStringList(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw badBody(`field "${field}" must be a list of non-empty strings`);
  }
  return value as string[];
}

/** An ISO-8601 date or date-time; answers epoch milliseconds. */
export function optionalDate(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badBody(`field "${field}" must be an ISO-8601 date such as 2026-05-01T12:00:00Z`);
  }
  return ms;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badBody(`field "${field}" must be a JSON object`);
  return value as JsonObject;
}
