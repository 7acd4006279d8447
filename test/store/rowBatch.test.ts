import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { ROWS_PER_STATEMENT, RowBatch, valueRows } from '../../src/store/sqlite/rowBatch.js';

/**
 * Many rows to one INSERT (src/store/sqlite/rowBatch.ts) must store what one statement per row would:
 * rows in order, each with the conflict clause, a key repeated in one statement updating the row the
 * same statement inserted, and a short last statement for the rows left over.
 */

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function table(): Database.Database {
  const db = new Database(':memory:');
  open.push(db);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL, writes INTEGER NOT NULL) STRICT');
  return db;
}

const upsert = (rows: number) =>
  `INSERT INTO t AS t (k, v, writes) VALUES ${valueRows(3, rows)}
   ON CONFLICT (k) DO UPDATE SET v = excluded.v, writes = t.writes + 1`;

function write(batch: RowBatch, rows: { k: string; v: number }[]): void {
  for (const { k, v } of rows) {
    batch.values.push(k, v, 1);
    batch.row();
  }
  batch.flush();
}

it('stores what one statement per row stores, repeated keys and a short last statement included', () => {
  const rows = Array.from({ length: ROWS_PER_STATEMENT * 2 + 7 }, (_, i) => ({ k: `k${i % 60}`, v: i }));
  const many = table();
  write(new RowBatch(many, upsert), rows);
  const each = table();
  const one = each.prepare(upsert(1));
  for (const { k, v } of rows) one.run(k, v, 1);
  const read = (db: Database.Database) => db.prepare('SELECT k, v, writes FROM t ORDER BY k').all();
  expect(read(many)).toEqual(read(each));
  expect(read(many)).toHaveLength(60);
});

it('a failing row fails its statement, and clear() drops what was not run', () => {
  const db = table();
  const batch = new RowBatch(db, upsert);
  batch.values.push('a', 1, 1);
  batch.row();
  batch.values.push('b', null, 1);
  batch.row();
  expect(() => batch.flush()).toThrow(/NOT NULL/);
  expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  batch.clear();
  write(batch, [{ k: 'c', v: 3 }]);
  expect(db.prepare('SELECT k FROM t').all()).toEqual([{ k: 'c' }]);
});
