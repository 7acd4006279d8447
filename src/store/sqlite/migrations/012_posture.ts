import type { Migration } from '../../migration.js';

/**
 * Device posture (docs/posture.md).
 *
 * Lookups by serial number, computer ID and host name are keyed by connection first, so one
 * connection's answer never scans another's rows; a host name without its domain is a range on the
 * same index (`name >= 'ws-1.' AND name < 'ws-1/'`).
 *
 * `posture_facts` holds what a decision needs from the finding tables, one row per endpoint, computed
 * after each complete sync run (src/posture/refreshFacts.ts): reading two rows by key is what keeps a
 * decision within tens of microseconds on a 100,000-endpoint store.
 *
 * `posture_policies` keeps every version of every stored policy with who saved it and when.
 */
export const migration012: Migration = {
  version: 12,
  name: 'posture',
  sql: `
    CREATE INDEX assets_posture_serial ON assets (connection, serial_number);
    CREATE INDEX assets_posture_computer ON assets (connection, computer_id);
    CREATE INDEX assets_posture_name ON assets (connection, name);

    CREATE TABLE posture_facts (
      connection        TEXT NOT NULL,
      endpoint_id       TEXT NOT NULL,
      max_cvss          REAL,
      kev_cves          TEXT NOT NULL DEFAULT '[]',
      failed_compliance TEXT NOT NULL DEFAULT '[]',
      refreshed_at      TEXT NOT NULL,
      PRIMARY KEY (connection, endpoint_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE posture_policies (
      name        TEXT NOT NULL,
      version     INTEGER NOT NULL,
      format      TEXT NOT NULL CHECK (format IN ('yaml', 'json')),
      source      TEXT NOT NULL,
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      PRIMARY KEY (name, version)
    ) STRICT;
  `,
};
