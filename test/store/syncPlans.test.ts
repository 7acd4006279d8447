import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { tempDir } from '../helpers/emulatorHarness.js';

/**
 * The page transaction runs these statements once per endpoint: each must reach its rows through a key
 * prefix, never scan a connection's rows (that made a 100,000-endpoint sync quadratic once).
 */
it('per-endpoint statements of a page use the key of the endpoint, not a scan', async () => {
  const store = SqliteStore.open(join(tempDir(), 'bridge.db'));
  try {
    const plan = (sql: string, params: number) =>
      (
        store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(params).fill('x')) as { detail: string }[]
      ).map((row) => row.detail);
    for (const table of ['vulnerability_findings', 'compliance_findings']) {
      expect(
        plan(`DELETE FROM ${table} WHERE connection = ? AND endpoint_id = ? AND seen_gen < ?`, 3),
      ).toEqual([`SEARCH ${table} USING PRIMARY KEY (connection=? AND endpoint_id=?)`]);
      // The page's added/updated count reads the page's endpoints through the key.
      expect(
        plan(
          `SELECT count(*) FILTER (WHERE created_run = ?), count(*) FROM ${table}
           WHERE connection = ? AND endpoint_id IN (SELECT value FROM json_each(?))`,
          3,
        ),
      ).toContain(`SEARCH ${table} USING PRIMARY KEY (connection=? AND endpoint_id=?)`);
    }
    for (const table of ['cve_details', 'compliance_rules'])
      expect(plan(`SELECT id FROM ${table} WHERE key = ?`, 1)).toEqual([
        `SEARCH ${table} USING COVERING INDEX sqlite_autoindex_${table}_1 (key=?)`,
      ]);
    // Export pages through the views in key order: the rows table's key, no sort.
    expect(
      plan(
        `SELECT * FROM vulnerabilities WHERE connection = ? AND (endpoint_id, cve_id) > (?, ?)
         ORDER BY endpoint_id, cve_id LIMIT 1000`,
        3,
      ),
    ).toEqual([
      'SEARCH f USING PRIMARY KEY (connection=? AND (endpoint_id,cve_id)>(?,?))',
      'SEARCH d USING INTEGER PRIMARY KEY (rowid=?)',
      'SEARCH a USING PRIMARY KEY (connection=? AND stream=? AND endpoint_id=? AND scope=?) LEFT-JOIN',
    ]);
    expect(
      plan(
        `SELECT * FROM sensor_readings WHERE connection = ? AND (endpoint_id, sensor, row_index) > (?, ?, ?)
         ORDER BY endpoint_id, sensor, row_index LIMIT 1000`,
        4,
      ),
    ).toEqual([
      'SEARCH r USING PRIMARY KEY (connection=? AND (endpoint_id,sensor,row_index)>(?,?,?))',
      'SEARCH a USING PRIMARY KEY (connection=? AND stream=? AND endpoint_id=? AND scope=?) LEFT-JOIN',
    ]);
    expect(
      plan(
        'DELETE FROM sensor_rows WHERE connection = ? AND endpoint_id = ? AND sensor = ? AND seen_gen < ?',
        4,
      ),
    ).toEqual(['SEARCH sensor_rows USING PRIMARY KEY (connection=? AND endpoint_id=? AND sensor=?)']);
    // Each scope's answer is recorded through its key.
    expect(
      plan(
        'UPDATE scope_answers SET seen_gen = 1 WHERE connection = ? AND stream = ? AND endpoint_id = ? AND scope = ?',
        4,
      ),
    ).toEqual([
      'SEARCH scope_answers USING PRIMARY KEY (connection=? AND stream=? AND endpoint_id=? AND scope=?)',
    ]);
    expect(
      plan('DELETE FROM asset_addresses WHERE connection = ? AND endpoint_id = ? AND kind = ?', 3),
    ).toEqual(['SEARCH asset_addresses USING PRIMARY KEY (connection=? AND endpoint_id=?)']);
    expect(plan('SELECT endpoint_id FROM asset_addresses WHERE connection = ? AND address = ?', 2)).toEqual([
      'SEARCH asset_addresses USING COVERING INDEX asset_addresses_address (connection=? AND address=?)',
    ]);
    // Lookups name their connection: migration 12's indexes lead with it (migration 17 dropped the rest).
    expect(plan('SELECT endpoint_id FROM assets WHERE connection = ? AND serial_number = ?', 2)).toEqual([
      'SEARCH assets USING INDEX assets_posture_serial (connection=? AND serial_number=?)',
    ]);
  } finally {
    await store.close();
  }
});

it('migration 5 rebuilds asset addresses from the assets of a database left at version 4', async () => {
  const db = new Database(join(tempDir(), 'bridge.db'));
  migrate(db, sqliteMigrations.slice(0, 4));
  const upToFive = sqliteMigrations.slice(0, 5);
  db.prepare(`INSERT INTO connections VALUES ('default', 'server', 'http://127.0.0.1:1', 'x', 'x')`).run();
  db.prepare(
    `INSERT INTO assets (connection, endpoint_id, ip_address, ip_addresses, mac_addresses, seen_gen, created_run, changed_run)
     VALUES ('default', '1', '10.0.0.2', '["10.0.0.2","fe80::1"]', '["aa:bb"]', 1, 1, 1)`,
  ).run();
  expect(migrate(db, upToFive)).toEqual([5]);
  expect(db.prepare('SELECT address, kind FROM asset_addresses ORDER BY address').all()).toEqual([
    { address: '10.0.0.2', kind: 'ip' },
    { address: 'aa:bb', kind: 'mac' },
    { address: 'fe80::1', kind: 'ip' },
  ]);
  db.close();
});

it('migration 17 drops the asset indexes no reader uses from a database left at version 16, and keeps its rows', async () => {
  const file = join(tempDir(), 'bridge.db');
  const db = new Database(file);
  migrate(db, sqliteMigrations.slice(0, 16));
  db.prepare(`INSERT INTO connections VALUES ('default', 'server', 'http://127.0.0.1:1', 'x', 'x')`).run();
  db.prepare(
    `INSERT INTO assets (connection, endpoint_id, serial_number, name, computer_id, seen_gen, created_run, changed_run)
     VALUES ('default', '1', 'SN-1', 'ws-1.corp', '42', 1, 1, 1)`,
  ).run();
  const indexes = () =>
    (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'assets' ORDER BY name`)
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
  expect(indexes()).toContain('assets_serial_number');
  expect(migrate(db, sqliteMigrations.slice(0, 17))).toEqual([17]);
  expect(indexes()).toEqual([
    'assets_posture_computer',
    'assets_posture_name',
    'assets_posture_serial',
    'sqlite_autoindex_assets_1',
  ]);
  db.close();
  // The upgraded file opens as a store and finds the asset by each key through the posture indexes.
  const store = SqliteStore.open(file);
  try {
    for (const [key, value] of [
      ['serial', 'sn-1'],
      ['computer-id', '42'],
      ['hostname', 'ws-1'],
    ] as const)
      expect((await store.posture.find('default', key, [value], 10)).map((e) => e.endpointId)).toEqual(['1']);
  } finally {
    await store.close();
  }
});
