import pg from 'pg';
import { jsonbText } from './jsonbText.js';

/**
 * Values written into SQL text as literals, for the page writer's statements that travel together as
 * one multi-statement simple query (one round trip; the simple protocol takes no parameters). Strings
 * go through pg's `escapeLiteral` (quotes doubled; an `E''` literal with doubled backslashes when the
 * text has any), arrays as array literals (https://www.postgresql.org/docs/15/arrays.html#ARRAYS-IO)
 * inside such a string. PostgreSQL text cannot hold NUL: it becomes U+FFFD, as in COPY text
 * (copyText.ts); so does what jsonb refuses in an object's JSON (jsonbText.ts).
 */

const NUL = /\0/g;

/** A string as an SQL literal. */
export function textLiteral(value: string): string {
  return pg.escapeLiteral(value.replace(NUL, '\uFFFD'));
}

/** A string, number, boolean or null as an SQL literal (numbers must be finite). */
export function literal(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  return textLiteral(value);
}

/** One array element: NULL unquoted, everything else double-quoted with `"` and `\` escaped. */
function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? jsonbText(value) : String(value);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An array literal cast to `type` (e.g. `text[]`, `jsonb[]`); objects are written as JSON text. */
export function arrayLiteral(values: readonly unknown[], type: string): string {
  return `${textLiteral(`{${values.map(element).join(',')}}`)}::${type}`;
}

/**
 * The statement with each `$n` replaced by the n-th of `values`, SQL text made by the functions above
 * (the statements it is used on hold no other `$`: no dollar quoting).
 */
export function bind(sql: string, values: readonly string[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    if (value === undefined) throw new RangeError(`no value for $${n}`);
    return value;
  });
}
