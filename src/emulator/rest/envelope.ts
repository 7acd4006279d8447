import { randomInt } from 'node:crypto';
import { taniumTime } from '../clock.js';
import { HttpError } from '../httpError.js';

/** Platform REST wraps every answer in `{data}`. */
export const data = <T>(value: T): { data: T } => ({ data: value });

/**
 * List answers end with a `cache_info` element describing the server-side result cache,
 * which clients must drop (Tanium's platform API does this on every list).
 */
export function list<T>(items: readonly T[], nowMs: number, cacheId = randomInt(1, 2 ** 31)) {
  const cacheInfo = {
    cache_info: {
      cache_id: cacheId,
      cache_row_count: items.length,
      filtered_row_count: items.length,
      page_row_count: items.length,
      expiration: taniumTime(nowMs + 600_000),
    },
  };
  return { data: [...items, cacheInfo] };
}

/** A numeric path id; anything else names no object, which Tanium answers with the type's not-found error. */
export function idParam(raw: string, notFoundCode: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(404, notFoundCode, `no ${what} with id "${raw}"`);
  return Number(raw);
}
