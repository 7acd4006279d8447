import type { Database } from 'better-sqlite3';

/**
 * Runs synchronous `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken at the start
 * (waiting up to busy_timeout for other processes), so two writers never both read, then both write.
 * better-sqlite3 rolls back when `fn` throws. Nested calls become savepoints.
 */
export function immediate<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * `immediate`, committed at `synchronous = NORMAL`: the commit appends to the write-ahead log without
 * waiting for an fsync. For sync pages only, whose loss to a power cut the next run repairs (it resumes
 * from the last page that survived, the checkpoint being in the page's transaction); WAL recovery keeps
 * a prefix of the commits, and the next FULL commit (the run's finish, any rotation write) flushes every
 * earlier one with it (docs/store.md, "Durability of sync pages"). SQLite refuses the change inside a
 * transaction, so it is made around the whole transaction and undone in the same synchronous call:
 * nothing queued behind it on this connection ever runs at NORMAL. Inside a caller's transaction the
 * caller's commit decides, at FULL. `exec`, not a cached statement: SQLite applies this pragma when
 * it compiles it, so a prepared one run again changes nothing.
 */
export function immediatePage<T>(db: Database, fn: () => T): T {
  if (db.inTransaction) return immediate(db, fn);
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return immediate(db, fn);
  } finally {
    db.exec('PRAGMA synchronous = FULL');
  }
}
