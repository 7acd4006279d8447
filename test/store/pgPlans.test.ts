import { describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import type { StreamRecord } from '../../src/streams/stream.js';
import { POSTGRES_DIALECTS } from './dialects.js';

/**
 * PostgreSQL plans of the reads that run per row (the views' details and answers) and of the page
 * writer's per-endpoint statements: each must reach its rows by key even on tables that have never been
 * analysed (a first sync's), where the planner once scanned every scope answer for every finding.
 */
describe.each(POSTGRES_DIALECTS)('query plans ($name)', (dialect) => {
  it('the views reach details and answers by key; scope removal goes through the key of the endpoint', async () => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const plan = async (sql: string) =>
        (await store.session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      for (const [view, key] of [
        ['vulnerabilities', 'endpoint_id, cve_id'],
        ['compliance', 'endpoint_id, finding_id'],
        ['sensor_readings', 'endpoint_id, sensor, row_index'],
      ] as const) {
        const text = await plan(
          `SELECT * FROM ${view} WHERE connection = 'default' AND (${key}) > ('1', '2'${view === 'sensor_readings' ? ', 3' : ''})
           ORDER BY ${key} LIMIT 1000`,
        );
        expect(text, text).toMatch(/Index Scan using scope_answers_pkey on scope_answers/);
        expect(text, text).toMatch(
          /Index Cond: \(\(connection = \w+\.connection\) AND \(stream = '\w+'::text\) AND \(endpoint_id = \w+\.endpoint_id\)/,
        );
        expect(text, text).not.toMatch(/Seq Scan on (scope_answers|cve_details|compliance_rules)/);
        if (view !== 'sensor_readings')
          expect(text, text).toMatch(/Index (Only )?Scan using (cve_details|compliance_rules)_pkey/);
      }
      for (const table of ['vulnerability_findings', 'compliance_findings']) {
        const text = await plan(
          `DELETE FROM ${table} t WHERE t.connection = 'default'
           AND t.endpoint_id = ANY('{e1,e2,e3}'::text[]) AND t.seen_gen < 3`,
        );
        expect(text, text).toMatch(
          /Index Cond: \(\(connection = 'default'::text\) AND \(endpoint_id = ANY \('\{e1,e2,e3\}'::text\[\]\)\)\)/,
        );
      }
    } finally {
      await store.close();
    }
  });

  it('after its first page a writer has analysed the tables it wrote', async () => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const now = '2026-12-01T12:00:00Z';
      const endpoints = Array.from({ length: 300 }, (_, e) => String(1_000_000 + e));
      const rows: StreamRecord[] = endpoints.flatMap((e) =>
        Array.from({ length: 20 }, (_, c) => ({
          endpoint_id: e,
          cve_id: `CVE-${c}`,
          cve_year: '2024',
          cvss_score: 7.5,
          cvss_score_v3: null,
          severity: 'High',
          severity_v3: null,
          summary: `summary ${c}`,
          first_found: now,
          last_found: now,
          absolute_first_found: now,
          is_cisa_kev: false,
          excepted: false,
          epss_score: 0.01,
        })),
      );
      await store.connections.upsert({ name: 'c', kind: 'server', address: 'https://t.example' }, now);
      const runId = await store.sync.startRun('c', 'full', ['vulnerabilities'], now);
      const generation = await store.sync.beginPass(
        'c',
        ['vulnerabilities'],
        { mode: 'full', since: null, runId, pageSize: 300 },
        now,
      );
      const replaced = endpoints.map((e) => ({ scope: [e], status: 'answered' as const, at: now }));
      await store.sync.writePage(
        {
          connection: 'c',
          runId,
          generation,
          streams: [
            { name: 'vulnerabilities', batch: { rows, replaced, kept: [], unknown: 0, quarantined: [] } },
          ],
          quarantined: [],
          cursor: 'next',
          passMaxSeen: now,
          pageSize: 300,
          pages: 1,
        },
        now,
      );
      // The planner now knows every row is the connection's: it no longer takes the connection's rows
      // as few and finds a page's scopes through all of them (an index condition on the connection
      // alone; on a small table a scan is the cheaper plan, on a large one the endpoint's key).
      const { rows: stats } = await store.session.query<{ n_distinct: number }>(
        `SELECT n_distinct FROM pg_stats WHERE schemaname = current_schema()
         AND tablename = 'vulnerability_findings' AND attname = 'connection'`,
      );
      expect(stats).toEqual([{ n_distinct: 1 }]);
      const text = (
        await store.session.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN DELETE FROM vulnerability_findings t WHERE t.connection = 'c'
           AND t.endpoint_id = ANY($1::text[]) AND t.seen_gen < 2`,
          [endpoints.slice(0, 200).map((e) => `${e}x`)],
        )
      ).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      expect(text, text).not.toMatch(/Index Cond: \(connection = 'c'::text\)\n/);
    } finally {
      await store.close();
    }
  });
});
