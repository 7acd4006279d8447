import type { Migration } from '../../migration.js';

/** Named, expiring locks (see LeaseRepository); expires_at is epoch milliseconds. */
export const migration002: Migration = {
  version: 2,
  name: 'leases',
  sql: `
    CREATE TABLE leases (
      key        TEXT PRIMARY KEY,
      owner      TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT;
  `,
};
