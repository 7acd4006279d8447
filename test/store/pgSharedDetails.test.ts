import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import { arrayLiteral } from '../../src/store/postgres/sqlLiteral.js';
import type { Store } from '../../src/store/store.js';
import type { PageWrite } from '../../src/store/sync.js';
import type { StreamBatch, StreamName, StreamRecord } from '../../src/streams/stream.js';
import { complianceRecord } from '../helpers/complianceRecord.js';
import { answeredBatch, cveRecord } from '../helpers/cveRecord.js';
import { POSTGRES_DIALECTS } from './dialects.js';

/**
 * PostgreSQL keeps CVE descriptions and compliance rules once per distinct set of values
 * (migration 002_sync), and the page writer remembers their ids across pages
 * (src/store/postgres/sharedDetails.ts). What readers see through the views must never depend on a
 * remembered id: not after a rollback, not after another process's sweep.
 */

const NOW = '2026-11-23T12:00:00Z';

function cve(endpoint: string, id: string, summary = `summary of ${id}`): StreamRecord {
  return cveRecord(endpoint, id, { summary });
}

function batch(rows: StreamRecord[]): StreamBatch {
  return answeredBatch(rows, NOW);
}

const STREAMS: StreamName[] = ['vulnerabilities', 'compliance'];

/** A pass of `connection` on `store`: `write` commits one page, `complete` ends the pass. */
async function pass(store: Store, connection: string) {
  const runId = await store.sync.startRun(connection, 'full', STREAMS, NOW);
  const generation = await store.sync.beginPass(
    connection,
    STREAMS,
    { mode: 'full', since: null, runId, pageSize: 100 },
    NOW,
  );
  let pages = 0;
  return {
    write(streams: { name: StreamName; batch: StreamBatch }[]) {
      const page: PageWrite = {
        connection,
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
    },
    complete: () =>
      store.sync.completePass(connection, STREAMS, { mode: 'full', generation, passMaxSeen: NOW }, NOW),
  };
}

async function rows(store: Store, stream: StreamName, connection = 'default') {
  const out: StreamRecord[] = [];
  for await (const row of store.sync.rows(connection, stream)) out.push(row);
  return out;
}

const summaries = async (store: Store) =>
  (await rows(store, 'vulnerabilities')).map((r) => [r['endpoint_id'], r['cve_id'], r['summary']]);

const detailCount = async (store: Store, table: 'cve_details' | 'compliance_rules') =>
  (await (store as PostgresStore).session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))
    .rows[0]!.n;

describe.each(POSTGRES_DIALECTS)('shared details ($name)', (dialect) => {
  const open: Store[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    for (const drop of drops.splice(0)) await drop();
  });
  /** A fresh schema, and a way to open another handle on it (as another process would). */
  const fresh = async () => {
    const cli = await dialect.cliEnv();
    drops.push(cli.drop);
    const another = async () => {
      const handle = await cli.open('');
      open.push(handle);
      return handle;
    };
    return { store: await another(), another };
  };

  it('a page stores each CVE and rule once; readers see whole rows; a new description is a new row', async () => {
    const { store } = await fresh();
    const p = await pass(store, 'default');
    const counts = await p.write([
      { name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1'), cve('1', 'CVE-2'), cve('2', 'CVE-1')]) },
      {
        name: 'compliance',
        batch: batch([
          complianceRecord('1', 'R1', { rule_id: 'xccdf_R1', rule: 'rule R1', state: 'fail' }),
          complianceRecord('2', 'R1', { rule_id: 'xccdf_R1', rule: 'rule R1', state: 'fail' }),
        ]),
      },
    ]);
    expect(counts['vulnerabilities']).toMatchObject({ added: 3, updated: 0, rows: 3 });
    expect(counts['compliance']).toMatchObject({ added: 2, updated: 0, rows: 2 });
    expect(await detailCount(store, 'cve_details')).toBe(2);
    expect(await detailCount(store, 'compliance_rules')).toBe(1);
    expect(await summaries(store)).toEqual([
      ['1', 'CVE-1', 'summary of CVE-1'],
      ['1', 'CVE-2', 'summary of CVE-2'],
      ['2', 'CVE-1', 'summary of CVE-1'],
    ]);
    expect((await rows(store, 'compliance'))[1]).toMatchObject({
      endpoint_id: '2',
      finding_id: 'R1',
      rule_id: 'xccdf_R1',
      rule: 'rule R1',
      state: 'fail',
      standard: 'CIS',
      status: 'answered',
    });
    const changed = await p.write([
      { name: 'vulnerabilities', batch: batch([cve('2', 'CVE-1', 'rescored')]) },
    ]);
    // Added earlier in this run: counted then, not again (neither added nor updated), as on SQLite.
    expect(changed['vulnerabilities']).toMatchObject({ added: 0, updated: 0, rows: 1 });
    expect(await summaries(store)).toContainEqual(['2', 'CVE-1', 'rescored']);
    expect(await summaries(store)).toContainEqual(['1', 'CVE-1', 'summary of CVE-1']);
    expect(await detailCount(store, 'cve_details')).toBe(3);
  });

  it('ids remembered across pages are dropped when another process has swept them', async () => {
    const { store, another } = await fresh();
    const a = await pass(store, 'default');
    await a.write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-1')]) }]);
    // Another process: the endpoint's findings go (a full pass of `default` would do the same), and a
    // full pass of another connection sweeps the details nobody refers to any more.
    const second = (await another()) as PostgresStore;
    await second.session.query(`DELETE FROM vulnerability_findings`);
    await (await pass(second, 'other')).complete();
    expect(await detailCount(store, 'cve_details')).toBe(0);
    await a.write([{ name: 'vulnerabilities', batch: batch([cve('2', 'CVE-1')]) }]);
    expect(await summaries(store)).toEqual([['2', 'CVE-1', 'summary of CVE-1']]);
  });
});

describe.each(POSTGRES_DIALECTS)('shared details after a rollback and a sweep ($name)', (dialect) => {
  it('ids added by a page that rolled back are not used by the next page; a full pass sweeps unused details', async () => {
    const cli = await dialect.cliEnv();
    const store = await cli.open('');
    try {
      const p = await pass(store, 'default');
      const broken = cve('1', 'CVE-8');
      broken['epss_score'] = Number.NaN; // not a value the page writer copies: the page rolls back
      await expect(
        p.write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-9'), broken]) }]),
      ).rejects.toThrow();
      expect(await detailCount(store, 'cve_details')).toBe(0);
      // A details row that now takes a rolled-back id must not be mistaken for CVE-9's.
      await p.write([{ name: 'vulnerabilities', batch: batch([cve('3', 'CVE-0')]) }]);
      await p.write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-9', 'old text')]) }]);
      await p.write([{ name: 'vulnerabilities', batch: batch([cve('1', 'CVE-9', 'new text')]) }]);
      expect(await summaries(store)).toEqual([
        ['1', 'CVE-9', 'new text'],
        ['3', 'CVE-0', 'summary of CVE-0'],
      ]);
      expect(await detailCount(store, 'cve_details')).toBe(3);
      expect(await p.complete()).toEqual({ vulnerabilities: 0, compliance: 0 });
      expect(await detailCount(store, 'cve_details')).toBe(2);
      // The sweep forgot remembered ids: the next pass still lands whole.
      const q = await pass(store, 'default');
      await q.write([{ name: 'vulnerabilities', batch: batch([cve('2', 'CVE-9', 'old text')]) }]);
      expect(await summaries(store)).toContainEqual(['2', 'CVE-9', 'old text']);
    } finally {
      await store.close();
      await cli.drop();
    }
  });
});

describe.each(POSTGRES_DIALECTS)('shared JSON values ($name)', (dialect) => {
  // No stream has a JSON descriptive field yet: the jsonb[] literal its insert would use, read back.
  it.each([
    { what: 'a NUL', values: [{ a: 'x\0y' }, null], pg: [{ a: 'x\ufffdy' }, null] },
    {
      what: 'lone surrogates',
      values: [['\ud800', '\udfff😀'], { a: 1 }],
      pg: [['\ufffd', '\ufffd😀'], { a: 1 }],
    },
  ])('a jsonb[] literal takes objects holding $what, as U+FFFD', async ({ values, pg }) => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const { rows } = await store.session.query<{ v: unknown[] }>(
        `SELECT ${arrayLiteral(values, 'jsonb[]')} AS v`,
      );
      expect(rows[0]!.v).toEqual(pg);
    } finally {
      await store.close();
    }
  });
});
