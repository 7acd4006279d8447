import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { PageWrite, StreamCounts } from '../../src/store/sync.js';
import type { StreamBatch, StreamName, StreamRecord } from '../../src/streams/stream.js';
import { answeredBatch, cveRecord } from '../helpers/cveRecord.js';
import { DIALECTS } from './dialects.js';

/**
 * PostgreSQL moves the rows of endpoints new to a table with a plain insert and the others with the
 * upsert (docs/store.md, "A page is one transaction"); SQLite writes row by row. A page mixing both,
 * with a key repeated in it, stores the same rows and counts the same on both.
 */

const T1 = '2026-11-23T12:00:00Z';
const T2 = '2026-11-24T12:00:00Z';
const STREAMS: StreamName[] = ['vulnerabilities'];

function cve(endpoint: string, id: string, lastFound: string, summary = `summary of ${id}`): StreamRecord {
  return cveRecord(endpoint, id, {
    summary,
    first_found: T1,
    last_found: lastFound,
    absolute_first_found: T1,
  });
}

function batch(rows: StreamRecord[]): StreamBatch {
  return answeredBatch(rows, T1);
}

/** One full pass of one page: its counts for the stream. */
async function onePagePass(store: Store, rows: StreamRecord[]): Promise<StreamCounts> {
  const runId = await store.sync.startRun('default', 'full', STREAMS, T1);
  const generation = await store.sync.beginPass(
    'default',
    STREAMS,
    { mode: 'full', since: null, runId, pageSize: 100 },
    T1,
  );
  const page: PageWrite = {
    connection: 'default',
    runId,
    generation,
    streams: [{ name: 'vulnerabilities', batch: batch(rows) }],
    quarantined: [],
    cursor: null,
    passMaxSeen: T1,
    pageSize: 100,
    pages: 1,
  };
  const counts = await store.sync.writePage(page, T1);
  return counts['vulnerabilities']!;
}

describe.each(DIALECTS)('a page of new and stored endpoints ($name)', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  it('adds the new endpoints’ rows, updates the stored ones’, applies a repeated key in order', async () => {
    const store = await dialect.open();
    open.push(store);
    expect(await onePagePass(store, [cve('1', 'CVE-1', T1), cve('1', 'CVE-2', T1)])).toMatchObject({
      added: 2,
      updated: 0,
      rows: 2,
    });
    // Endpoint 1 is stored (CVE-1 unchanged, CVE-2 changed, CVE-3 new); endpoint 2 is new, its CVE-1
    // answered twice in the page: the later record wins, the row counted once.
    const counts = await onePagePass(store, [
      cve('1', 'CVE-1', T1),
      cve('1', 'CVE-2', T2),
      cve('1', 'CVE-3', T2),
      cve('2', 'CVE-1', T1, 'first'),
      cve('2', 'CVE-1', T2, 'second'),
    ]);
    expect(counts).toMatchObject({ added: 2, updated: 1, removed: 0, rows: 5 });
    const stored: unknown[][] = [];
    for await (const row of store.sync.rows('default', 'vulnerabilities'))
      stored.push([row['endpoint_id'], row['cve_id'], row['last_found'], row['summary']]);
    expect(stored).toEqual([
      ['1', 'CVE-1', T1, 'summary of CVE-1'],
      ['1', 'CVE-2', T2, 'summary of CVE-2'],
      ['1', 'CVE-3', T2, 'summary of CVE-3'],
      ['2', 'CVE-1', T2, 'second'],
    ]);
  });
});
