import type { Field, StreamName } from '../../streams/stream.js';

/**
 * Where each stream lives in PostgreSQL (migration 002_sync): the table its rows are written to, the
 * view readers see (the stream's fields, then `answered_at` and `status` for scoped streams), and the
 * shared table a stream's descriptive fields (`StreamDefinition.descriptiveFields`) are kept in, once
 * per distinct set of values, referred to by the rows.
 */
export interface PgStreamLayout {
  /** What readers select from: a table, or a view joining the shared details and scope answers. */
  view: string;
  rowsTable: string;
  shared?: PgSharedLayout;
  /** JSON fields stored as `json` (text kept as written) rather than `jsonb`: compared as text. */
  jsonText?: readonly string[];
}

export interface PgSharedLayout {
  table: string;
  /** The rows' column holding the shared row's id. */
  ref: string;
}

export const PG_LAYOUT: Readonly<Record<StreamName, PgStreamLayout>> = {
  assets: { view: 'assets', rowsTable: 'assets' },
  vulnerabilities: {
    view: 'vulnerabilities',
    rowsTable: 'vulnerability_findings',
    // EPSS stays on the finding: it changes daily and would otherwise add a CVE row a day.
    shared: { table: 'cve_details', ref: 'cve_ref' },
  },
  compliance: {
    view: 'compliance',
    rowsTable: 'compliance_findings',
    shared: { table: 'compliance_rules', ref: 'rule_ref' },
  },
  // A sensor's columns stay in Tanium's order (jsonb would sort the keys).
  sensors: { view: 'sensor_readings', rowsTable: 'sensor_rows', jsonText: ['columns'] },
};

/** The PostgreSQL type a field is stored (and staged) as. */
export function pgType(layout: PgStreamLayout, field: Field): string {
  switch (field.type) {
    case 'integer':
      return 'bigint';
    case 'real':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'json':
      return layout.jsonText?.includes(field.name) ? 'json' : 'jsonb';
    default:
      return 'text COLLATE "C"';
  }
}
