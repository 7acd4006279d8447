import type { Migration } from '../../migration.js';

/**
 * Computer group membership for posture's `computerGroup` check (docs/posture.md).
 *
 * Read from the Gateway after each complete sync run and replaced whole, in one transaction
 * (src/posture/refreshGroups.ts). `posture_group_refreshes` says that membership is known at all, which
 * groups were read (JSON list of names) and whether the tenant had more than the cap; a decision reads
 * it and the endpoint's member rows by key. Both go with their connection (ON DELETE CASCADE).
 */
export const migration013: Migration = {
  version: 13,
  name: 'posture_groups',
  sql: `
    CREATE TABLE posture_group_refreshes (
      connection    TEXT PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      groups        TEXT NOT NULL DEFAULT '[]',
      capped        INTEGER NOT NULL DEFAULT 0,
      refreshed_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE posture_group_members (
      connection   TEXT NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      endpoint_id  TEXT NOT NULL,
      group_name   TEXT NOT NULL,
      PRIMARY KEY (connection, endpoint_id, group_name)
    ) STRICT, WITHOUT ROWID;
  `,
};
