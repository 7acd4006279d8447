import type { Migration } from '../../migration.js';

/**
 * Drops migration 4's indexes on `assets (serial_number)`, `(name)` and `(computer_id)`. Every reader
 * names its connection, and migration 12's `(connection, serial_number)`, `(connection, computer_id)`
 * and `(connection, name)` serve those lookups (test/store/posturePlans.test.ts); the three older ones
 * were only written. Their values arrive in no order, so each page's asset inserts dirtied leaves all
 * over three more B-trees, and the commit and checkpoint copied those pages: writing 20,000 assets in
 * pages of 200 took about 40% less CPU without them (docs/sync.md, "SQLite write CPU").
 */
export const migration017: Migration = {
  version: 17,
  name: 'assets_lookup_indexes',
  sql: `
    DROP INDEX IF EXISTS assets_serial_number;
    DROP INDEX IF EXISTS assets_name;
    DROP INDEX IF EXISTS assets_computer_id;
  `,
};
