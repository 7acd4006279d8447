import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { Dialect, Store } from '../../src/store/store.js';
import { postgresTarget } from '../helpers/postgres.js';

/** Each dialect the store suite runs against. */
export interface DialectUnderTest {
  name: Dialect;
  /** A fresh, empty store of its own (PostgreSQL: a new schema, dropped when the store closes). */
  open(): Promise<Store>;
  /**
   * The environment a spawned CLI needs to use a fresh store of this dialect, and how to remove that
   * store afterwards. SQLite needs nothing beyond `--home` (TANIUM_BRIDGE_DB is cleared, so a value
   * in the caller's environment cannot leak in).
   */
  cliEnv(): Promise<CliStore>;
}

export interface CliStore {
  env: Record<string, string>;
  /** Opens the same store the CLI uses (for reading what it wrote); close it before `drop`. */
  open(home: string): Promise<Store>;
  drop(): Promise<void>;
}

const sqlite: DialectUnderTest = {
  name: 'sqlite',
  open: async () => SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'tb-store-')), 'bridge.db')),
  cliEnv: async () => ({
    env: { TANIUM_BRIDGE_DB: '' },
    open: async (home) => SqliteStore.open(join(home, 'bridge.db')),
    drop: async () => undefined,
  }),
};

const pg = await postgresTarget();

const postgres: DialectUnderTest | undefined = pg && {
  name: 'postgres',
  open: async () => {
    const schema = pg.freshSchema();
    const store = await PostgresStore.open(pg.url(schema));
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        await close();
        await pg.dropSchema(schema);
      },
    });
  },
  cliEnv: async () => {
    const schema = pg.freshSchema();
    return {
      env: { TANIUM_BRIDGE_DB: pg.url(schema) },
      open: async () => PostgresStore.open(pg.url(schema)),
      drop: () => pg.dropSchema(schema),
    };
  },
};

export const DIALECTS: DialectUnderTest[] = postgres ? [sqlite, postgres] : [sqlite];

/** The PostgreSQL entry alone (empty when the server is not reachable and not required). */
export const POSTGRES_DIALECTS: DialectUnderTest[] = postgres ? [postgres] : [];
