import type { Migration } from '../../migration.js';

/**
 * The Cloudflare posture provider's team (as its issuer URL) and application AUD tag, stored through
 * the API (docs/posture.md). Every change is a version with who and when; a clear is a version with
 * both values null, so the newest row alone says what is in force.
 */
export const migration014: Migration = {
  version: 14,
  name: 'cloudflare_settings',
  sql: `
    CREATE TABLE cloudflare_settings (
      version     INTEGER PRIMARY KEY,
      issuer      TEXT,
      audience    TEXT,
      changed_by  TEXT NOT NULL,
      changed_at  TEXT NOT NULL,
      CHECK ((issuer IS NULL) = (audience IS NULL))
    ) STRICT;
  `,
};
