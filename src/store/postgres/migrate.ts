import type { Pool, PoolClient } from 'pg';
import { UserError } from '../../common/userError.js';
import type { Migration } from '../migration.js';

/** First key of the advisory lock every tanium-bridge migration takes (the second is the schema's hash). */
const MIGRATION_LOCK = 0x7462_6d67; // "tbmg"

/**
 * Brings the schema up to date. The work runs under a session advisory lock keyed by the schema, so
 * when several processes start at once one migrates and the others wait, then find every version
 * recorded and apply nothing. Each migration commits with its `schema_migrations` row, so a failure
 * leaves the versions before it in place. `schema` (from `?schema=NAME`) is created first, under the
 * same lock. Returns the versions this call applied.
 */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[],
  schema: string | undefined,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    const lockName = schema ?? '(default)';
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, lockName]);
    try {
      // Checked first: CREATE … IF NOT EXISTS still needs the CREATE privilege, which a user that only
      // runs an already migrated store need not have.
      if (schema !== undefined && !(await exists(client, 'to_regnamespace', schema)))
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return await applyPending(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, lockName]);
    }
  } finally {
    client.release();
  }
}

async function exists(client: PoolClient, lookup: 'to_regnamespace' | 'to_regclass', name: string) {
  const result = await client.query<{ found: boolean }>(`SELECT ${lookup}($1) IS NOT NULL AS found`, [name]);
  return result.rows[0]?.found === true;
}

async function applyPending(client: PoolClient, migrations: readonly Migration[]): Promise<number[]> {
  if (!(await exists(client, 'to_regclass', 'schema_migrations')))
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const done = new Set(await appliedVersions(client));
  const newest = Math.max(0, ...done);
  if (newest > migrations.length)
    throw new UserError(
      `The database schema is at version ${newest}, newer than this tanium-bridge knows (${migrations.length}): upgrade tanium-bridge`,
    );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}

/** The versions recorded in `schema_migrations`, ascending. */
export async function appliedVersions(client: Pick<PoolClient, 'query'>): Promise<number[]> {
  const result = await client.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return result.rows.map((row) => row.version);
}
