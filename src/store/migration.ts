/**
 * One schema change. Versions are numbered from 1 without gaps, never edited once released, and
 * recorded in `schema_migrations`; each dialect keeps its own list under `<dialect>/migrations/`,
 * numbered on its own (PostgreSQL started at SQLite's current schema, so its 001 is SQLite's 1-15 core).
 */
export interface Migration {
  version: number;
  name: string;
  /** One or more statements, run inside the migration transaction. */
  sql: string;
}

/** Checks that versions run 1, 2, 3… so a mistake in the list fails at start-up, not in production. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(`migration list out of order at ${migration.name}: expected version ${index + 1}`);
  });
}
