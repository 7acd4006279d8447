import type { StreamName } from '../../streams/stream.js';
import type { CopyType } from './copyText.js';

/**
 * Where each stream lives in PostgreSQL (migration 002_sync): the table its rows are written to, the
 * view readers see (the stream's fields, then `answered_at` and `status` for scoped streams), and the
 * descriptive fields kept once per distinct set of values in a shared table the rows refer to.
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
  /** Fields kept in `table`; key fields listed here are kept in the rows as well. */
  fields: readonly string[];
}

export const PG_LAYOUT: Readonly<Record<StreamName, PgStreamLayout>> = {
  assets: { view: 'assets', rowsTable: 'assets' },
  vulnerabilities: {
    view: 'vulnerabilities',
    rowsTable: 'vulnerability_findings',
    // EPSS stays on the finding: it changes daily and would otherwise add a CVE row a day.
    shared: {
      table: 'cve_details',
      ref: 'cve_ref',
      fields: [
        'cve_id',
        'cve_year',
        'cvss_score',
        'cvss_score_v3',
        'severity',
        'severity_v3',
        'summary',
        'is_cisa_kev',
      ],
    },
  },
  compliance: {
    view: 'compliance',
    rowsTable: 'compliance_findings',
    shared: {
      table: 'compliance_rules',
      ref: 'rule_ref',
      fields: ['rule_id', 'rule', 'category', 'standard', 'standard_version', 'profile', 'profile_version'],
    },
  },
  // A sensor's columns stay in Tanium's order (jsonb would sort the keys).
  sensors: { view: 'sensor_readings', rowsTable: 'sensor_rows', jsonText: ['columns'] },
};

/** The PostgreSQL type a field is stored (and staged) as. */
export function pgType(layout: PgStreamLayout, field: { name: string; type: CopyType }): string {
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

/** TRANSITION (until streams declare `fields` and emit named records): the stream's fields. */
export function streamFields(def: object): readonly { name: string; type: CopyType }[] {
  const d = def as {
    fields?: readonly { name: string; type: CopyType }[];
    columns?: readonly { name: string; type: CopyType }[];
  };
  return d.fields ?? d.columns ?? [];
}

/** TRANSITION: a record by field name with native values, from a positional row of encoded values. */
export function recordOf(
  fields: readonly { name: string; type: CopyType }[],
  row: unknown,
): Record<string, unknown> {
  if (!Array.isArray(row)) return row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    const v = row[i];
    out[f.name] =
      v === null || v === undefined
        ? null
        : f.type === 'boolean' && typeof v === 'number'
          ? v !== 0
          : f.type === 'json' && typeof v === 'string'
            ? JSON.parse(v)
            : v;
  });
  return out;
}
