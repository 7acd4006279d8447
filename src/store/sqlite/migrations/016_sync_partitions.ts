import type { Migration } from '../../migration.js';

/**
 * Parallel cursors (docs/sync.md, "Parallel cursors"): a pass may read K disjoint Gateway collections
 * at once, each with its own position.
 *
 * - `sync_checkpoints.partitions`: how many collections the stream's pass reads (1: one collection,
 *   whose position stays in `cursor` and `resume_key`, as before).
 * - `sync_partitions`: one row per stream and partition that committed a page in the pass, with that
 *   partition's cursor, last committed endpoint id, pages and whether its last page is in. Rows belong
 *   to the checkpoint's generation; a new pass or a completed one clears them. They go with their
 *   checkpoint (and so with the connection: migration 15 removes the checkpoints).
 */
export const migration016: Migration = {
  version: 16,
  name: 'sync_partitions',
  sql: `
    ALTER TABLE sync_checkpoints ADD COLUMN partitions INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE sync_partitions (
      connection  TEXT NOT NULL,
      stream      TEXT NOT NULL,
      part        INTEGER NOT NULL,
      generation  INTEGER NOT NULL,
      cursor      TEXT,
      resume_key  TEXT,
      pages       INTEGER NOT NULL DEFAULT 0,
      done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
      PRIMARY KEY (connection, stream, part),
      FOREIGN KEY (connection, stream) REFERENCES sync_checkpoints (connection, stream) ON DELETE CASCADE
    ) STRICT;
  `,
};
