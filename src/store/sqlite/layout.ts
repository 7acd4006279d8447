import type { StreamName } from '../../streams/stream.js';

/**
 * Where each stream's records live in SQLite (migrations 4, 6 and 9; docs/store.md). Readers select from
 * `view`, which shows every field of the stream with `answered_at` and `status` for scoped streams;
 * writers write `rows`. A stream with descriptive fields (`StreamDefinition.descriptiveFields`: a CVE's
 * scores and summary, a rule's text) keeps each distinct set of them once in `details.table`, and its
 * rows refer to it by `details.ref`.
 */
export interface StreamLayout {
  view: string;
  rows: string;
  details?: { table: string; ref: string };
}

export const LAYOUT: Readonly<Record<StreamName, StreamLayout>> = {
  assets: { view: 'assets', rows: 'assets' },
  vulnerabilities: {
    view: 'vulnerabilities',
    rows: 'vulnerability_findings',
    details: { table: 'cve_details', ref: 'cve_ref' },
  },
  compliance: {
    view: 'compliance',
    rows: 'compliance_findings',
    details: { table: 'compliance_rules', ref: 'rule_ref' },
  },
  sensors: { view: 'sensor_readings', rows: 'sensor_rows' },
};
