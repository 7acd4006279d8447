/**
 * An escape `JSON.stringify` writes that jsonb refuses ("invalid input syntax for type json"): a NUL
 * (`\u0000`) or a lone surrogate (`\ud800`…`\udfff`; a paired one is written as itself, never escaped).
 * Only an escape after an even number of backslashes: after an odd number it is an escaped backslash
 * followed by the letters.
 */
const REFUSED_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * `value` as JSON text that a jsonb column or parameter accepts: what PostgreSQL text cannot hold
 * becomes U+FFFD (the Unicode replacement character), as in text columns (copyText.ts).
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value).replace(REFUSED_ESCAPE, '$1\\ufffd');
}
