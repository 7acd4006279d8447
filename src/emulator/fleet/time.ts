/** Time helpers: the fleet works in integer milliseconds and prints RFC 3339 UTC with seconds. */

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `2026-01-01T00:00:00Z`: RFC 3339, UTC, whole seconds, as Tanium's Gateway prints `Time`. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
}

/** The last grid point `phase + k * period` at or before `t`. */
export function gridFloor(t: number, phase: number, period: number): number {
  return phase + Math.floor((t - phase) / period) * period;
}

/** The first grid point `phase + k * period` at or after `t`. */
export function gridCeil(t: number, phase: number, period: number): number {
  return phase + Math.ceil((t - phase) / period) * period;
}

/** Rounds down to a whole second. */
export function toSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}
