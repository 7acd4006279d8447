import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Synced assets of a home, to pick devices from (read-only). */
export function syncedAssets(home: string) {
  const db = new Database(join(home, 'bridge.db'), { readonly: true });
  try {
    return (
      db
        .prepare(
          `SELECT endpoint_id, serial_number, name, mac_addresses FROM assets
           WHERE mac_addresses <> '[]' ORDER BY endpoint_id LIMIT 10`,
        )
        .all() as { endpoint_id: string; serial_number: string; name: string; mac_addresses: string }[]
    ).map((r) => ({ ...r, mac_addresses: JSON.parse(r.mac_addresses) as string[] }));
  } finally {
    db.close();
  }
}
