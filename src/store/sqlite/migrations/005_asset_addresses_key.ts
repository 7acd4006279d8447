import type { Migration } from '../../migration.js';

/**
 * `asset_addresses` keyed by endpoint first. Migration 4 keyed it `(connection, address, endpoint_id)`
 * with a secondary index on `(connection, endpoint_id)`; without statistics SQLite answered the sync's
 * per-endpoint `DELETE … WHERE connection = ? AND endpoint_id = ?` through the primary key with only
 * `connection` bound, scanning every address of the connection once per endpoint (a 100,000-endpoint
 * sync went quadratic). The table is rebuilt from `assets`, so nothing needs a new sync.
 */
export const migration005: Migration = {
  version: 5,
  name: 'asset_addresses_key',
  sql: `
    DROP TABLE asset_addresses;
    CREATE TABLE asset_addresses (
      connection  TEXT NOT NULL,
      address     TEXT NOT NULL COLLATE NOCASE,
      endpoint_id TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('ip', 'mac')),
      PRIMARY KEY (connection, endpoint_id, address)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX asset_addresses_address ON asset_addresses (connection, address);

    INSERT OR IGNORE INTO asset_addresses (connection, address, endpoint_id, kind)
      SELECT a.connection, j.value, a.endpoint_id, 'ip' FROM assets a, json_each(a.ip_addresses) j
      WHERE a.ip_addresses IS NOT NULL;
    INSERT OR IGNORE INTO asset_addresses (connection, address, endpoint_id, kind)
      SELECT connection, ip_address, endpoint_id, 'ip' FROM assets
      WHERE ip_address IS NOT NULL AND ip_address <> '';
    INSERT OR IGNORE INTO asset_addresses (connection, address, endpoint_id, kind)
      SELECT a.connection, j.value, a.endpoint_id, 'mac' FROM assets a, json_each(a.mac_addresses) j
      WHERE a.mac_addresses IS NOT NULL;
  `,
};
