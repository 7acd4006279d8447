import type { Migration } from '../../migration.js';

/**
 * Connections and their secrets. The secrets table holds only ciphertext (see SealedSecret); the
 * cascade removes a connection's secrets with it. STRICT tables make SQLite enforce column types.
 */
export const migration001: Migration = {
  version: 1,
  name: 'connections',
  sql: `
    CREATE TABLE connections (
      name        TEXT PRIMARY KEY,
      kind        TEXT NOT NULL CHECK (kind IN ('cloud', 'server')),
      address     TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE secrets (
      connection_name TEXT NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      slot            TEXT NOT NULL,
      scheme          TEXT NOT NULL,
      key_id          TEXT NOT NULL,
      wrapped_key     BLOB NOT NULL,
      ciphertext      BLOB NOT NULL,
      updated_at      TEXT NOT NULL,
      PRIMARY KEY (connection_name, slot)
    ) STRICT;
  `,
};
