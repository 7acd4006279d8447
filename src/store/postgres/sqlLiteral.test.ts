import { describe, expect, it } from 'vitest';
import { arrayLiteral, literal, textLiteral } from './sqlLiteral.js';

describe('SQL literals', () => {
  it('quotes strings, doubling quotes and escaping backslashes in an E literal', () => {
    expect(textLiteral("it's")).toBe("'it''s'");
    expect(textLiteral('a\\b')).toBe(" E'a\\\\b'");
  });

  it('writes null, booleans and finite numbers bare, and refuses NaN', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(true)).toBe('true');
    expect(literal(12.5)).toBe('12.5');
    expect(() => literal(Number.NaN)).toThrow(TypeError);
  });

  it('writes arrays with quoted elements, NULL for null and NUL as U+FFFD', () => {
    expect(arrayLiteral(['a', null, 'b"c', 'd\\e'], 'text[]')).toBe(
      ` E'{"a",NULL,"b\\\\"c","d\\\\\\\\e"}'::text[]`,
    );
    expect(arrayLiteral([], 'text[]')).toBe("'{}'::text[]");
    expect(arrayLiteral(['x\0y'], 'text[]')).toBe(`'{"x\uFFFDy"}'::text[]`);
    expect(arrayLiteral([{ a: 1 }, 2, true], 'jsonb[]')).toBe(` E'{"{\\\\"a\\\\":1}","2","true"}'::jsonb[]`);
  });
});
