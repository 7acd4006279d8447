/** Time helpers: the fleet works in integer milliseconds and prints RFC 3339 UTC with seconds. */

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
let lastDay = Number.NaN;
let lastDate = '';

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), by Howard Hinnant's civil-from-days. */
function civil(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
}

/**
 * `2026-01-01T00:00:00Z`: RFC 3339, UTC, whole seconds, as Tanium's Gateway prints `Time`. Hand-rolled
 * because it is the hottest call when endpoints are materialised (about 4x faster than `toISOString`).
 */
export function rfc3339(ms: number): string {
  const seconds = Math.floor(ms / SECOND);
  const days = Math.floor(seconds / 86400);
  if (days !== lastDay) {
    lastDay = days;
    lastDate = civil(days);
  }
  const rest = seconds - days * 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  return `${lastDate}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[rest % 60]}Z`;
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
