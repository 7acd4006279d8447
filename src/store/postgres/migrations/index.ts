import { assertOrdered, type Migration } from '../../migration.js';
import { migration001 } from './001_core.js';
import { migration002 } from './002_sync.js';
import { migration003 } from './003_posture.js';
import { migration004 } from './004_forget_connection_data.js';
import { migration005 } from './005_sync_partitions.js';

/**
 * Every PostgreSQL migration, in order: its own numbering, independent of SQLite's (PostgreSQL starts
 * at the current schema). 001 holds the core tables; the stream, sync, posture and row-query tables
 * follow from 002. Append; never edit or reorder a released one.
 */
export const postgresMigrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
];

assertOrdered(postgresMigrations);
