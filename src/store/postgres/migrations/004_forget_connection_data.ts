import type { Migration } from '../../migration.js';

/** The tables of a connection's synced data, whose rows name it but have no foreign key to it. */
const SYNCED = [
  'assets',
  'asset_addresses',
  'sensor_rows',
  'vulnerability_findings',
  'compliance_findings',
  'scope_answers',
  'quarantine',
  'sync_checkpoints',
  'sync_runs',
  'posture_facts',
] as const;

/**
 * Removing a connection removes its synced data in the same transaction, as SQLite's migration 15
 * does. The stream tables have no foreign key to `connections` (a key check on every one of a page's
 * rows would cost the page writer), so a trigger gives them the cascade. The audit trails
 * (`rotation_audit`, `request_audit`) are kept on purpose: they record what was done.
 */
export const migration004: Migration = {
  version: 4,
  name: 'forget_connection_data',
  sql: `
    CREATE FUNCTION forget_connection_data() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${SYNCED.map((table) => `DELETE FROM ${table} WHERE connection = OLD.name COLLATE "C";`).join('\n      ')}
      RETURN NULL;
    END $$;
    CREATE TRIGGER connections_forget_synced_data AFTER DELETE ON connections
      FOR EACH ROW EXECUTE FUNCTION forget_connection_data();
  `,
};
