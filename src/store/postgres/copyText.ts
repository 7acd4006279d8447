/**
 * PostgreSQL's COPY text format (https://www.postgresql.org/docs/15/sql-copy.html, "Text Format"): one
 * line per row, columns separated by a tab, `\N` for NULL, and backslash, newline, carriage return and
 * tab written as backslash sequences. PostgreSQL text cannot hold the NUL character at all: it becomes
 * U+FFFD (the Unicode replacement character), in text and in JSON values alike (jsonbText.ts, which
 * also replaces a lone surrogate), so a stray NUL from a sensor never fails a page.
 */

import { jsonbText } from './jsonbText.js';

/** The field types a copied column holds (as the streams declare them). */
export type CopyType = 'text' | 'integer' | 'real' | 'boolean' | 'json';

const SPECIAL = /[\\\n\r\t\0]/;
const SPECIAL_ALL = /[\\\n\r\t\0]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\uFFFD',
};

export function escapeCopyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

/** One native value (contract: src/streams/stream.ts) as a COPY text field; JSON values as JSON text. */
export function copyField(value: unknown, type: CopyType): string {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'boolean':
      return value === true ? 't' : 'f';
    case 'integer':
    case 'real':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new TypeError(`not a finite number: ${String(value)}`);
      return String(value);
    case 'json':
      return escapeCopyText(jsonbText(value));
    default:
      return escapeCopyText(typeof value === 'string' ? value : String(value));
  }
}
