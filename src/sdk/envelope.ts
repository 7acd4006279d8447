/**
 * Platform REST envelopes: answers come as `{ data }`, and list answers end with a
 * `{ cache_info }` element describing Tanium's server-side result cache, not a record.
 */

function isCacheInfo(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'cache_info' in value;
}

/** `{ data: [a, b, {cache_info}] }` → `[a, b]`; `{ data: x }` → `x`; anything else unchanged. */
export function unwrapPlatform<T = unknown>(body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('data' in body)) return body as T;
  const data = (body as { data: unknown }).data;
  if (Array.isArray(data) && data.length > 0 && isCacheInfo(data[data.length - 1])) {
    return data.slice(0, -1) as T;
  }
  return data as T;
}
