import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads each unit and combinations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('8d')).toBe(8 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
  });

  it.each(['', '8', 'd', '8x', '-1d', '8d junk', '1.2.3h'])(
    'refuses %j with a message showing the form',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/use a number with a unit s, m, h or d/);
    },
  );
});
