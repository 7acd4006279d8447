import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { PageWrite } from '../../src/store/sync.js';
import type { StreamBatch, StreamName, StreamRecord } from '../../src/streams/stream.js';
import { complianceRecord } from '../helpers/complianceRecord.js';
import { answeredBatch, cveRecord } from '../helpers/cveRecord.js';
import { tempDir } from '../helpers/emulatorHarness.js';

/**
 * CVE descriptions and compliance rules are stored once and referred to by id (migration 6); the page
 * writer remembers ids across pages. These tests hold it to what readers see through the views.
 */

const NOW = '2026-11-23T12:00:00Z';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

function cve(endpoint: string, id: string, summary = `summary of ${id}`): StreamRecord {
  return cveRecord(endpoint, id, { summary });
}

function rule(endpoint: string, id: string, text = `rule ${id}`): StreamRecord {
  return complianceRecord(endpoint, id, {
    rule_id: `xccdf_${id}`,
    rule: text,
    category: 'Account Policies',
    state: 'fail',
    standard_version: '3.0.1',
    profile_version: '3.0.1',
  });
}

function batch(rows: StreamRecord[]): StreamBatch {
  return answeredBatch(rows, NOW);
}

async function setup() {
  const file = join(tempDir(), 'bridge.db');
  const store = SqliteStore.open(file);
  open.push(store);
  const runId = await store.sync.startRun('default', 'full', ['vulnerabilities', 'compliance'], NOW);
  const generation = await store.sync.beginPass(
    'default',
    ['vulnerabilities', 'compliance'],
    { mode: 'full', since: null, runId, pageSize: 100 },
    NOW,
  );
  let pages = 0;
  const write = (streams: { name: StreamName; batch: StreamBatch }[]) => {
    const page: PageWrite = {
      connection: 'default',
      runId,
      generation,
      streams,
      quarantined: [],
      cursor: null,
      passMaxSeen: NOW,
      pageSize: 100,
      pages: ++pages,
    };
    return store.sync.writePage(page, NOW);
  };
  const cves = () =>
    store.db
      .prepare('SELECT endpoint_id, cve_id, summary FROM vulnerabilities ORDER BY endpoint_id, cve_id')
      .all();
  return { file, store, write, cves, generation };
}

it('a page refers to each CVE and rule once, and readers see whole rows through the views', async () => {
  const { store, write, cves } = await setup();
  const counts = await write([
    { name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1'), cve('1', 'CVE-2'), cve('2', 'CVE-1')]) },
    { name: 'compliance', batch: batch([rule('1', 'R1'), rule('2', 'R1')]) },
  ]);
  expect(counts['vulnerabilities']).toMatchObject({ added: 3, updated: 0, rows: 3 });
  expect(counts['compliance']).toMatchObject({ added: 2, updated: 0, rows: 2 });
  expect(store.db.prepare('SELECT count(*) FROM cve_details').pluck().get()).toBe(2);
  expect(store.db.prepare('SELECT count(*) FROM compliance_rules').pluck().get()).toBe(1);
  expect(cves()).toEqual([
    { endpoint_id: '1', cve_id: 'CVE-1', summary: 'summary of CVE-1' },
    { endpoint_id: '1', cve_id: 'CVE-2', summary: 'summary of CVE-2' },
    { endpoint_id: '2', cve_id: 'CVE-1', summary: 'summary of CVE-1' },
  ]);
  expect(store.db.prepare('SELECT * FROM compliance WHERE endpoint_id = ?').get('2')).toMatchObject({
    finding_id: 'R1',
    rule_id: 'xccdf_R1',
    rule: 'rule R1',
    state: 'fail',
    standard: 'CIS',
  });
  // A changed description points that row at a new details row; the others keep theirs.
  await write([{ name: 'vulnerabilities', batch: batch([cve('2', 'CVE-1', 'rescored')]) }]);
  expect(cves()).toContainEqual({ endpoint_id: '2', cve_id: 'CVE-1', summary: 'rescored' });
  expect(cves()).toContainEqual({ endpoint_id: '1', cve_id: 'CVE-1', summary: 'summary of CVE-1' });
  expect(store.db.prepare('SELECT count(*) FROM cve_details').pluck().get()).toBe(3);
});

it('ids remembered across pages are dropped when another connection has swept them', async () => {
  const { file, write, cves } = await setup();
  await write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1')]) }]);
  // Another process removes the endpoint and sweeps the details nobody uses any more.
  const other = new Database(file);
  open.push(other);
  other.exec(`DELETE FROM vulnerability_findings; DELETE FROM cve_details;`);
  await write([{ name: 'vulnerabilities', batch: batch([cve('2', 'CVE-1')]) }]);
  expect(cves()).toEqual([{ endpoint_id: '2', cve_id: 'CVE-1', summary: 'summary of CVE-1' }]);
});

it('ids added by a page that rolled back are not used by the next page', async () => {
  const { store, write, cves } = await setup();
  const broken = rule('1', 'R1');
  broken['state'] = { not: 'a value SQLite can bind' };
  await expect(
    write([
      { name: 'vulnerabilities', batch: batch([cve('1', 'CVE-9')]) },
      { name: 'compliance', batch: batch([broken]) },
    ]),
  ).rejects.toThrow();
  expect(store.db.prepare('SELECT count(*) FROM cve_details').pluck().get()).toBe(0);
  // A details row that now takes the rolled-back id must not be mistaken for CVE-9's.
  await write([{ name: 'vulnerabilities', batch: batch([cve('3', 'CVE-0')]) }]);
  await write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-9')]) }]);
  expect(cves()).toEqual([
    { endpoint_id: '1', cve_id: 'CVE-9', summary: 'summary of CVE-9' },
    { endpoint_id: '3', cve_id: 'CVE-0', summary: 'summary of CVE-0' },
  ]);
});

it('a complete full pass sweeps details and rules no row refers to', async () => {
  const { store, write, generation } = await setup();
  await write([
    { name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1', 'old text')]) },
    { name: 'compliance', batch: batch([rule('1', 'R1', 'old rule')]) },
  ]);
  await write([
    { name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1', 'new text')]) },
    { name: 'compliance', batch: batch([rule('1', 'R1', 'new rule')]) },
  ]);
  expect(store.db.prepare('SELECT count(*) FROM cve_details').pluck().get()).toBe(2);
  await store.sync.completePass(
    'default',
    ['vulnerabilities', 'compliance'],
    { mode: 'full', generation, passMaxSeen: NOW },
    NOW,
  );
  expect(store.db.prepare('SELECT summary FROM cve_details').pluck().all()).toEqual(['new text']);
  expect(store.db.prepare('SELECT rule FROM compliance_rules').pluck().all()).toEqual(['new rule']);
  // The sweep forgot remembered ids: the next page still lands whole.
  await write([{ name: 'vulnerabilities', batch: batch([cve('2', 'CVE-1', 'old text')]) }]);
  expect(store.db.prepare('SELECT summary FROM vulnerabilities WHERE endpoint_id = ?').pluck().get('2')).toBe(
    'old text',
  );
});

it('migration 6 carries findings of a version-5 database over unchanged', () => {
  const db = new Database(join(tempDir(), 'bridge.db'));
  open.push(db);
  migrate(db, sqliteMigrations.slice(0, 5));
  const addVuln = db.prepare(
    `INSERT INTO vulnerabilities VALUES ('default', ?, ?, '2024', ?, NULL, 'High', NULL, ?, ?, ?, ?, 0, 0, 0.5, 3, 1, 2)`,
  );
  addVuln.run('1', 'CVE-1', 7.5, 'a summary', NOW, NOW, NOW);
  addVuln.run('2', 'CVE-1', 7.5, 'a summary', NOW, NOW, NOW);
  addVuln.run('2', 'CVE-2', null, 'another, with "quotes" and ünïcode', NOW, null, NOW);
  db.prepare(
    `INSERT INTO compliance VALUES ('default', ?, 'R1', 'xccdf_R1', 'text', 'Cat', ?, 'CIS', '1', NULL, NULL, ?, ?, 0, 3, 1, 2)`,
  ).run('1', 'pass', NOW, NOW);
  db.prepare(
    `INSERT INTO compliance VALUES ('default', ?, 'R1', 'xccdf_R1', 'text', 'Cat', ?, 'CIS', '1', NULL, NULL, ?, ?, 0, 3, 1, 2)`,
  ).run('2', 'fail', NOW, null);
  const before = {
    v: db.prepare('SELECT * FROM vulnerabilities ORDER BY endpoint_id, cve_id').all(),
    c: db.prepare('SELECT * FROM compliance ORDER BY endpoint_id, finding_id').all(),
  };
  expect(migrate(db, sqliteMigrations.slice(0, 6))).toEqual([6]);
  expect(db.prepare('SELECT * FROM vulnerabilities ORDER BY endpoint_id, cve_id').all()).toEqual(before.v);
  expect(db.prepare('SELECT * FROM compliance ORDER BY endpoint_id, finding_id').all()).toEqual(before.c);
  expect(db.prepare('SELECT count(*) FROM cve_details').pluck().get()).toBe(2);
  expect(db.prepare('SELECT count(*) FROM compliance_rules').pluck().get()).toBe(1);
});
