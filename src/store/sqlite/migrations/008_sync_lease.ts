import type { Migration } from '../../migration.js';

/**
 * One sync per connection (lease `sync:<name>`), resumable passes and request timeouts.
 *
 * - `sync_runs` gains `interrupted` (a run whose process died or lost its lease), the lease `owner` that
 *   ran it (`host:pid:uuid`), and `pages`/`heartbeat_at` so that "who is syncing, how far" can be told
 *   from the store. SQLite cannot change a CHECK constraint in place, so the table is rebuilt; ids are
 *   kept. Runs left `running` by older versions are marked `interrupted` (nothing runs during a
 *   migration: it holds the write lock).
 * - `sync_checkpoints.resume_key`: the last endpoint id committed by the pass, in the pass's id order;
 *   when the Gateway cursor is gone, the pass continues after it instead of starting again.
 * - `sync_settings.headers_timeout_ms` / `body_timeout_ms`: per-connection request timeouts (null: the
 *   SDK's defaults).
 */
export const migration008: Migration = {
  version: 8,
  name: 'sync_lease',
  sql: `
    CREATE TABLE sync_runs_new (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      connection   TEXT NOT NULL,
      mode         TEXT NOT NULL,
      streams      TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      summary      TEXT,
      error        TEXT,
      owner        TEXT,
      pages        INTEGER NOT NULL DEFAULT 0,
      heartbeat_at TEXT
    ) STRICT;
    INSERT INTO sync_runs_new (id, connection, mode, streams, status, started_at, finished_at, summary, error)
      SELECT id, connection, mode, streams,
        CASE status WHEN 'running' THEN 'interrupted' ELSE status END,
        started_at, finished_at, summary,
        CASE status WHEN 'running' THEN 'the process running it stopped before it finished' ELSE error END
      FROM sync_runs;
    DROP TABLE sync_runs;
    ALTER TABLE sync_runs_new RENAME TO sync_runs;
    CREATE INDEX sync_runs_connection ON sync_runs (connection, id);
    CREATE INDEX sync_runs_running ON sync_runs (connection) WHERE status = 'running';

    ALTER TABLE sync_checkpoints ADD COLUMN resume_key TEXT;

    ALTER TABLE sync_settings ADD COLUMN headers_timeout_ms INTEGER;
    ALTER TABLE sync_settings ADD COLUMN body_timeout_ms INTEGER;
  `,
};
