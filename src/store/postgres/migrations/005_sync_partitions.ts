import type { Migration } from '../../migration.js';

/**
 * Parallel cursors (docs/sync.md, "Parallel cursors"), as SQLite's migration 16: the number of disjoint
 * collections a stream's pass reads, and each partition's position (cursor, last committed endpoint id,
 * pages, done) for the checkpoint's generation. Partition rows go with their checkpoint, and so with the
 * connection (migration 004 removes the checkpoints).
 */
export const migration005: Migration = {
  version: 5,
  name: 'sync_partitions',
  sql: `
    ALTER TABLE sync_checkpoints ADD COLUMN partitions integer NOT NULL DEFAULT 1;
    CREATE TABLE sync_partitions (
      connection  text COLLATE "C" NOT NULL,
      stream      text COLLATE "C" NOT NULL,
      part        integer NOT NULL,
      generation  integer NOT NULL,
      cursor      text COLLATE "C",
      resume_key  text COLLATE "C",
      pages       integer NOT NULL DEFAULT 0,
      done        boolean NOT NULL DEFAULT false,
      PRIMARY KEY (connection, stream, part),
      FOREIGN KEY (connection, stream) REFERENCES sync_checkpoints (connection, stream) ON DELETE CASCADE
    );
  `,
};
