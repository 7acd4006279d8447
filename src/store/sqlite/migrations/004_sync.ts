import type { Migration } from '../../migration.js';

/**
 * The sync engine (docs/sync.md): one table per stream, keyed by connection first so several tenants can
 * share a store; checkpoints, settings, run history and quarantine.
 *
 * Every stream row carries `seen_gen` (the collection generation that last saw it: the mark of
 * mark-and-sweep), `created_run` and `changed_run` (the sync run that inserted it and that last changed
 * a value in it, for the added/updated counts and for consumers who want "what changed").
 * Finding tables are WITHOUT ROWID: their rows are small and always reached by their key.
 */
export const migration004: Migration = {
  version: 4,
  name: 'sync',
  sql: `
    CREATE TABLE assets (
      connection          TEXT NOT NULL,
      endpoint_id         TEXT NOT NULL,
      computer_id         TEXT,
      name                TEXT COLLATE NOCASE,
      domain_name         TEXT,
      serial_number       TEXT COLLATE NOCASE,
      system_uuid         TEXT,
      manufacturer        TEXT,
      model               TEXT,
      chassis_type        TEXT,
      is_virtual          INTEGER,
      is_encrypted        INTEGER,
      os_name             TEXT,
      os_generation       TEXT,
      os_platform         TEXT,
      os_language         TEXT,
      ip_address          TEXT,
      ip_addresses        TEXT,
      mac_addresses       TEXT,
      namespace           TEXT,
      last_logged_in_user TEXT,
      user_name           TEXT,
      user_email          TEXT COLLATE NOCASE,
      user_department     TEXT,
      memory_total        TEXT,
      processor_cpu       TEXT,
      first_seen          TEXT,
      last_seen           TEXT,
      risk_score          INTEGER,
      risk_level          TEXT,
      asset_criticality   TEXT,
      seen_gen            INTEGER NOT NULL,
      created_run         INTEGER NOT NULL,
      changed_run         INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id)
    ) STRICT;
    CREATE INDEX assets_serial_number ON assets (serial_number);
    CREATE INDEX assets_name ON assets (name);
    CREATE INDEX assets_computer_id ON assets (computer_id);

    CREATE TABLE asset_addresses (
      connection  TEXT NOT NULL,
      address     TEXT NOT NULL COLLATE NOCASE,
      endpoint_id TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('ip', 'mac')),
      PRIMARY KEY (connection, address, endpoint_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX asset_addresses_endpoint ON asset_addresses (connection, endpoint_id);

    CREATE TABLE vulnerabilities (
      connection             TEXT NOT NULL,
      endpoint_id            TEXT NOT NULL,
      cve_id                 TEXT NOT NULL,
      cve_year               TEXT,
      cvss_score             REAL,
      cvss_score_v3          REAL,
      severity               TEXT,
      severity_v3            TEXT,
      summary                TEXT,
      first_found            TEXT,
      last_found             TEXT,
      absolute_first_found   TEXT,
      is_cisa_kev            INTEGER,
      excepted               INTEGER,
      epss_score             REAL,
      seen_gen               INTEGER NOT NULL,
      created_run            INTEGER NOT NULL,
      changed_run            INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id, cve_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE compliance (
      connection       TEXT NOT NULL,
      endpoint_id      TEXT NOT NULL,
      finding_id       TEXT NOT NULL,
      rule_id          TEXT,
      rule             TEXT,
      category         TEXT,
      state            TEXT,
      standard         TEXT,
      standard_version TEXT,
      profile          TEXT,
      profile_version  TEXT,
      first_found      TEXT,
      last_scan        TEXT,
      excepted         INTEGER,
      seen_gen         INTEGER NOT NULL,
      created_run      INTEGER NOT NULL,
      changed_run      INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id, finding_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sensor_readings (
      connection  TEXT NOT NULL,
      endpoint_id TEXT NOT NULL,
      sensor      TEXT NOT NULL,
      row_index   INTEGER NOT NULL,
      columns     TEXT NOT NULL,
      seen_gen    INTEGER NOT NULL,
      created_run INTEGER NOT NULL,
      changed_run INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id, sensor, row_index)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sync_settings (
      connection       TEXT PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      sensors          TEXT NOT NULL DEFAULT '[]',
      margin_ms        INTEGER NOT NULL DEFAULT 600000,
      reconcile_every  INTEGER NOT NULL DEFAULT 24,
      updated_at       TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sync_checkpoints (
      connection            TEXT NOT NULL,
      stream                TEXT NOT NULL,
      generation            INTEGER NOT NULL,
      mode                  TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
      status                TEXT NOT NULL CHECK (status IN ('running', 'complete')),
      cursor                TEXT,
      since                 TEXT,
      pass_max_seen         TEXT,
      watermark             TEXT,
      incrementals          INTEGER NOT NULL DEFAULT 0,
      page_size             INTEGER NOT NULL DEFAULT 100,
      pages                 INTEGER NOT NULL DEFAULT 0,
      run_id                INTEGER NOT NULL,
      last_full_at          TEXT,
      updated_at            TEXT NOT NULL,
      PRIMARY KEY (connection, stream)
    ) STRICT;

    CREATE TABLE sync_runs (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      connection   TEXT NOT NULL,
      mode         TEXT NOT NULL,
      streams      TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      summary      TEXT,
      error        TEXT
    ) STRICT;
    CREATE INDEX sync_runs_connection ON sync_runs (connection, id);

    CREATE TABLE quarantine (
      connection  TEXT NOT NULL,
      stream      TEXT NOT NULL,
      record_key  TEXT NOT NULL,
      reason      TEXT NOT NULL,
      raw         TEXT NOT NULL,
      run_id      INTEGER NOT NULL,
      created_at  TEXT NOT NULL,
      PRIMARY KEY (connection, stream, record_key)
    ) STRICT;
  `,
};
