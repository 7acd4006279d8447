import type { Stream } from './types';

/** Per stream: the columns the table shows, those the service sorts by, and its one list filter. */
export interface StreamView {
  columns: string[];
  sortable: string[];
  filter: { param: string; label: string; options: string[] } | undefined;
}

export const VIEWS: Record<Stream, StreamView> = {
  assets: {
    columns: ['name', 'os_platform', 'ip_address', 'serial_number', 'risk_level', 'risk_score', 'last_seen'],
    sortable: ['name', 'last_seen', 'risk_score', 'os_platform', 'serial_number'],
    filter: { param: 'riskLevel', label: 'Risk level', options: ['Critical', 'High', 'Medium', 'Low'] },
  },
  vulnerabilities: {
    columns: [
      'cve_id',
      'endpoint_id',
      'severity_v3',
      'cvss_score_v3',
      'is_cisa_kev',
      'last_found',
      'summary',
    ],
    sortable: ['cve_id', 'cvss_score_v3', 'cvss_score', 'last_found', 'first_found', 'epss_score'],
    filter: { param: 'severity', label: 'Severity', options: ['Critical', 'High', 'Medium', 'Low'] },
  },
  compliance: {
    columns: ['rule', 'endpoint_id', 'category', 'state', 'standard', 'last_scan'],
    sortable: ['state', 'category', 'last_scan', 'first_found', 'rule_id'],
    filter: { param: 'state', label: 'State', options: ['pass', 'fail', 'notapplicable', 'error'] },
  },
  sensors: { columns: ['endpoint_id', 'sensor', 'columns'], sortable: ['sensor'], filter: undefined },
};

/** One cell as text: JSON columns (addresses, sensor columns) as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
