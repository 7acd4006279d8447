import { badBody } from './httpError.js';

/** Small, explicit request-body readers: each failure names the field and the expected type. */
export type JsonObject = Record<string, unknown>;

export function objectBody(body: unknown, allowEmpty = true): JsonObject {
  if ((body === undefined || body === null) && allowEmpty) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badBody('the request body must be a JSON object');
  }
  return body as JsonObject;
}

export function onlyFields(body: JsonObject, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw badBody(
      `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; allowed fields: ${allowed.join(', ')}`,
    );
  }
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badBody(`field "${field}" must be a string`);
  return value;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '')
    throw badBody(`field "${field}" is required and must be a non-empty string`);
  return value;
}

export function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw badBody(`field "${field}" must be a whole number`);
  }
  return number;
}
