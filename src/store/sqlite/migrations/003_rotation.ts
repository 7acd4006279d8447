import type { Migration } from '../../migration.js';

/**
 * Token rotation (docs/rotation.md): one state row per connection (the persisted state machine, token ids and
 * expiry, never a token string) and an audit trail of every attempt. The audit has no foreign key so
 * that the history of a removed connection survives it. The `pending` secret slot needs no schema
 * change: `secrets.slot` is free text.
 */
export const migration003: Migration = {
  version: 3,
  name: 'rotation',
  sql: `
    CREATE TABLE rotation_state (
      connection_name   TEXT PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      phase             TEXT NOT NULL,
      attempt_id        TEXT,
      method            TEXT,
      attempt_started_at TEXT,
      old_token_id      TEXT,
      new_token_id      TEXT,
      pending_created   TEXT,
      pending_expiration TEXT,
      token_id          TEXT,
      token_created     TEXT,
      token_expiration  TEXT,
      clock_offset_ms   INTEGER,
      last_attempt_at   TEXT,
      last_success_at   TEXT,
      last_outcome      TEXT,
      last_error        TEXT,
      updated_at        TEXT NOT NULL
    ) STRICT;

    CREATE TABLE rotation_audit (
      attempt_id      TEXT PRIMARY KEY,
      connection_name TEXT NOT NULL,
      started_at      TEXT NOT NULL,
      finished_at     TEXT,
      method          TEXT NOT NULL,
      old_token_id    TEXT,
      new_token_id    TEXT,
      outcome         TEXT NOT NULL,
      error           TEXT
    ) STRICT;
    CREATE INDEX rotation_audit_by_connection ON rotation_audit (connection_name, started_at);
  `,
};
