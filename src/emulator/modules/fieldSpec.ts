import { type JsonObject, objectBody } from '../body.js';
import { badBody } from '../httpError.js';

/**
 * A declared request body: each field's type, whether it is required, and whether it is a secret
 * (accepted, kept, never answered — Tanium's Connect destinations never return passwords).
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'stringList' | 'integerList' | 'object';

export interface FieldRule {
  type: FieldType;
  required?: boolean;
  secret?: boolean;
  /** Allowed values of a string field. */
  oneOf?: readonly string[];
  /** Smallest allowed value of a number field. */
  min?: number;
}

export type FieldSpec = Readonly<Record<string, FieldRule>>;

/**
 * Reads a body against a spec: unknown fields, wrong types, values outside `oneOf`/`min` and (unless
 * `partial`, for updates) missing required fields are a 400 naming the field. Nothing is changed by
 * the caller until this returns, so a refused write changes nothing.
 */
export function readFields(raw: unknown, spec: FieldSpec, options: { partial?: boolean } = {}): JsonObject {
  const body = objectBody(raw, false);
  const allowed = Object.keys(spec);
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw badBody(
      `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; allowed fields: ${allowed.join(', ')}`,
    );
  }
  const out: JsonObject = {};
  for (const [field, rule] of Object.entries(spec)) {
    const value = body[field];
    if (value === undefined || value === null) {
      if (rule.required && !options.partial)
        throw badBody(`field "${field}" is required (${describe(rule)})`);
      continue;
    }
    check(field, value, rule);
    out[field] = value;
  }
  return out;
}

function check(field: string, value: unknown, rule: FieldRule): void {
  const fail = () => badBody(`field "${field}" must be ${describe(rule)}, got ${JSON.stringify(value)}`);
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string' || (rule.required && value === '')) throw fail();
      if (rule.oneOf && !rule.oneOf.includes(value)) throw fail();
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail();
      if (rule.min !== undefined && value < rule.min) throw fail();
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail();
      if (rule.min !== undefined && value < rule.min) throw fail();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail();
      return;
    case 'stringList':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw fail();
      return;
    case 'integerList':
      if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v) && (v as number) >= 0))
        throw fail();
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) throw fail();
      return;
  }
}

function describe(rule: FieldRule): string {
  if (rule.oneOf) return `one of ${rule.oneOf.join(', ')}`;
  const names: Record<FieldType, string> = {
    string: rule.required ? 'a non-empty string' : 'a string',
    integer: rule.min === undefined ? 'a whole number' : `a whole number, at least ${rule.min}`,
    number: rule.min === undefined ? 'a number' : `a number, at least ${rule.min}`,
    boolean: 'true or false',
    stringList: 'a list of non-empty strings',
    integerList: 'a list of whole numbers',
    object: 'a JSON object',
  };
  return names[rule.type];
}

/** An object as answered: its secret fields left out. */
export function withoutSecrets<T extends JsonObject>(item: T, spec: FieldSpec): T {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(item)) if (!spec[key]?.secret) out[key] = value;
  return out as T;
}
