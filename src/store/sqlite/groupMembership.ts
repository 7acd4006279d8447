import type { Database } from 'better-sqlite3';
import type { GroupMembershipInput } from '../posture.js';
import { prepared } from './prepared.js';

/**
 * The stored members, one row per group with its ids as a JSON list: SQLite builds 8 strings faster
 * than better-sqlite3 hands over 65,000 rows (about 40 ms against 100-200 ms on the shared box). Raw
 * rows ([group, ids]): this SQL text is used in raw mode only (prepared.ts).
 */
const STORED = `SELECT group_name, json_group_array(endpoint_id) FROM posture_group_members
  WHERE connection = ? GROUP BY group_name`;

/** Each group's member ids, repeated groups and ids merged (the rows' primary key makes them one). */
function byGroup(m: GroupMembershipInput): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const { group, endpointIds } of m.members) {
    const ids = wanted.get(group) ?? new Set<string>();
    wanted.set(group, ids);
    for (const id of endpointIds) ids.add(id);
  }
  return wanted;
}

/**
 * The connection's membership, replaced in one transaction (a reader sees the old or the new): the
 * stored rows are read and only those that differ are deleted or inserted, so a membership that did
 * not change (most runs: docs/sync.md, "Computer group membership: when it can change") costs one read
 * of its rows instead of deleting and inserting them all. The rows left are the new membership exactly.
 */
export function replaceGroups(db: Database, connection: string, m: GroupMembershipInput, now: string): void {
  const replace = db.transaction(() => {
    const wanted = byGroup(m);
    const remove = prepared(
      db,
      'DELETE FROM posture_group_members WHERE connection = ? AND endpoint_id = ? AND group_name = ?',
    );
    const stored = prepared(db, STORED).raw(true).all(connection) as [string, string][];
    for (const [group, list] of stored) {
      const ids = wanted.get(group);
      // Still a member: nothing to write, and nothing to insert for it below.
      for (const id of JSON.parse(list) as string[]) if (!ids?.delete(id)) remove.run(connection, id, group);
    }
    const insert = prepared(
      db,
      'INSERT INTO posture_group_members (connection, endpoint_id, group_name) VALUES (?, ?, ?)',
    );
    for (const [group, ids] of wanted) for (const id of ids) insert.run(connection, id, group);
    prepared(
      db,
      `INSERT INTO posture_group_refreshes (connection, groups, capped, refreshed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (connection) DO UPDATE SET groups = excluded.groups, capped = excluded.capped,
         refreshed_at = excluded.refreshed_at`,
    ).run(connection, JSON.stringify(m.groups), m.capped ? 1 : 0, now);
  });
  replace.immediate();
}
