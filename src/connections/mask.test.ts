import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK_BULLETS, maskToken } from './mask.js';

describe('maskToken', () => {
  it('shows bullets and the last 4 characters', () => {
    expect(maskToken('token-0123456789abcdef')).toBe('••••••••cdef');
  });

  it('uses the same number of bullets whatever the length', () => {
    expect(maskToken(`token-${'a'.repeat(200)}wxyz`)).toBe('••••••••wxyz');
    expect(maskToken('token-abcdefwxyz')).toBe('••••••••wxyz');
  });

  it('reveals nothing of a short token', () => {
    expect(maskToken('abc')).toBe('••••••••');
    expect(maskToken('token-abcde')).toBe('••••••••');
  });

  it('never reveals more than 4 characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (token) => {
        const masked = maskToken(token);
        expect(masked.startsWith('•'.repeat(MASK_BULLETS))).toBe(true);
        expect(Array.from(masked).length - MASK_BULLETS).toBeLessThanOrEqual(4);
      }),
    );
  });
});
