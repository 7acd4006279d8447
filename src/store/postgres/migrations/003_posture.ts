import type { Migration } from '../../migration.js';

const T = 'text COLLATE "C"';

/**
 * Device posture on PostgreSQL (docs/posture.md): SQLite's migrations 12 and 13 in one step. The asset
 * lookups' indexes come with the assets table (migration 2). `posture_facts` holds one row per endpoint,
 * computed after each complete sync; `posture_policies` keeps every version; group membership is
 * replaced whole after each complete sync and goes with its connection.
 */
export const migration003: Migration = {
  version: 3,
  name: 'posture',
  sql: `
    CREATE TABLE posture_facts (
      connection        ${T} NOT NULL,
      endpoint_id       ${T} NOT NULL,
      max_cvss          double precision,
      kev_cves          jsonb NOT NULL DEFAULT '[]',
      failed_compliance jsonb NOT NULL DEFAULT '[]',
      refreshed_at      ${T} NOT NULL,
      PRIMARY KEY (connection, endpoint_id)
    );

    CREATE TABLE posture_policies (
      name       ${T} NOT NULL,
      version    integer NOT NULL,
      format     ${T} NOT NULL CHECK (format IN ('yaml', 'json')),
      source     text NOT NULL,
      created_by ${T} NOT NULL,
      created_at ${T} NOT NULL,
      PRIMARY KEY (name, version)
    );

    CREATE TABLE posture_group_refreshes (
      connection   ${T} PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      groups       jsonb NOT NULL DEFAULT '[]',
      capped       boolean NOT NULL DEFAULT false,
      refreshed_at ${T} NOT NULL
    );

    CREATE TABLE posture_group_members (
      connection  ${T} NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      endpoint_id ${T} NOT NULL,
      group_name  ${T} NOT NULL,
      PRIMARY KEY (connection, endpoint_id, group_name)
    );
  `,
};
