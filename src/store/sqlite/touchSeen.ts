import type { Database, Statement } from 'better-sqlite3';
import { instantKey } from '../instantKey.js';
import type { SeenTouch } from '../sync.js';

const registered = new WeakSet<Database>();

/** `tb_instant(time)`: the instant key of src/store/instantKey.ts, for times of different shapes. */
function registerInstant(db: Database): void {
  if (registered.has(db)) return;
  db.function('tb_instant', { deterministic: true }, (time: unknown) =>
    instantKey(typeof time === 'string' ? time : null),
  );
  registered.add(db);
}

/**
 * `column` is before the check-in `@seen` (key `@key`), as instants. Two UTC times of the same length,
 * both with a `T` and seconds (`@utc`: the check-in's shape, src/sync/checkIns.ts; a stored time passed
 * the streams' RFC 3339 check, so with a `T` at 11 and a `Z` at the end, the same length means the same
 * fraction width), sort as text in time order: Tanium's usual form, compared as text. Any other pair
 * goes through `tb_instant`; a time it cannot read is compared as text, as before.
 */
const earlier = (column: string) => `(${column} IS NULL OR CASE
    WHEN @utc AND length(${column}) = length(@seen) AND substr(${column}, -1) = 'Z'
      AND substr(${column}, 11, 1) = 'T'
    THEN ${column} < @seen
    ELSE coalesce(tb_instant(${column}) < @key, ${column} < @seen) END)`;

const ASSET = `UPDATE assets SET last_seen = @seen
  WHERE connection = @connection AND endpoint_id = @id AND ${earlier('last_seen')}`;

/** One scope by its whole primary key: a list subquery (`json_each`) per row cost more than the update. */
const SCOPE = `UPDATE scope_answers SET checked_at = @seen,
    answered_at = CASE WHEN status = 'answered' THEN @seen ELSE answered_at END
  WHERE connection = @connection AND stream = @stream AND endpoint_id = @id AND scope = @scope
    AND ${earlier('checked_at')}`;

/**
 * Records check-ins (SyncRepository.touchSeen) inside the caller's transaction: one prepared update
 * per asset and per scope (a finding stream's scope `''`, each chosen sensor), each by its primary key
 * and only where the stored time is earlier, so rows whose time did not move are not written. Returns
 * the assets touched.
 */
export function touchSeenRows(db: Database, stmt: (sql: string) => Statement, touch: SeenTouch): number {
  registerInstant(db);
  const asset = touch.streams.includes('assets') ? stmt(ASSET) : undefined;
  const scope = stmt(SCOPE);
  const scopes: { stream: string; scope: string }[] = [];
  for (const stream of touch.streams) {
    if (stream === 'assets') continue;
    if (stream === 'sensors') for (const name of touch.sensors) scopes.push({ stream, scope: name });
    else scopes.push({ stream, scope: '' });
  }
  const { connection } = touch;
  let touched = 0;
  for (const { endpointId: id, lastSeen: seen } of touch.seen) {
    const key = instantKey(seen);
    const utc = key !== null && seen.endsWith('Z') ? 1 : 0;
    if (asset) touched += asset.run({ seen, key, utc, connection, id }).changes;
    for (const s of scopes) scope.run({ seen, key, utc, connection, id, ...s });
  }
  return touched;
}
