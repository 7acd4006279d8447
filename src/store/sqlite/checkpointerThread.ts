/** What the store's thread asks the checkpoint thread. */
export type CheckpointAsk = { kind: 'checkpoint' } | { kind: 'close' };

/** The checkpoint thread's answer to each `checkpoint` ask: copied, or dropped on an error. */
export interface CheckpointDone {
  kind: 'done';
  ok: boolean;
}

/** What the thread is started with. */
export interface CheckpointThreadData {
  /** better-sqlite3's entry point, resolved by the store's module (the thread has no module of its own). */
  driver: string;
  /** The database file, absolute. */
  file: string;
}

/**
 * The checkpoint thread's code, run with `eval` (CommonJS): the tests run the TypeScript sources, and
 * Node 20 cannot start a worker from a `.ts` file, while a string runs the same from `src/` and `dist/`.
 * Its own connection to the store's file, opened at the first ask, runs `wal_checkpoint(PASSIVE)` per
 * ask: PASSIVE never takes the write lock nor waits for one, so the store's connection writes on beside
 * it. synchronous=FULL on this connection too: the checkpoint flushes the log before copying it into
 * the database file and the file after (a checkpoint at OFF could lose committed pages to a power cut).
 * An error (SQLITE_BUSY, a file gone) drops the ask, answered `ok: false` and never thrown: the next ask,
 * or SQLite's automatic checkpoint in a commit, copies the log instead. Nothing is logged.
 */
export const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
function checkpoint() {
  try {
    if (!db) {
      db = new Database(workerData.file, { fileMustExist: true, timeout: 1000 });
      db.pragma('synchronous = FULL');
    }
    db.pragma('wal_checkpoint(PASSIVE)');
    return true;
  } catch {
    try { db?.close(); } catch {}
    db = undefined;
    return false;
  }
}
parentPort.on('message', (ask) => {
  if (ask.kind === 'checkpoint') parentPort.postMessage({ kind: 'done', ok: checkpoint() });
  else if (ask.kind === 'close') {
    try { db?.close(); } catch {}
    db = undefined;
    parentPort.close();
  }
});
`;
