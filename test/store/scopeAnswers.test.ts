import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { STREAMS } from '../../src/streams/index.js';
import {
  emptyBatch,
  type StreamBatch,
  type StreamName,
  type StreamRecord,
} from '../../src/streams/stream.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { DIALECTS, type DialectUnderTest } from './dialects.js';

/**
 * How each scope was last answered (migration 9): kept rows stay, and say since when they are not
 * answered; a null asset field keeps its stored value. The streams feed these batches from Gateway nodes.
 */

const NOW = '2026-11-23T12:00:00Z';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

/** Reads nodes with a stream, as the runner does. */
function read(stream: StreamName, nodes: Record<string, unknown>[], sensors: string[] = []): StreamBatch {
  const batch = emptyBatch();
  for (const node of nodes) STREAMS[stream].read(node, node['id'] as string, batch, { sensors });
  return batch;
}

async function setup(dialect: DialectUnderTest) {
  const store = await dialect.open();
  open.push(store);
  const streams: StreamName[] = ['assets', 'vulnerabilities', 'sensors'];
  const pass = async (mode: 'full' | 'incremental', pages: Partial<Record<StreamName, StreamBatch>>[]) => {
    const runId = await store.sync.startRun('default', mode, streams, NOW);
    const generation = await store.sync.beginPass(
      'default',
      streams,
      { mode, since: null, runId, pageSize: 100 },
      NOW,
    );
    const counts = [];
    for (const [n, page] of pages.entries())
      counts.push(
        await store.sync.writePage(
          {
            connection: 'default',
            runId,
            generation,
            streams: Object.entries(page).map(([name, batch]) => ({
              name: name as StreamName,
              batch: batch!,
            })),
            quarantined: [],
            cursor: null,
            passMaxSeen: NOW,
            pageSize: 100,
            pages: n + 1,
          },
          NOW,
        ),
      );
    await store.sync.completePass('default', streams, { mode, generation, passMaxSeen: NOW }, NOW);
    return counts;
  };
  const rows = async (stream: StreamName) => {
    const out: StreamRecord[] = [];
    for await (const row of store.sync.rows('default', stream)) out.push(row);
    return out;
  };
  return { store, pass, rows };
}

const cve = (cveId: string, epssScore: number | null = 0.1) => ({ cveId, epssScore, lastFound: NOW });
const patches = (values: string[]) => ({
  columns: [{ name: 'Title', values, sensor: { name: 'Applicable Patches' } }],
});

describe.each(DIALECTS)('scope answers ($name)', (dialect) => {
  it('a page removes the findings its answers no longer list, beside the rows it writes', async () => {
    const { pass, rows } = await setup(dialect);
    const t0 = '2026-11-20T10:00:00Z';
    const t1 = '2026-11-23T10:00:00Z';
    const first = await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: t0, compliance: { cveFindings: [cve('CVE-1'), cve('CVE-2')] } },
        ]),
      },
    ]);
    expect(first[0]!['vulnerabilities']).toMatchObject({ added: 2, removed: 0 });
    // Endpoint 1 now lists CVE-1 only; endpoint 3 is new: the page both writes rows and removes one.
    const [counts] = await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: t1, compliance: { cveFindings: [cve('CVE-1')] } },
          { id: '3', eidLastSeen: t1, compliance: { cveFindings: [cve('CVE-3')] } },
        ]),
      },
    ]);
    expect(counts!['vulnerabilities']).toMatchObject({ added: 1, removed: 1 });
    expect((await rows('vulnerabilities')).map((r) => [r['endpoint_id'], r['cve_id']])).toEqual([
      ['1', 'CVE-1'],
      ['3', 'CVE-3'],
    ]);
  });

  it('null findings and unavailable readings keep the stored rows, marked with their last real answer', async () => {
    const { pass, rows } = await setup(dialect);
    const t0 = '2026-11-20T10:00:00Z';
    const t1 = '2026-11-23T10:00:00Z';
    await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: t0, compliance: { cveFindings: [cve('CVE-1'), cve('CVE-2')] } },
          { id: '2', eidLastSeen: t0, compliance: { cveFindings: [cve('CVE-1')] } },
        ]),
        sensors: read(
          'sensors',
          [{ id: '1', eidLastSeen: t0, sensorReadings: patches(['KB1', 'KB2']) }],
          ['Applicable Patches'],
        ),
      },
    ]);
    // The second pass: endpoint 1 answers compliance null and a TSE-Error reading; endpoint 2 answers [].
    const [counts] = await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: t1, compliance: null },
          { id: '2', eidLastSeen: t1, compliance: { cveFindings: [] } },
        ]),
        sensors: read(
          'sensors',
          [{ id: '1', eidLastSeen: t1, sensorReadings: patches(['TSE-Error: timed out']) }],
          ['Applicable Patches'],
        ),
      },
    ]);
    expect(counts!['vulnerabilities']).toMatchObject({ unknown: 1, removed: 1 });
    expect(counts!['sensors']).toMatchObject({ unknown: 1, removed: 0 });
    // Kept through the full pass's sweep, with the time of the last real answer.
    expect(
      (await rows('vulnerabilities')).map((r) => [
        r['endpoint_id'],
        r['cve_id'],
        r['answered_at'],
        r['status'],
      ]),
    ).toEqual([
      ['1', 'CVE-1', t0, 'unknown'],
      ['1', 'CVE-2', t0, 'unknown'],
    ]);
    expect(
      (await rows('sensors')).map((r) => [r['row_index'], r['columns'], r['answered_at'], r['status']]),
    ).toEqual([
      [0, { title: 'KB1' }, t0, 'error'],
      [1, { title: 'KB2' }, t0, 'error'],
    ]);
    // Answered again: the rows are replaced and the status is answered.
    await pass('incremental', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: NOW, compliance: { cveFindings: [cve('CVE-2')] } },
        ]),
      },
    ]);
    expect((await rows('vulnerabilities')).map((r) => [r['cve_id'], r['answered_at'], r['status']])).toEqual([
      ['CVE-2', NOW, 'answered'],
    ]);
  });

  it('scopeAnswers reads every scope, those without rows too, a chunk at a time', async () => {
    const { store, pass } = await setup(dialect);
    const t0 = '2026-11-20T10:00:00Z';
    await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: t0, compliance: { cveFindings: [cve('CVE-1')] } },
          { id: '2', eidLastSeen: t0, compliance: null },
          { id: '3', eidLastSeen: t0, compliance: { cveFindings: [] } },
        ]),
        sensors: read(
          'sensors',
          [
            { id: '1', eidLastSeen: t0, sensorReadings: patches(['TSE-Error: timed out']) },
            { id: '2', eidLastSeen: t0, sensorReadings: patches(['KB1']) },
          ],
          ['Applicable Patches'],
        ),
      },
    ]);
    const answers = async (stream: StreamName, chunk?: number) => {
      const out = [];
      for await (const answer of store.sync.scopeAnswers('default', stream, chunk)) out.push(answer);
      return out;
    };
    const scope = (endpointId: string, status: string, answeredAt: string | null, name = '') => ({
      endpointId,
      scope: name,
      status,
      answeredAt,
      checkedAt: t0,
    });
    // Endpoint 2 was never answered and endpoint 3 has no findings: neither has a row to show it.
    const findings = [scope('1', 'answered', t0), scope('2', 'unknown', null), scope('3', 'answered', t0)];
    expect(await answers('vulnerabilities')).toEqual(findings);
    expect(await answers('vulnerabilities', 2)).toEqual(findings);
    expect(await answers('vulnerabilities', 1)).toEqual(findings);
    // A chunk below one reads a row at a time: it neither stops early nor starts over for ever.
    expect(await answers('vulnerabilities', 0)).toEqual(findings);
    expect(await answers('vulnerabilities', -1)).toEqual(findings);
    const rowsIn = async (chunk: number) => {
      const out = [];
      for await (const row of store.sync.rows('default', 'vulnerabilities', chunk)) out.push(row['cve_id']);
      return out;
    };
    expect(await rowsIn(0)).toEqual(['CVE-1']);
    expect(await rowsIn(-1)).toEqual(['CVE-1']);
    expect(await answers('sensors')).toEqual([
      scope('1', 'error', null, 'Applicable Patches'),
      scope('2', 'answered', t0, 'Applicable Patches'),
    ]);
    expect(await answers('compliance')).toEqual([]);
    expect(await answers('assets')).toEqual([]);
    expect(await store.sync.count('default', 'sensors')).toBe(1);
  });

  it('a quarantined finding keeps its stored row; a null experimental field keeps its stored value', async () => {
    const { pass, rows } = await setup(dialect);
    await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          { id: '1', eidLastSeen: NOW, compliance: { cveFindings: [cve('CVE-1'), cve('CVE-2', 0.5)] } },
        ]),
      },
    ]);
    const [counts] = await pass('full', [
      {
        vulnerabilities: read('vulnerabilities', [
          {
            id: '1',
            eidLastSeen: NOW,
            compliance: { cveFindings: [{ ...cve('CVE-1'), lastFound: 'never' }, cve('CVE-2', null)] },
          },
        ]),
      },
    ]);
    expect(counts!['vulnerabilities']).toMatchObject({ quarantined: 1, removed: 0, updated: 0 });
    expect((await rows('vulnerabilities')).map((r) => [r['cve_id'], r['epss_score'], r['status']])).toEqual([
      ['CVE-1', 0.1, 'answered'],
      ['CVE-2', 0.5, 'answered'],
    ]);
  });

  it('an asset field answered null keeps its stored value and its addresses, and is named', async () => {
    const { store, pass, rows } = await setup(dialect);
    const asset = {
      id: '1',
      name: 'ws-1',
      ipAddress: '10.0.0.1',
      ipAddresses: ['10.0.0.1', '100.64.0.1'],
      macAddresses: ['aa:bb'],
      isEncrypted: true,
      eidLastSeen: NOW,
    };
    await pass('full', [{ assets: read('assets', [asset]) }]);
    const [counts] = await pass('full', [
      {
        assets: read('assets', [{ ...asset, ipAddresses: null, macAddresses: ['cc:dd'], isEncrypted: null }]),
      },
    ]);
    // The MAC changed (an update); the nulls are not.
    expect(counts!['assets']).toMatchObject({ unknown: 1, updated: 1 });
    const [row] = await rows('assets');
    expect(row).toMatchObject({
      is_encrypted: true,
      ip_addresses: ['10.0.0.1', '100.64.0.1'],
      mac_addresses: ['cc:dd'],
    });
    expect(row!['unknown_fields']).toContain('ip_addresses');
    // Posture finds it by every address it kept, and by the new MAC only.
    const ids = async (key: 'ip' | 'mac', value: string) =>
      (await store.posture.find('default', key, [value], 10)).map((e) => e.endpointId);
    expect(await ids('ip', '10.0.0.1')).toEqual(['1']);
    expect(await ids('ip', '100.64.0.1')).toEqual(['1']);
    expect(await ids('mac', 'cc:dd')).toEqual(['1']);
    expect(await ids('mac', 'aa:bb')).toEqual([]);
    // Only nulls this time: nothing counts as updated.
    const [again] = await pass('full', [
      {
        assets: read('assets', [{ ...asset, ipAddresses: null, macAddresses: ['cc:dd'], isEncrypted: null }]),
      },
    ]);
    expect(again!['assets']).toMatchObject({ unknown: 1, updated: 0, added: 0 });
  });
});

it('migration 9 carries an earlier store over: rows answered, time not recorded', () => {
  const db = new Database(join(tempDir(), 'bridge.db'));
  open.push(db);
  migrate(db, sqliteMigrations.slice(0, 8));
  db.prepare(
    `INSERT INTO sensor_readings VALUES ('default', '1', 'Online', 0, '{"online":"True"}', 3, 1, 2)`,
  ).run();
  db.prepare(
    `INSERT INTO assets (connection, endpoint_id, seen_gen, created_run, changed_run) VALUES ('default', '1', 3, 1, 2)`,
  ).run();
  expect(migrate(db, sqliteMigrations.slice(0, 9))).toEqual([9]);
  expect(db.prepare('SELECT * FROM sensor_readings').all()).toEqual([
    {
      connection: 'default',
      endpoint_id: '1',
      sensor: 'Online',
      row_index: 0,
      columns: '{"online":"True"}',
      answered_at: null,
      status: 'answered',
      seen_gen: 3,
      created_run: 1,
      changed_run: 2,
    },
  ]);
  expect(db.prepare('SELECT unknown_fields FROM assets').pluck().get()).toBeNull();
});
