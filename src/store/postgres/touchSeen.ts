import type { PoolClient } from 'pg';
import { checkInSets, type SeenCheckIn } from '../checkInSets.js';
import { INSTANT_PATTERN, instantKey, pgInstantKey } from '../instantKey.js';
import type { SeenTouch } from '../sync.js';

/**
 * `column` is before the check-in `s.seen` (key `s.key`), as instants: two UTC times of the same
 * length, both with a `T` and seconds (`s.utc`; a stored time passed the streams' RFC 3339 check, so
 * the same length means the same fraction width) compare as text in C; any other pair by their instant
 * keys (src/store/instantKey.ts), and a time with no key as text, as before. `$3` is INSTANT_PATTERN.
 */
const earlier = (column: string) => `(${column} IS NULL OR CASE
    WHEN s.utc AND length(${column}) = length(s.seen) AND right(${column}, 1) = 'Z'
      AND substr(${column}, 11, 1) = 'T'
    THEN ${column} < s.seen COLLATE "C"
    ELSE coalesce(${pgInstantKey(column, '$3')} < s.key COLLATE "C", ${column} < s.seen COLLATE "C") END)`;

/** The check-ins as one set: `unnest` of parallel arrays ($2: ids, $4: times, $5: keys, $6: UTC shape). */
const SEEN = `unnest($2::text[], $4::text[], $5::text[], $6::boolean[]) AS s(id, seen, key, utc)`;

const ASSETS = `UPDATE assets AS a SET last_seen = s.seen FROM ${SEEN}
  WHERE a.connection = $1 AND a.endpoint_id = s.id AND ${earlier('a.last_seen')}`;

const SCOPES = `UPDATE scope_answers AS t SET checked_at = s.seen,
    answered_at = CASE WHEN t.status = 'answered' THEN s.seen ELSE t.answered_at END
  FROM ${SEEN}
  WHERE t.connection = $1 AND t.stream = ANY($7::text[]) AND t.endpoint_id = s.id
    AND (t.stream <> 'sensors' OR t.scope = ANY($8::text[])) AND ${earlier('t.checked_at')}`;

/**
 * Records check-ins (SyncRepository.touchSeen) inside the caller's transaction: one set-based update
 * of `assets` and one of `scope_answers` over the check-ins as arrays, per set of
 * src/store/checkInSets.ts, writing only rows whose stored time is earlier (an unchanged row leaves
 * no dead tuple). Returns the assets touched.
 */
export async function touchSeenRows(client: PoolClient, touch: SeenTouch): Promise<number> {
  let touched = 0;
  for (const set of checkInSets(touch.seen)) touched += await touchSet(client, touch, set);
  return touched;
}

/** One set of check-ins (each endpoint once: src/store/checkInSets.ts); the assets touched. */
async function touchSet(
  client: PoolClient,
  touch: SeenTouch,
  checkIns: readonly SeenCheckIn[],
): Promise<number> {
  const ids: string[] = [];
  const seen: string[] = [];
  const keys: (string | null)[] = [];
  const utc: boolean[] = [];
  for (const s of checkIns) {
    const key = instantKey(s.lastSeen);
    ids.push(s.endpointId);
    seen.push(s.lastSeen);
    keys.push(key);
    utc.push(key !== null && s.lastSeen.endsWith('Z'));
  }
  const set = [touch.connection, ids, INSTANT_PATTERN, seen, keys, utc];
  let touched = 0;
  if (touch.streams.includes('assets')) touched = (await client.query(ASSETS, set)).rowCount ?? 0;
  const scoped = touch.streams.filter((s) => s !== 'assets');
  if (scoped.length > 0) await client.query(SCOPES, [...set, scoped, [...touch.sensors]]);
  return touched;
}
