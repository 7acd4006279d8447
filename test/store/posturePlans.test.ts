import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ENDPOINT, FIND, findSql, GROUP_MEMBERS, GROUP_REFRESH } from '../../src/store/sqlite/posture.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { tempDir } from '../helpers/emulatorHarness.js';

/**
 * Every posture lookup, as it runs (its limit in the SQL text), reaches its rows through an index keyed
 * by connection first, and the read of one endpoint by id is two primary-key searches: no statement
 * scans a connection's endpoints.
 */
it('posture lookups and the endpoint read use indexes keyed by connection, never a scan', async () => {
  const store = SqliteStore.open(join(tempDir(), 'bridge.db'));
  try {
    const plan = (sql: string, params: Record<string, unknown> | unknown[]) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map(
        (row) => row.detail,
      );
    const p = { c: 'x', v: 'x', v2: 'x', v3: 'x', lo: 'x.', hi: 'x/' };
    const used = (key: keyof typeof FIND) => {
      const sql = findSql(key, 11);
      return plan(sql, Object.fromEntries(Object.entries(p).filter(([k]) => sql.includes(`@${k}`))));
    };
    expect(used('serial')).toEqual([
      'SEARCH a USING INDEX assets_posture_serial (connection=? AND serial_number=?)',
      'SEARCH f USING PRIMARY KEY (connection=? AND endpoint_id=?) LEFT-JOIN',
    ]);
    expect(used('computer-id')).toEqual([
      'SEARCH a USING INDEX assets_posture_computer (connection=? AND computer_id=?)',
      'SEARCH f USING PRIMARY KEY (connection=? AND endpoint_id=?) LEFT-JOIN',
    ]);
    expect(used('eid')).toEqual([
      'SEARCH a USING INDEX sqlite_autoindex_assets_1 (connection=? AND endpoint_id=?)',
      'SEARCH f USING PRIMARY KEY (connection=? AND endpoint_id=?) LEFT-JOIN',
    ]);
    const host = used('hostname').join('\n');
    expect(host).toMatch(/USING INDEX assets_posture_name \(connection=\? AND name=\?\)/);
    expect(host).toMatch(/USING INDEX assets_posture_name \(connection=\? AND name>\? AND name<\?\)/);
    for (const key of ['mac', 'ip'] as const) {
      const text = used(key).join('\n');
      expect(text).toMatch(
        /SEARCH a USING INDEX sqlite_autoindex_assets_1 \(connection=\? AND endpoint_id=\?\)/,
      );
      expect(text).toMatch(
        /SEARCH x USING COVERING INDEX asset_addresses_address \(connection=\? AND address=\?\)/,
      );
    }
    for (const key of Object.keys(FIND) as (keyof typeof FIND)[])
      expect(used(key).join('\n')).not.toMatch(/SCAN/);
    expect(plan(ENDPOINT, ['x', 'x'])).toEqual([
      'SEARCH a USING INDEX sqlite_autoindex_assets_1 (connection=? AND endpoint_id=?)',
      'SEARCH f USING PRIMARY KEY (connection=? AND endpoint_id=?) LEFT-JOIN',
    ]);
    // Computer group membership: the refresh row and the endpoint's member rows, both by key.
    expect(plan(GROUP_REFRESH, ['x'])).toEqual([
      'SEARCH posture_group_refreshes USING INDEX sqlite_autoindex_posture_group_refreshes_1 (connection=?)',
    ]);
    expect(plan(GROUP_MEMBERS, ['x', 'x'])).toEqual([
      'SEARCH posture_group_members USING PRIMARY KEY (connection=? AND endpoint_id=?)',
    ]);
    expect(
      plan(`SELECT version FROM posture_policies WHERE name = ? ORDER BY version DESC LIMIT 1`, ['x']),
    ).toEqual(['SEARCH posture_policies USING COVERING INDEX sqlite_autoindex_posture_policies_1 (name=?)']);
  } finally {
    await store.close();
  }
});
