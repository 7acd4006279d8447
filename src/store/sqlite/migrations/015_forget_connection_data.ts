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
 * Removing a connection removes its synced data in the same transaction. The stream tables were made
 * without a foreign key to `connections` (their key leads with the connection name), so rows outlived a
 * removed connection, and a new connection of the same name would have started from the old tenant's
 * rows, checkpoints and run history. A trigger gives them the cascade the other tables have. The audit
 * trails (`rotation_audit`, `request_audit`) are kept on purpose: they record what was done.
 */
export const migration015: Migration = {
  version: 15,
  name: 'forget_connection_data',
  sql: `
    ${SYNCED.map((table) => `DELETE FROM ${table} WHERE connection NOT IN (SELECT name FROM connections);`).join('\n    ')}
    CREATE TRIGGER connections_forget_synced_data AFTER DELETE ON connections BEGIN
      ${SYNCED.map((table) => `DELETE FROM ${table} WHERE connection = OLD.name;`).join('\n      ')}
    END;
  `,
};
