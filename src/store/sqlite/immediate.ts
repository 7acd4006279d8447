import type { Database } from 'better-sqlite3';

/**
 * Runs synchronous `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken at the start
 * (waiting up to busy_timeout for other processes), so two writers never both read, then both write.
 * better-sqlite3 rolls back when `fn` throws. Nested calls become savepoints.
 */
export function immediate<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
