import pg from 'pg';
import type { Store, StoreTx } from '../store.js';
import { PgApiKeys } from './apiKeys.js';
import { PgCloudflareSettings } from './cloudflareSettings.js';
import { PgConnections } from './connections.js';
import { type DatabaseTarget, parseDatabaseUrl, storeConnection } from './databaseUrl.js';
import { PgGatewaySchemas } from './gatewaySchemas.js';
import { PgJobs } from './jobs.js';
import { PgLeases } from './leases.js';
import { migrate } from './migrate.js';
import { postgresMigrations } from './migrations/index.js';
import { PgPosture } from './posture.js';
import { PgRequestAudit } from './requestAudit.js';
import { PgRotation } from './rotation.js';
import { PgRowQuery } from './rowQuery.js';
import { PgSecrets } from './secrets.js';
import { ClientSession, type ErrorMapper, inTransaction, type PgSession, PoolSession } from './session.js';
import { PgSync } from './sync.js';
import { unreachableProblem } from './unreachable.js';
import { PgWebAuth } from './webAuth.js';

export interface PostgresStoreOptions {
  /** Pooled connections per process (default 10). */
  poolSize?: number;
  /** How long to wait for a connection to the server before failing, in ms (default 10 s). */
  connectTimeoutMs?: number;
}

/** int8 (bigint: epoch ms, counts, ids) as a JavaScript number; every value the store keeps fits 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Every repository of the store, bound to one session (the pool, or one transaction's client). */
export function repositories(session: PgSession): StoreTx {
  return {
    connections: new PgConnections(session),
    secrets: new PgSecrets(session),
    leases: new PgLeases(session),
    rotation: new PgRotation(session),
    sync: new PgSync(session),
    apiKeys: new PgApiKeys(session),
    webAuth: new PgWebAuth(session),
    requestAudit: new PgRequestAudit(session),
    jobs: new PgJobs(session),
    rowQuery: new PgRowQuery(session),
    gatewaySchemas: new PgGatewaySchemas(session),
    posture: new PgPosture(session),
    cloudflareSettings: new PgCloudflareSettings(session),
  };
}

/**
 * The PostgreSQL Store: a pg Pool shared by every repository; `transaction` checks one client out
 * and binds every repository to it between BEGIN and COMMIT (READ COMMITTED: writers of one
 * connection's data are kept apart by leases, checked inside the transactions they guard). Unlike
 * SQLite, statements outside a transaction do not wait for it: they run on other pooled clients and
 * see only committed data. The URL's `?schema=NAME` puts every client in that schema.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly connections: StoreTx['connections'];
  readonly secrets: StoreTx['secrets'];
  readonly leases: StoreTx['leases'];
  readonly rotation: StoreTx['rotation'];
  readonly sync: StoreTx['sync'];
  readonly apiKeys: StoreTx['apiKeys'];
  readonly webAuth: StoreTx['webAuth'];
  readonly requestAudit: StoreTx['requestAudit'];
  readonly jobs: StoreTx['jobs'];
  readonly rowQuery: StoreTx['rowQuery'];
  readonly gatewaySchemas: StoreTx['gatewaySchemas'];
  readonly posture: StoreTx['posture'];
  readonly cloudflareSettings: StoreTx['cloudflareSettings'];
  /** The session on the pool, for code in src/store/postgres that needs more than the repositories. */
  readonly session: PgSession;
  readonly #fail: ErrorMapper;
  #closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly target: DatabaseTarget,
  ) {
    this.#fail = (error) => unreachableProblem(error, target);
    this.session = new PoolSession(pool, this.#fail);
    const all = repositories(this.session);
    this.connections = all.connections;
    this.secrets = all.secrets;
    this.leases = all.leases;
    this.rotation = all.rotation;
    this.sync = all.sync;
    this.apiKeys = all.apiKeys;
    this.webAuth = all.webAuth;
    this.requestAudit = all.requestAudit;
    this.jobs = all.jobs;
    this.rowQuery = all.rowQuery;
    this.gatewaySchemas = all.gatewaySchemas;
    this.posture = all.posture;
    this.cloudflareSettings = all.cloudflareSettings;
  }

  /**
   * Connects, creates the URL's schema when absent and migrates it. A URL that is not PostgreSQL's
   * is a `database_url_invalid` problem; a server that cannot be reached, refuses the login or lacks
   * the database is one `database_unreachable` problem naming host:port/database (never the password).
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const target = parseDatabaseUrl(url);
    const pool = new pg.Pool({
      ...storeConnection(target),
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types,
    });
    // An idle client whose connection the server dropped: the pool discards it; the next query
    // connects again. Without a listener the error would end the process.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, postgresMigrations, target.schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unreachableProblem(error, target);
    }
    return new PostgresStore(pool, target);
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return inTransaction(
      this.pool,
      (client) => fn(repositories(new ClientSession(client, this.#fail))),
      this.#fail,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.sync instanceof PgSync) await this.sync.stop();
    await this.pool.end();
  }
}
