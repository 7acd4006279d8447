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

/** The environment variable that names a PostgreSQL database instead of the home folder's SQLite file. */
export const DB_ENV = 'TANIUM_BRIDGE_DB';

export interface OpenStoreOptions {
  /**
   * `--db`: a `postgres://` or `postgresql://` URL opens PostgreSQL (optionally `?schema=NAME`);
   * undefined or empty opens SQLite at `HOME/bridge.db`. Anything else is `database_url_invalid`.
   */
  db?: string | undefined;
}

/** The database a command uses: `--db`, else `TANIUM_BRIDGE_DB`, else none (SQLite in the home). */
export function resolveDb(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = explicit ?? env[DB_ENV];
  return chosen === undefined || chosen.trim() === '' ? undefined : chosen.trim();
}

/**
 * Opens the store for a home folder, migrating it if needed: SQLite at `HOME/bridge.db` by default,
 * or the PostgreSQL database `options.db` names. The home folder is used either way (it holds the
 * vault's master key). The PostgreSQL store is imported only when asked for, so that commands on
 * SQLite never load `pg`. A file that cannot be used becomes one `database_unreadable` problem
 * naming it; a server that cannot be used, one `database_unreachable` problem.
 */
export async function openStore(home: string, options: OpenStoreOptions = {}): Promise<Store> {
  ensureHome(home);
  const db = options.db === undefined || options.db.trim() === '' ? undefined : options.db.trim();
  if (db !== undefined) {
    const { PostgresStore } = await import('./postgres/postgresStore.js');
    return PostgresStore.open(db);
  }
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
