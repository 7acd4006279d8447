import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';

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
   *  open transaction's client (the work joins it). `begin`: statements (no parameters) sent with the
   *  BEGIN in one round trip, the transaction's first; `fn` gets their results, in order. */
  atomic<T>(fn: (client: PoolClient, begun: QueryResult[]) => Promise<T>, begin?: string): Promise<T>;
}

/** Every result of a simple query (pg answers one result bare, several as an array). */
export function results(reply: QueryResult | QueryResult[]): QueryResult[] {
  return Array.isArray(reply) ? reply : [reply];
}

/**
 * What every error leaving a session passes through: PostgresStore's scrubs the URL's password from
 * it and turns a lost or refused connection into one `database_unreachable` problem.
 */
export type ErrorMapper = (error: unknown) => unknown;

const asIs: ErrorMapper = (error) => error;

/** The statement's result, or its error passed through the session's mapper. */
async function mapErrors<T>(statement: Promise<T>, fail: ErrorMapper): Promise<T> {
  try {
    return await statement;
  } catch (error) {
    throw fail(error);
  }
}

/** Statements on the pool; `atomic` checks a client out for one transaction. */
export class PoolSession implements PgSession {
  constructor(
    private readonly pool: Pool,
    private readonly fail: ErrorMapper = asIs,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>> {
    return mapErrors(this.pool.query<R>(text as QueryConfig, values), this.fail);
  }

  atomic<T>(fn: (client: PoolClient, begun: QueryResult[]) => Promise<T>, begin?: string): Promise<T> {
    return inTransaction(this.pool, fn, this.fail, begin);
  }
}

/** Statements on the client of an open transaction; `atomic` joins that transaction. */
export class ClientSession implements PgSession {
  constructor(
    private readonly client: PoolClient,
    private readonly fail: ErrorMapper = asIs,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>> {
    return mapErrors(this.client.query<R>(text as QueryConfig, values), this.fail);
  }

  async atomic<T>(fn: (client: PoolClient, begun: QueryResult[]) => Promise<T>, begin?: string): Promise<T> {
    const begun = begin ? results(await this.query(begin)) : [];
    return fn(this.client, begun);
  }
}

/**
 * Runs `fn` on one pooled client between BEGIN and COMMIT, rolling back when it throws. A client whose
 * rollback failed (the connection broke) is destroyed rather than returned to the pool. Errors of the
 * transaction's own statements pass through `fail`, and so do those `fn` throws: repositories run
 * statements on the raw client inside it (a page write), so a connection lost mid-page reaches the
 * caller as the store's problem, scrubbed, not as pg's error. `fail` leaves other errors as they are.
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient, begun: QueryResult[]) => Promise<T>,
  fail: ErrorMapper = asIs,
  begin?: string,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw fail(error);
  });
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a connection the server ends between two statements
  // (pg_terminate_backend, a restart) emits 'error', which would end the process. Mark it broken; the
  // next statement fails and the transaction rolls back as for any other failed statement.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  const rollback = () =>
    client.query('ROLLBACK').then(
      () => undefined,
      (error: Error) => {
        broken = error;
      },
    );
  try {
    // A statement sent with the BEGIN that fails leaves the transaction open and aborted.
    const begun = await client.query(begin ? `BEGIN;\n${begin}` : 'BEGIN').catch(async (error: unknown) => {
      if (begin) await rollback();
      throw fail(error);
    });
    let result: T;
    try {
      result = await fn(client, results(begun as QueryResult | QueryResult[]).slice(1));
    } catch (error) {
      await rollback();
      throw fail(error);
    }
    await client.query('COMMIT').catch(async (error: unknown) => {
      await rollback();
      throw fail(error);
    });
    return result;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
