/**
 * Check-in times compared as instants, not as text (`touchSeen`: a recorded time never moves
 * backwards). Tanium writes RFC 3339 times; two of them with different offsets (`…T11:00:00+01:00` and
 * `…T10:30:00Z`) or fraction widths (`…:00Z` and `…:00.5Z`) do not sort as text in time order. The key
 * is fixed-width text (seconds since a shifted epoch, then the fraction padded to 20 digits), so keys
 * compare as text in time order, exactly (no float, no rounding of digits past the microsecond).
 *
 * The same arithmetic runs in JavaScript (check-ins, SQLite's `tb_instant`) and in PostgreSQL SQL
 * (`PG_INSTANT_KEY`), so both dialects agree to the digit. It never throws: a time it does not parse
 * has no key (null), and the caller compares those as text, as before. It is deliberately not a cast
 * to `timestamptz`: stored times passed JavaScript's `Date.parse`, which takes `2026-02-30` (as March 2)
 * where PostgreSQL's cast fails the statement, and the cast rounds past the microsecond.
 */

/** RFC 3339 with seconds and a zone: year, month, day, hour, minute, second, fraction, sign, hh, mm. */
export const INSTANT_PATTERN =
  '^(\\d{4})-(0[1-9]|1[0-2])-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,20}))?(?:[Zz]|([+-])(\\d\\d):(\\d\\d))$';
const PATTERN = new RegExp(INSTANT_PATTERN);

/** Keeps every key positive: year 0000 with a +23:59 offset is still after the shifted epoch. */
const SHIFT = 62_168_000_000;

/** Days from 1970-01-01 to a civil date (H. Hinnant's algorithm; the year moved one era on, so ≥ 0). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0) + 400;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 - 146_097;
}

/** The instant key of an RFC 3339 time, or null when it is not one this compares. */
export function instantKey(time: string | null | undefined): string | null {
  const m = typeof time === 'string' ? PATTERN.exec(time) : null;
  if (!m) return null;
  const n = (k: number) => Number(m[k] ?? 0);
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (n(9) * 3_600 + n(10) * 60);
  const seconds = daysFromCivil(n(1), n(2), n(3)) * 86_400 + n(4) * 3_600 + n(5) * 60 + n(6) - offset + SHIFT;
  return `${String(seconds).padStart(12, '0')}.${(m[7] ?? '').padEnd(20, '0')}`;
}

/**
 * The same key in PostgreSQL, over `m`, the `regexp_match(time, INSTANT_PATTERN)` array (null when it
 * does not match). Integer division there truncates; every operand is kept ≥ 0, so it floors as above.
 */
const Y = `(m[1]::bigint - CASE WHEN m[2]::int <= 2 THEN 1 ELSE 0 END + 400)`;
const DOY = `((153 * ((m[2]::int + 9) % 12) + 2) / 5 + m[3]::int - 1)`;
const YOE = `(${Y} - (${Y} / 400) * 400)`;
const DAYS = `((${Y} / 400) * 146097 + ${YOE} * 365 + ${YOE} / 4 - ${YOE} / 100 + ${DOY} - 719468 - 146097)`;
const OFFSET = `(CASE WHEN m[8] IS NULL THEN 0 WHEN m[8] = '-' THEN -1 ELSE 1 END
  * (coalesce(m[9]::int, 0) * 3600 + coalesce(m[10]::int, 0) * 60))`;
const SECONDS = `(${DAYS} * 86400 + m[4]::int * 3600 + m[5]::int * 60 + m[6]::int - ${OFFSET} + ${SHIFT})`;

/** A scalar subquery giving the key of the text column or expression `time`; `pattern` is INSTANT_PATTERN's parameter. */
export function pgInstantKey(time: string, pattern: string): string {
  return `(SELECT lpad(${SECONDS}::text, 12, '0') || '.' || rpad(coalesce(m[7], ''), 20, '0')
    FROM (SELECT regexp_match(${time}, ${pattern}) AS m) AS parsed)`;
}
