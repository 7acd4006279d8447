import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import type { CliStore, DialectUnderTest } from '../store/dialects.js';
import { bindHome, tempHome } from './runCli.js';

/**
 * Homes for CLI-driven suites, each with a fresh store of one dialect: SQLite in the home, or a
 * PostgreSQL schema of its own that every CLI run with that home uses (TANIUM_BRIDGE_DB, bound in
 * runCli), dropped by `dropAll`.
 */
export interface DialectHomes {
  readonly dialect: DialectUnderTest['name'];
  /** A new home whose CLI runs use a new store of this dialect. */
  home(): Promise<string>;
  /** The environment the home's CLI runs get (TANIUM_BRIDGE_DB). */
  env(home: string): Record<string, string>;
  /** Opens the store the home's CLI runs use; close it when done. */
  open(home: string): Promise<Store>;
  /** Everything the home's store holds, as text (PostgreSQL: every row of its schema; bytea in hex). */
  contents(home: string): Promise<string>;
  dropAll(): Promise<void>;
}

export function dialectHomes(dialect: DialectUnderTest): DialectHomes {
  const stores = new Map<string, CliStore>();
  const storeOf = (home: string): CliStore => {
    const store = stores.get(home);
    if (!store) throw new Error(`${home} was not made by dialectHomes`);
    return store;
  };
  return {
    dialect: dialect.name,
    async home() {
      const home = tempHome();
      const store = await dialect.cliEnv();
      stores.set(home, store);
      bindHome(home, store.env);
      return home;
    },
    env: (home) => storeOf(home).env,
    open: (home) => storeOf(home).open(home),
    async contents(home) {
      if (dialect.name === 'sqlite')
        return ['bridge.db', 'bridge.db-wal', 'bridge.db-shm']
          .map((file) => join(home, file))
          .filter((path) => existsSync(path))
          .map((path) => readFileSync(path).toString('latin1'))
          .join('\n');
      const store = (await storeOf(home).open(home)) as Store & {
        session: { query(text: string): Promise<{ rows: Record<string, unknown>[] }> };
      };
      try {
        const tables = await store.session.query(
          `SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
        );
        const parts: string[] = [];
        for (const { table_name } of tables.rows) {
          const rows = await store.session.query(`SELECT t::text AS row FROM "${String(table_name)}" t`);
          parts.push(...rows.rows.map((row) => String(row['row'])));
        }
        return parts.join('\n');
      } finally {
        await store.close();
      }
    },
    async dropAll() {
      for (const store of stores.values()) await store.drop();
      stores.clear();
    },
  };
}

/** What a secret looks like in `contents`: as text, and as the hex PostgreSQL prints bytea in. */
export function forms(secret: string): string[] {
  return [secret, Buffer.from(secret, 'utf8').toString('hex')];
}
