import { describe, expect, it } from 'vitest';
import { copyField } from './copyText.js';

describe('COPY text fields', () => {
  it('writes NULL as \\N, booleans as t/f and numbers as written', () => {
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(undefined, 'json')).toBe('\\N');
    expect(copyField(true, 'boolean')).toBe('t');
    expect(copyField(false, 'boolean')).toBe('f');
    expect(copyField(416, 'integer')).toBe('416');
    expect(copyField(7.5, 'real')).toBe('7.5');
  });

  it('escapes backslash, tab, newline and carriage return in text', () => {
    expect(copyField('a\\b\tc\nd\re', 'text')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('turns a NUL into U+FFFD in text and in JSON values, which PostgreSQL cannot hold', () => {
    expect(copyField('a\0b', 'text')).toBe('a\uFFFDb');
    // JSON.stringify writes the NUL as the escape \u0000 (jsonb refuses it); COPY then doubles the backslash.
    expect(copyField(['a\0b'], 'json')).toBe('["a\\\\ufffdb"]');
    // A lone surrogate, which JSON.stringify writes as an escape jsonb refuses, too; a pair stays.
    expect(copyField(['a\ud800b', '😀'], 'json')).toBe('["a\\\\ufffdb","😀"]');
    // A backslash followed by the letters u0000 is not a NUL: it stays as it was.
    expect(JSON.parse(copyField(['\\u0000'], 'json').replaceAll('\\\\', '\\'))).toEqual(['\\u0000']);
  });

  it('refuses a value that is not a finite number in a number column', () => {
    expect(() => copyField('12', 'integer')).toThrow(TypeError);
    expect(() => copyField(Number.NaN, 'real')).toThrow(TypeError);
  });
});
