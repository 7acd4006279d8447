/**
 * Deterministic seed data: the emulator's seeded generator (mulberry32) and a fixed epoch, so every
 * emulator start serves the same module objects and tests can rely on them.
 */
export type Random = () => number;

// One seeded generator for the whole emulator: the fault decisions use the same one.
export { seededRandom } from '../faults/prng.js';

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));

/** Seeded objects are dated relative to this instant (2026-01-01T00:00:00Z). */
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);

export const DAY = 86_400_000;

/** Module APIs write ISO-8601 times with milliseconds, e.g. `2026-01-01T00:00:00.000Z`. */
export const iso = (ms: number): string => new Date(ms).toISOString();

export const hex = (random: Random, length: number): string => {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
};
