import { join } from 'node:path';
import { ensureHome } from '../common/home.js';
import { SqliteStore } from './sqlite/sqliteStore.js';
import type { Store } from './store.js';

/** The database file inside the home folder. */
export const DATABASE_FILE = 'bridge.db';

/**
 * Opens the store for a home folder, migrating it if needed. Today that is SQLite at
 * `HOME/bridge.db`; a PostgreSQL URL option will choose `src/store/postgres/` here later.
 */
export async function openStore(home: string): Promise<Store> {
  ensureHome(home);
  return SqliteStore.open(join(home, DATABASE_FILE));
}
