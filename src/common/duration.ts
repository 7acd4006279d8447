import { UserError } from './userError.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses durations such as `90s`, `15m`, `8d` or `1d12h` into milliseconds.
 * Used by the emulator clock and by schedules; rejects anything else with a message that shows the form.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const pattern = /(\d+(?:\.\d+)?)([smhd])/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed += match[0].length;
  }
  if (trimmed.length === 0 || consumed !== trimmed.length || !Number.isFinite(total)) {
    throw new UserError(
      `Invalid duration "${text}": use a number with a unit s, m, h or d, such as "90s" or "8d".`,
    );
  }
  return total;
}
