import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isProblem } from '../../src/common/problem.js';
import { parseDatabaseUrl } from '../../src/store/postgres/databaseUrl.js';
import { postgresMigrations } from '../../src/store/postgres/migrations/index.js';
import { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import { redactUrl, scrubError } from '../../src/store/postgres/redactUrl.js';
import { postgresTarget } from '../helpers/postgres.js';
import { POSTGRES_DIALECTS } from './dialects.js';

/** What only the PostgreSQL store has: its schema option, migrations under a lock, a pool that loses clients. */

const NOW = '2030-01-01T00:00:00.000Z';
const PASSWORD = 'pw-pgstore-5d1e';
const target = POSTGRES_DIALECTS.length > 0 ? await postgresTarget() : undefined;

/** The URL with a password in it (the local server trusts the login and ignores it). */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
}

/** A session's schema and statement timeout: the URL's and the environment's settings reaching it. */
async function sessionSettings(store: PostgresStore): Promise<{ schema: string; timeout: string }[]> {
  const { rows } = await store.session.query<{ schema: string; timeout: string }>(
    `SELECT current_schema() AS schema, current_setting('statement_timeout') AS timeout`,
  );
  return rows;
}

describe('PostgreSQL URLs (no server needed)', () => {
  it('keeps everything but ?schema= for pg, names host:port/database, never the password', () => {
    const target = parseDatabaseUrl(
      'postgresql://tb:p%40ss@db.internal:6543/bridge?sslmode=require&schema=team_a',
    );
    expect(target).toEqual({
      connectionString: 'postgresql://tb:p%40ss@db.internal:6543/bridge?sslmode=require',
      schema: 'team_a',
      where: 'db.internal:6543/bridge',
      user: 'tb',
      redacted: 'postgresql://tb:***@db.internal:6543/bridge?sslmode=require&schema=team_a',
      password: 'p@ss',
    });
    expect(parseDatabaseUrl('postgres://localhost/test')).toMatchObject({
      where: 'localhost:5432/test',
      schema: undefined,
      password: undefined,
      user: undefined,
    });
  });

  it.each([
    ['mysql://u:secret@h/db', /its scheme mysql: is not postgres: or postgresql:/],
    ['secret', /it is not a URL/],
    ['postgres://u:secret@h/db?schema=a;drop', /the schema "a;drop" is not a plain name/],
    ['postgres://u:secret@h/db?schema=1abc', /the schema "1abc" is not a plain name/],
    ['postgres://u:secret@h/db?schema=TeamA', /the schema "TeamA" is not a plain name \(lower-case/],
  ])('refuses %s as database_url_invalid, its password masked', (url, reason) => {
    const error = (() => {
      try {
        parseDatabaseUrl(url);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(isProblem(error) && error.code).toBe('database_url_invalid');
    expect((error as Error).message).toMatch(reason);
    if (url.includes('@')) expect((error as Error).message).not.toContain(':secret@');
  });

  it('masks the password in URLs and in any error text that echoes it', () => {
    expect(redactUrl('postgres://u:hunter22@h:5432/d')).toBe('postgres://u:***@h:5432/d');
    expect(redactUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
    // A raw `/`, `#` or `@` in the password makes the URL unparseable: still nothing of it is shown.
    for (const url of ['postgres://u:pa/ss@h/db', 'postgres://u:p#a/s@s@h:5432/db'])
      expect(redactUrl(url)).not.toMatch(/pa\/ss|p#a|s@s/);
    expect(redactUrl('postgres://u:pa/ss@h/db')).toBe('postgres://u:***@h/db');
    const error = scrubError(new Error('could not connect with hunter22 to h'), 'hunter22') as Error;
    expect(error.message).toBe('could not connect with *** to h');
    expect(error.stack).not.toContain('hunter22');
  });
});

describe.each(POSTGRES_DIALECTS)('PostgreSQL store ($name)', () => {
  const pgTarget = target as NonNullable<typeof target>;

  it('several stores (as several processes) opening a new schema at once: one migrates, each version recorded once', async () => {
    const schema = pgTarget.freshSchema();
    const stores = await Promise.all(
      Array.from({ length: 6 }, () => PostgresStore.open(pgTarget.url(schema), { poolSize: 2 })),
    );
    try {
      const { rows } = await (stores[0] as PostgresStore).session.query<{ version: number; n: number }>(
        'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(rows).toEqual(postgresMigrations.map((m) => ({ version: m.version, n: 1 })));
      const { rows: where } = await (stores[1] as PostgresStore).session.query<{ schema: string }>(
        'SELECT current_schema() AS schema',
      );
      expect(where).toEqual([{ schema }]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await pgTarget.dropSchema(schema);
    }
  });

  it('?options= in the URL (session settings) keeps ?schema=: both reach every session', async () => {
    const schema = pgTarget.freshSchema();
    const url = `${pgTarget.url(schema)}&options=${encodeURIComponent('-c statement_timeout=123456')}`;
    const store = await PostgresStore.open(url, { poolSize: 2 });
    try {
      expect(await sessionSettings(store)).toEqual([{ schema, timeout: '123456ms' }]);
    } finally {
      await store.close();
      await pgTarget.dropSchema(schema);
    }
  });

  it('PGOPTIONS from the environment keeps ?schema=: both reach every session', async () => {
    const schema = pgTarget.freshSchema();
    const before = process.env['PGOPTIONS'];
    process.env['PGOPTIONS'] = '-c statement_timeout=654321';
    try {
      const store = await PostgresStore.open(pgTarget.url(schema), { poolSize: 2 });
      try {
        expect(await sessionSettings(store)).toEqual([{ schema, timeout: '654321ms' }]);
      } finally {
        await store.close();
      }
    } finally {
      if (before === undefined) delete process.env['PGOPTIONS'];
      else process.env['PGOPTIONS'] = before;
      await pgTarget.dropSchema(schema);
    }
  });

  it('a statement the server cancels (statement_timeout): database_refused naming the setting; the store goes on', async () => {
    const schema = pgTarget.freshSchema();
    // One client, so the SET below is the session every later statement runs on.
    const store = await PostgresStore.open(withPassword(pgTarget.url(schema)), { poolSize: 1 });
    try {
      await store.session.query('SET statement_timeout = 50');
      const error = await store.session.query('SELECT pg_sleep(5)').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isProblem(error) && { code: error.code, kind: error.kind }).toEqual({
        code: 'database_refused',
        kind: 'unavailable',
      });
      expect((error as Error).message).toMatch(
        /^The PostgreSQL database .*\/test refused the command: a statement was cancelled \(statement_timeout passed/,
      );
      expect(isProblem(error) && error.fix).toMatch(/ALTER ROLE \S+ SET statement_timeout = 0/);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(PASSWORD);
      expect(await store.connections.list()).toEqual([]);
    } finally {
      await store.close();
      await pgTarget.dropSchema(schema);
    }
  });

  it('a server that accepts only reads (a standby, default_transaction_read_only): database_refused at open', async () => {
    const schema = pgTarget.freshSchema();
    const url = `${pgTarget.url(schema)}&options=${encodeURIComponent('-c default_transaction_read_only=on')}`;
    const error = await PostgresStore.open(url, { poolSize: 1 }).then(
      async (store) => store.close(),
      (failure: unknown) => failure,
    );
    expect(isProblem(error) && error.code).toBe('database_refused');
    expect((error as Error).message).toMatch(/refused the command: it accepts only reads/);
    expect(isProblem(error) && error.fix).toMatch(/^Point the URL at the primary server/);
    await pgTarget.dropSchema(schema);
  });

  it('a transaction is one client: its own writes seen inside, nothing outside until it commits', async () => {
    const schema = pgTarget.freshSchema();
    const store = await PostgresStore.open(pgTarget.url(schema));
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let inside: string[] = [];
      const tx = store.transaction(async (t) => {
        await t.connections.upsert({ name: 'a', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
        await t.rotation.audit({
          attemptId: 'x1',
          connectionName: 'a',
          startedAt: NOW,
          finishedAt: null,
          method: 'grant',
          oldTokenId: null,
          newTokenId: null,
          outcome: 'in_progress',
          error: null,
        });
        inside = (await t.connections.list()).map((c) => c.name);
        reached();
        await gate;
        return 'committed';
      });
      await atGate;
      expect(await store.connections.list()).toEqual([]);
      release();
      expect(await tx).toBe('committed');
      expect(inside).toEqual(['a']);
      expect((await store.connections.list()).map((c) => c.name)).toEqual(['a']);
      expect((await store.rotation.history('a', 5)).map((e) => e.attemptId)).toEqual(['x1']);
    } finally {
      await store.close();
      await pgTarget.dropSchema(schema);
    }
  });

  it('a connection the server ends mid-statement: database_unreachable, no password; the pool goes on', async () => {
    const schema = pgTarget.freshSchema();
    // The application name tells this test's backends from every other on the server.
    const store = await PostgresStore.open(
      `${withPassword(pgTarget.url(schema))}&application_name=${schema}`,
    );
    const admin = new pg.Client({ connectionString: pgTarget.url(schema).replace(/\?.*$/, '') });
    await admin.connect();
    try {
      const busy = store.session.query('SELECT pg_sleep(30)');
      const failure = busy.then(
        () => undefined,
        (error: unknown) => error,
      );
      // Ends every backend of this store's pool once the sleep runs, as a server restart would.
      for (;;) {
        const ended = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = $1 AND query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'`,
          [schema],
        );
        if ((ended.rowCount ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const error = await failure;
      expect(isProblem(error) && error.code).toBe('database_unreachable');
      expect(String((error as Error).message)).toMatch(/^Cannot use the PostgreSQL database .*\/test: /);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(PASSWORD);
      expect(await store.connections.list()).toEqual([]);
    } finally {
      await admin.end();
      await store.close();
      await pgTarget.dropSchema(schema);
    }
  });
});
