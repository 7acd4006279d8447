import { join } from 'node:path';
import { ensureHome } from '../common/home.js';
import { isPathError, pathProblem } from '../common/pathProblem.js';
import { Problem } from '../common/problem.js';
import { SqliteStore } from './sqlite/sqliteStore.js';
import type { Store } from './store.js';

/** The database file inside the home folder. */
export const DATABASE_FILE = 'bridge.db';

/** SQLite's answers for a file it cannot use as a database, in words. */
const SQLITE_REASONS: Record<string, string> = {
  SQLITE_NOTADB: 'it is not a SQLite database',
  SQLITE_CORRUPT: 'it is damaged',
  SQLITE_CANTOPEN: 'it cannot be opened',
  SQLITE_READONLY: 'it is read-only',
  SQLITE_PERM: 'permission denied',
  SQLITE_FULL: 'the disk is full',
};

/**
 * Opens the store for a home folder, migrating it if needed. Today that is SQLite at
 * `HOME/bridge.db`; a PostgreSQL URL option is planned to choose another store here.
 * A file that cannot be used becomes one `database_unreadable` problem naming it.
 */
export async function openStore(home: string): Promise<Store> {
  ensureHome(home);
  const file = join(home, DATABASE_FILE);
  try {
    return SqliteStore.open(file);
  } catch (error) {
    throw databaseProblem(error, file);
  }
}

function databaseProblem(error: unknown, file: string): unknown {
  if (isPathError(error))
    return pathProblem(error, { code: 'database_unreadable', what: 'the database', path: file });
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    typeof code === 'string'
      ? (SQLITE_REASONS[code] ?? (code.startsWith('SQLITE_IOERR') ? 'it cannot be read' : undefined))
      : undefined;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY'))
    return new Problem({
      code: 'database_busy',
      kind: 'unavailable',
      message: `The database ${file} stayed locked by another process while this one opened it.`,
      fix: 'Try again in a moment, or stop the other tanium-bridge process using this home.',
      details: { path: file },
      cause: error,
    });
  if (reason === undefined) return error;
  return new Problem({
    code: 'database_unreadable',
    kind: 'unavailable',
    message: `Cannot open the database ${file}: ${reason}.`,
    fix: 'Move it aside and connect again, or restore it from a backup.',
    details: { path: file, reason },
    cause: error,
  });
}
