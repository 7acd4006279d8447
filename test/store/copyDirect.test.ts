import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import type { Store } from '../../src/store/store.js';
import type { PageWrite } from '../../src/store/sync.js';
import { STREAMS as DEFINITIONS } from '../../src/streams/index.js';
import type { StreamBatch, StreamName, StreamRecord } from '../../src/streams/stream.js';
import { answeredBatch, cveRecord } from '../helpers/cveRecord.js';
import { DIALECTS, POSTGRES_DIALECTS } from './dialects.js';

/**
 * PostgreSQL copies the rows of endpoints with no row of the connection in a table straight into it
 * and sends the others through the staging table's upsert (docs/store.md, "A page is one
 * transaction"). A resumed pass whose page overlaps rows already committed must upsert those: the same
 * rows and counts as SQLite, nothing stored twice, addresses replaced as a set.
 */

const T1 = '2026-11-23T12:00:00Z';
const T2 = '2026-11-24T12:00:00Z';
const STREAMS: StreamName[] = ['assets', 'vulnerabilities'];

function asset(id: string, ips: string[], macs: string[], lastSeen = T1): StreamRecord {
  const record: StreamRecord = Object.fromEntries(DEFINITIONS.assets.fields.map((f) => [f.name, null]));
  return {
    ...record,
    endpoint_id: id,
    name: `host-${id}`,
    ip_address: ips[0] ?? null,
    ip_addresses: ips,
    mac_addresses: macs,
    last_seen: lastSeen,
  };
}

function assets(rows: StreamRecord[]): StreamBatch {
  return { rows, replaced: [], kept: [], unknown: 0, quarantined: [] };
}

function cve(endpoint: string, id: string, lastFound = T1): StreamRecord {
  return cveRecord(endpoint, id, { first_found: T1, last_found: lastFound, absolute_first_found: T1 });
}

/** One full pass of `store`: `write` commits its next page, `complete` ends it. */
async function pass(store: Store) {
  const runId = await store.sync.startRun('default', 'full', STREAMS, T1);
  const generation = await store.sync.beginPass(
    'default',
    STREAMS,
    { mode: 'full', since: null, runId, pageSize: 100 },
    T1,
  );
  let pages = 0;
  return {
    write(hosts: StreamRecord[], findings: StreamRecord[]) {
      const page: PageWrite = {
        connection: 'default',
        runId,
        generation,
        streams: [
          { name: 'assets', batch: assets(hosts) },
          { name: 'vulnerabilities', batch: answeredBatch(findings, T1) },
        ],
        quarantined: [],
        cursor: null,
        passMaxSeen: T1,
        pageSize: 100,
        pages: ++pages,
      };
      return store.sync.writePage(page, T1);
    },
    complete: () =>
      store.sync.completePass('default', STREAMS, { mode: 'full', generation, passMaxSeen: T1 }, T1),
  };
}

async function stored(store: Store, stream: StreamName, fields: string[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const row of store.sync.rows('default', stream)) out.push(fields.map((f) => row[f]));
  return out;
}

/** A first page, then the page read again after a resume: endpoint 2 overlaps, endpoint 3 is new. */
async function resumedPass(store: Store) {
  const p = await pass(store);
  const first = await p.write(
    [asset('1', ['10.0.0.1'], ['aa:01']), asset('2', ['10.0.0.2'], ['aa:02'])],
    [cve('1', 'CVE-1'), cve('2', 'CVE-1'), cve('2', 'CVE-2')],
  );
  const again = await p.write(
    [asset('2', ['10.0.0.20'], ['aa:02'], T2), asset('3', ['10.0.0.3', 'x'], ['x', 'aa:03'])],
    [cve('2', 'CVE-1'), cve('2', 'CVE-2', T2), cve('3', 'CVE-1')],
  );
  const removed = await p.complete();
  return { first, again, removed };
}

describe.each(DIALECTS)('a resumed pass over committed rows ($name)', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  it('upserts the rows already committed, adds the new ones once, counts as SQLite', async () => {
    const store = await dialect.open();
    open.push(store);
    const { first, again, removed } = await resumedPass(store);
    expect(first['assets']).toMatchObject({ added: 2, updated: 0 });
    expect(first['vulnerabilities']).toMatchObject({ added: 3, updated: 0 });
    // A row this run added is counted once, as added, however often the run writes it again.
    expect(again['assets']).toMatchObject({ added: 1, updated: 0 });
    expect(again['vulnerabilities']).toMatchObject({ added: 1, updated: 0, removed: 0 });
    // Endpoint 1 was seen by the pass's first page: nothing is swept.
    expect(removed).toEqual({ assets: 0, vulnerabilities: 0 });
    expect(await stored(store, 'assets', ['endpoint_id', 'ip_address', 'last_seen'])).toEqual([
      ['1', '10.0.0.1', T1],
      ['2', '10.0.0.20', T2],
      ['3', '10.0.0.3', T1],
    ]);
    expect(await stored(store, 'vulnerabilities', ['endpoint_id', 'cve_id', 'last_found'])).toEqual([
      ['1', 'CVE-1', T1],
      ['2', 'CVE-1', T1],
      ['2', 'CVE-2', T2],
      ['3', 'CVE-1', T1],
    ]);
  });
});

describe.each(POSTGRES_DIALECTS)('asset addresses copied or replaced ($name)', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  it('stores each address of a new asset once (IPs first) and replaces a stored asset’s set', async () => {
    const store = (await dialect.open()) as PostgresStore;
    open.push(store);
    await resumedPass(store);
    const { rows } = await store.session.query<{ endpoint_id: string; address: string; kind: string }>(
      'SELECT endpoint_id, address, kind FROM asset_addresses ORDER BY endpoint_id, address',
    );
    expect(rows.map((r) => [r.endpoint_id, r.address, r.kind])).toEqual([
      ['1', '10.0.0.1', 'ip'],
      ['1', 'aa:01', 'mac'],
      ['2', '10.0.0.20', 'ip'],
      ['2', 'aa:02', 'mac'],
      ['3', '10.0.0.3', 'ip'],
      ['3', 'aa:03', 'mac'],
      ['3', 'x', 'ip'],
    ]);
  });
});
