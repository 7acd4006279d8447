import type { Migration } from '../../migration.js';

/**
 * Grant-then-revoke rotation (docs/rotation.md): what the last grant attempt learned about the
 * persona (`grant_capability` is `allowed` or `refused`, `grant_checked_at` when), so that later runs
 * use the exchange directly until the next re-check; and the old token's expiry, so that a report can
 * say until when an old token that could not be revoked stays valid. Existing rows start unknown.
 */
export const migration007: Migration = {
  version: 7,
  name: 'rotation_grant',
  sql: `
    ALTER TABLE rotation_state ADD COLUMN grant_capability TEXT;
    ALTER TABLE rotation_state ADD COLUMN grant_checked_at TEXT;
    ALTER TABLE rotation_state ADD COLUMN old_token_expiration TEXT;
  `,
};
