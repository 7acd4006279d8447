import { assertOrdered, type Migration } from '../../migration.js';
import { migration001 } from './001_connections.js';

/** Every SQLite migration, in order. Append; never edit or reorder a released one. */
export const sqliteMigrations: readonly Migration[] = [migration001];

assertOrdered(sqliteMigrations);
