import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/store/postgres/redactUrl.js';

/** The test server: TANIUM_BRIDGE_TEST_PG, else the local one CI and the dev machine run. */
const BASE = process.env['TANIUM_BRIDGE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The base URL as printed: its password masked. */
const SHOWN = redactUrl(BASE);

export interface PostgresTarget {
  /** The base URL with `?schema=NAME`. */
  url(schema: string): string;
  /** A schema name no other test uses (this process, a counter, random bytes). */
  freshSchema(): string;
  /** Drops a schema this suite created, with everything in it. */
  dropSchema(schema: string): Promise<void>;
}

let counter = 0;

/**
 * The PostgreSQL server the suites run against, or undefined when it cannot be reached. With
 * TANIUM_BRIDGE_REQUIRE_PG=1 (CI) an unreachable server fails the suite instead; without it the
 * PostgreSQL runs are left out with one printed line, never silently.
 */
export async function postgresTarget(): Promise<PostgresTarget | undefined> {
  const client = new pg.Client({ connectionString: BASE, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['TANIUM_BRIDGE_REQUIRE_PG'] === '1')
      throw new Error(
        `PostgreSQL is required (TANIUM_BRIDGE_REQUIRE_PG=1) but ${SHOWN} is unreachable: ${reason}`,
      );
    console.log(
      `PostgreSQL at ${SHOWN} is unreachable (${reason}): the postgres dialect is left out of this run.`,
    );
    return undefined;
  }
  return {
    url: (schema) => `${BASE}${BASE.includes('?') ? '&' : '?'}schema=${schema}`,
    freshSchema: () => `tb_test_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`,
    dropSchema: async (schema) => {
      const admin = new pg.Client({ connectionString: BASE });
      await admin.connect();
      try {
        // pg-boss keeps its queue beside the store, in NAME_pgboss (a serve or worker of the test made it).
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}", "${schema}_pgboss" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
