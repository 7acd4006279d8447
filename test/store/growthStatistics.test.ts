import { describe, expect, it } from 'vitest';
import { GrowthStatistics } from '../../src/store/postgres/growthStatistics.js';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import { POSTGRES_DIALECTS } from './dialects.js';

/** A PostgreSQL writer's statistics: the first analyse before the write returns, later ones beside it. */
describe.each(POSTGRES_DIALECTS)('growth statistics ($name)', (dialect) => {
  it('analyses a table at its first rows at once and again, in the background, each time its rows double', async () => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const session = store.session;
      await session.query('CREATE TABLE grown (n integer)');
      const analyses = async () =>
        Number(
          (
            await session.query<{ n: string }>(
              `SELECT analyze_count AS n FROM pg_stat_user_tables
               WHERE schemaname = current_schema() AND relname = 'grown'`,
            )
          ).rows[0]?.n ?? 0,
        );
      const stats = new GrowthStatistics(session, true);
      const insert = (rows: number) =>
        session.query('INSERT INTO grown SELECT generate_series(1, $1)', [rows]);

      await insert(100);
      await stats.wrote([{ table: 'grown', rows: 100 }]);
      // pg_stat_user_tables is reported by the backend at its next idle moment: wait for it.
      await expect.poll(analyses, { timeout: 10_000 }).toBe(1);

      await insert(50);
      await stats.wrote([{ table: 'grown', rows: 50 }]); // 150 of the 200 due: none
      await insert(60);
      await stats.wrote([{ table: 'grown', rows: 60 }]); // 210: due, in the background
      await stats.settled();
      await expect.poll(analyses, { timeout: 10_000 }).toBe(2);
      const { rows } = await session.query<{ reltuples: number }>(
        `SELECT reltuples FROM pg_class WHERE oid = 'grown'::regclass`,
      );
      expect(rows[0]?.reltuples).toBe(210);
    } finally {
      await store.close();
    }
  });

  it('wrote() returns while a background analyse waits, and stop() cancels it', async () => {
    const store = (await dialect.open()) as PostgresStore;
    const blocker = (await dialect.open()) as PostgresStore;
    try {
      const session = store.session;
      await session.query('CREATE TABLE grown (n integer)');
      await session.query('INSERT INTO grown SELECT generate_series(1, 10)');
      const stats = new GrowthStatistics(session, true);
      await stats.wrote([{ table: 'grown', rows: 10 }]);
      // Another session holds the lock ANALYZE needs: the next analyse can only wait.
      const table = `"${(await session.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s}".grown`;
      await blocker.session.atomic(async (client) => {
        await client.query(`LOCK TABLE ${table} IN SHARE UPDATE EXCLUSIVE MODE`);
        await stats.wrote([{ table: 'grown', rows: 10 }]); // 20: due, and it returns at once
        await expect
          .poll(
            async () =>
              (
                await blocker.session.query(
                  `SELECT 1 FROM pg_locks WHERE relation = '${table}'::regclass AND NOT granted`,
                )
              ).rowCount,
            { timeout: 10_000 },
          )
          .toBe(1);
        // The waiting analyse is cancelled (its backend signalled), not waited out for its 5 s.
        expect(await stats.stop()).toBe(true);
      });
      await stats.wrote([{ table: 'grown', rows: 100 }]); // stopped: nothing more starts
      await expect(stats.settled()).resolves.toBeUndefined();
    } finally {
      await blocker.close();
      await store.close();
    }
  });

  it('an analyse that fails (a table gone) fails neither the write nor a later one', async () => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const stats = new GrowthStatistics(store.session, true);
      await expect(stats.wrote([{ table: 'no_such_table', rows: 10 }])).resolves.toBeUndefined();
      await expect(stats.wrote([{ table: 'no_such_table', rows: 20 }])).resolves.toBeUndefined();
      await expect(stats.settled()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
