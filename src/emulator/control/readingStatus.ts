import { NO_RESULTS, type SensorReading, UNAVAILABLE } from '../fleet/index.js';

/**
 * How a reading answers, as Tanium's placeholders say: `error` when a cell is `TSE-Error: …`,
 * `unavailable` when one is `[current result unavailable]`, `none` when every cell is `[no results]` or
 * empty, else `answered`.
 */
export function readingStatus(reading: SensorReading): 'answered' | 'none' | 'unavailable' | 'error' {
  const values = reading.columns.flatMap((c) => c.values);
  if (values.some((v) => v.startsWith('TSE-Error'))) return 'error';
  if (values.includes(UNAVAILABLE)) return 'unavailable';
  if (values.every((v) => v === NO_RESULTS || v === '')) return 'none';
  return 'answered';
}
