import type { Migration } from '../../migration.js';

/**
 * The Gateway schema each connection's tenant answered to introspection (the types the product reads
 * and their fields), so `check` and sync build their documents from what exists; removed with the
 * connection.
 */
export const migration011: Migration = {
  version: 11,
  name: 'gateway_schemas',
  sql: `
    CREATE TABLE gateway_schemas (
      connection  TEXT PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      fetched_at  TEXT NOT NULL,
      types       TEXT NOT NULL
    ) STRICT;
  `,
};
