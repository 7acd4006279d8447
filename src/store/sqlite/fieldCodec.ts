import type { Field, FieldValue } from '../../streams/stream.js';

/**
 * How SQLite holds a field's native value: booleans as 0/1 (SQLite has no boolean), json fields as JSON
 * text; text and numbers as they are. Only the SQLite store sees the encoded values.
 */
export type Encoding = typeof PLAIN | typeof BOOLEAN | typeof JSON_TEXT;
export const PLAIN = 0;
export const BOOLEAN = 1;
export const JSON_TEXT = 2;

/** One encoding per field, looked up once per table so the page write does no string compares. */
export function encodings(fields: readonly Field[]): Encoding[] {
  return fields.map((f) => (f.type === 'boolean' ? BOOLEAN : f.type === 'json' ? JSON_TEXT : PLAIN));
}

export function encodeValue(encoding: Encoding, value: FieldValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (encoding === BOOLEAN) return value ? 1 : 0;
  if (encoding === JSON_TEXT) return JSON.stringify(value);
  return value;
}

export function decodeValue(encoding: Encoding, value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (encoding === BOOLEAN) return value !== 0;
  if (encoding === JSON_TEXT) return JSON.parse(value as string) as FieldValue;
  return value as FieldValue;
}

/**
 * A row read in raw mode (values in `fields` order; better-sqlite3's raw mode is three times faster
 * than building its own objects) as a record of native values.
 */
export function decodeRow(
  fields: readonly Field[],
  codes: readonly Encoding[],
  row: readonly unknown[],
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (let i = 0; i < fields.length; i++) out[fields[i]!.name] = decodeValue(codes[i]!, row[i]);
  return out;
}
