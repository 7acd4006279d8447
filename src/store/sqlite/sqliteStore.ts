import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Store, StoreTx } from '../store.js';
import { SqliteApiKeys } from './apiKeys.js';
import { Checkpointer } from './checkpointer.js';
import { SqliteCloudflareSettings } from './cloudflareSettings.js';
import { SqliteConnections } from './connections.js';
import { SqliteGatewaySchemas } from './gatewaySchemas.js';
import { SqliteJobs } from './jobs.js';
import { SqliteLeases } from './leases.js';
import { migrate } from './migrate.js';
import { sqliteMigrations } from './migrations/index.js';
import { SqlitePosture } from './posture.js';
import { prepared } from './prepared.js';
import { SqliteRequestAudit } from './requestAudit.js';
import { SqliteRotation } from './rotation.js';
import { SqliteRowQuery } from './rowQuery.js';
import { SqliteSecrets } from './secrets.js';
import { direct, type Runner, Serial } from './serial.js';
import { SqliteSync } from './sync.js';
import { SqliteWebAuth } from './webAuth.js';

export interface SqliteStoreOptions {
  /** How long to wait for another process's write lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/**
 * The SQLite Store on one file. WAL lets readers run beside the one writer; synchronous=FULL makes
 * every commit durable on return (rotation commits a freshly issued token and must not lose it to
 * a power cut), except a sync page's, committed at NORMAL around its own transaction and back to FULL
 * before anything else runs (immediate.ts, `immediatePage`; docs/store.md, "Durability of sync
 * pages"); foreign keys make the secrets cascade real. Checkpoints asked between pages run on a
 * thread with its own connection (checkpointer.ts), started at the first ask, none for a database in
 * memory.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly connections: SqliteConnections;
  readonly secrets: SqliteSecrets;
  readonly leases: SqliteLeases;
  readonly rotation: SqliteRotation;
  readonly sync: SqliteSync;
  readonly apiKeys: SqliteApiKeys;
  readonly webAuth: SqliteWebAuth;
  readonly requestAudit: SqliteRequestAudit;
  readonly jobs: SqliteJobs;
  readonly rowQuery: SqliteRowQuery;
  readonly gatewaySchemas: SqliteGatewaySchemas;
  readonly posture: SqlitePosture;
  readonly cloudflareSettings: SqliteCloudflareSettings;
  readonly #serial = new Serial();
  readonly #tx: StoreTx;
  readonly #checkpointer: Checkpointer | undefined;

  private constructor(readonly db: Database.Database) {
    const queued: Runner = (work) => this.#serial.run(work);
    const checkpointer = db.memory ? undefined : new Checkpointer(db.name);
    this.#checkpointer = checkpointer;
    this.connections = new SqliteConnections(db, queued);
    this.secrets = new SqliteSecrets(db, queued);
    this.leases = new SqliteLeases(db, queued);
    this.rotation = new SqliteRotation(db, queued);
    this.sync = new SqliteSync(db, queued, checkpointer);
    this.apiKeys = new SqliteApiKeys(db, queued);
    this.webAuth = new SqliteWebAuth(db, queued);
    this.requestAudit = new SqliteRequestAudit(db, queued);
    this.jobs = new SqliteJobs(db, queued);
    this.rowQuery = new SqliteRowQuery(db, queued);
    this.gatewaySchemas = new SqliteGatewaySchemas(db, queued);
    this.posture = new SqlitePosture(db, queued);
    this.cloudflareSettings = new SqliteCloudflareSettings(db, queued);
    this.#tx = {
      connections: new SqliteConnections(db, direct),
      secrets: new SqliteSecrets(db, direct),
      leases: new SqliteLeases(db, direct),
      rotation: new SqliteRotation(db, direct),
      sync: new SqliteSync(db, direct, checkpointer),
      apiKeys: new SqliteApiKeys(db, direct),
      webAuth: new SqliteWebAuth(db, direct),
      requestAudit: new SqliteRequestAudit(db, direct),
      jobs: new SqliteJobs(db, direct),
      rowQuery: new SqliteRowQuery(db, direct),
      gatewaySchemas: new SqliteGatewaySchemas(db, direct),
      posture: new SqlitePosture(db, direct),
      cloudflareSettings: new SqliteCloudflareSettings(db, direct),
    };
  }

  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    // Create the file owner-only before SQLite does; its -wal and -shm files copy this mode.
    closeSync(openSync(file, 'a', 0o600));
    const busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
    const db = new Database(file, { timeout: busyTimeoutMs });
    try {
      whileBusy(busyTimeoutMs, () => prepare(db, busyTimeoutMs));
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db);
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#serial.run(async () => {
      prepared(this.db, 'BEGIN IMMEDIATE').run();
      try {
        const result = await fn(this.#tx);
        prepared(this.db, 'COMMIT').run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) prepared(this.db, 'ROLLBACK').run();
        throw error;
      }
    });
  }

  /**
   * Ends the checkpoint thread, then closes the connection: this one closes last, so SQLite copies
   * what is left of the log into the database file and removes the log, as without a thread.
   */
  close(): Promise<void> {
    return this.#serial.run(async () => {
      await this.#checkpointer?.close();
      this.db.close();
    });
  }
}

/** Settings every connection needs, then the schema brought up to date. */
function prepare(db: Database.Database, busyTimeoutMs: number): void {
  // busy_timeout first: switching to WAL on a fresh file needs a lock another process may hold.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // SQLite answers the mode it is in: the old one when it could not switch (another process held it).
  if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal')
    throw Object.assign(new Error('could not switch the database to WAL'), { code: 'SQLITE_BUSY' });
  db.pragma('synchronous = FULL');
  // A sync has the log copied into the database between pages (`sync.idle`, on the checkpoint thread)
  // while it waits for the network; the automatic checkpoint, inside a commit on this connection, is
  // the fallback when no wait comes. Then the log file is cut back to 64 MiB.
  db.pragma('wal_autocheckpoint = 4000');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  db.pragma('foreign_keys = ON');
  migrate(db, sqliteMigrations);
}

/**
 * Runs `fn` again while SQLite answers SQLITE_BUSY, until `timeoutMs` has passed. The busy timeout
 * covers most waits, but switching a fresh file to WAL while other processes open it too can be
 * refused at once (SQLite does not wait where waiting could deadlock); a moment later it succeeds.
 * An attempt may itself wait up to the busy timeout, so the worst case is about twice `timeoutMs`.
 */
function whileBusy(timeoutMs: number, fn: () => void): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fn();
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = typeof code === 'string' && code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 30);
    }
  }
}
