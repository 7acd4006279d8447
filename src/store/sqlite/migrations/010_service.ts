import type { Migration } from '../../migration.js';

/**
 * The service (`serve`): API keys (only a hash of each key is kept), the web UI's admin password (a
 * scrypt hash) and sessions (a hash of each cookie), the audit log of module requests (sizes and hashes
 * of bodies, never bodies or tokens), and the scheduler's job table. The audit has no foreign key so
 * that the history of a removed connection survives it; jobs go with their connection.
 */
export const migration010: Migration = {
  version: 10,
  name: 'service',
  sql: `
    CREATE TABLE api_keys (
      id           TEXT PRIMARY KEY,
      name         TEXT NOT NULL UNIQUE,
      role         TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
      secret_hash  TEXT NOT NULL,
      created_at   TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at   TEXT
    ) STRICT;

    CREATE TABLE admin_credentials (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      password_hash TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) STRICT;

    CREATE TABLE web_sessions (
      id_hash    TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE request_audit (
      id             INTEGER PRIMARY KEY,
      at             TEXT NOT NULL,
      actor          TEXT NOT NULL,
      connection     TEXT NOT NULL,
      module         TEXT NOT NULL,
      method         TEXT NOT NULL,
      path           TEXT NOT NULL,
      status         INTEGER,
      duration_ms    INTEGER NOT NULL,
      request_bytes  INTEGER NOT NULL,
      request_sha256 TEXT,
      response_bytes INTEGER,
      outcome        TEXT NOT NULL,
      error          TEXT
    ) STRICT;
    CREATE INDEX request_audit_by_connection ON request_audit (connection, id);

    CREATE TABLE jobs (
      connection       TEXT NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      job              TEXT NOT NULL,
      every_ms         INTEGER,
      next_run_at      INTEGER,
      last_started_at  TEXT,
      last_finished_at TEXT,
      last_outcome     TEXT,
      last_error       TEXT,
      failures         INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (connection, job)
    ) STRICT;
  `,
};
