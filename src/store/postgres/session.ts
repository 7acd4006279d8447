import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { scrubError } from './redactUrl.js';

/**
 * How a PostgreSQL repository reaches the database: on the pool (each statement on whichever client
 * is free) or bound to the one client of an open `Store.transaction`.
 *
 * `query` takes SQL text, or a pg `QueryConfig` with a `name` for a hot statement: pg prepares a named
 * statement once per pooled client and reuses it (the text must never change for that name).
 */
export interface PgSession {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
  /** One transaction: on the pool a client with BEGIN/COMMIT/ROLLBACK; inside Store.transaction the
   *  open transaction's client (the work joins it). */
  atomic<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
}

/** Statements on the pool; `atomic` checks a client out for one transaction. */
export class PoolSession implements PgSession {
  constructor(
    private readonly pool: Pool,
    /** The URL's password, removed from any error message before it leaves (never shown). */
    private readonly secret: string | undefined,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(text as QueryConfig, values);
    } catch (error) {
      throw scrubError(error, this.secret);
    }
  }

  atomic<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, this.secret, fn);
  }
}

/** Statements on the client of an open transaction; `atomic` joins that transaction. */
export class ClientSession implements PgSession {
  constructor(
    private readonly client: PoolClient,
    private readonly secret: string | undefined,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>> {
    try {
      return await this.client.query<R>(text as QueryConfig, values);
    } catch (error) {
      throw scrubError(error, this.secret);
    }
  }

  atomic<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return fn(this.client);
  }
}

/**
 * Runs `fn` on one pooled client between BEGIN and COMMIT, rolling back when it throws. A client whose
 * rollback failed (the connection broke) is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(
  pool: Pool,
  secret: string | undefined,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw scrubError(error, secret);
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw scrubError(error, secret);
  } finally {
    client.release(broken);
  }
}
