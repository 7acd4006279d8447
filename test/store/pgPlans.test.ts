import { describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
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
});
