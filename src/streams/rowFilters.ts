import { Problem } from '../common/problem.js';
import type { RowFilter } from '../store/rowQuery.js';
import type { StreamName } from './stream.js';

/**
 * The filters an interface offers on each stream, in the words users of vulnerability tools use
 * (severity, CVE id, score above, endpoint, state, category, last seen before/after, free text), and
 * how each maps to the stream's columns. Shared by the HTTP API (query parameters) and any later UI.
 */
export interface FilterDefinition {
  param: string;
  description: string;
  type: 'string' | 'number' | 'boolean' | 'time' | 'list';
  columns: readonly string[];
  op: RowFilter['op'];
  caseless?: boolean;
}

export interface StreamQueryDefinition {
  filters: readonly FilterDefinition[];
  /** Columns the free-text `q` searches. */
  text: readonly string[];
  /** Columns a caller may sort by (the primary key is always allowed). */
  sortable: readonly string[];
}

const endpoint: FilterDefinition = {
  param: 'endpoint',
  description: 'Tanium endpoint id',
  type: 'string',
  columns: ['endpoint_id'],
  op: 'eq',
};

/** Scoped streams say how each endpoint's answer stood at the last sync (docs/sync.md). */
const ANSWER: FilterDefinition = {
  param: 'answer',
  description:
    'how Tanium last answered for the endpoint: answered, unknown, unavailable, error (comma-separated)',
  type: 'list',
  columns: ['status'],
  op: 'in',
};

const seen = (columns: readonly string[], what: string): FilterDefinition[] => [
  { param: 'seenAfter', description: `${what} at or after (ISO time)`, type: 'time', columns, op: 'gte' },
  { param: 'seenBefore', description: `${what} before (ISO time)`, type: 'time', columns, op: 'lt' },
];

export const STREAM_QUERIES: Record<StreamName, StreamQueryDefinition> = {
  assets: {
    filters: [
      endpoint,
      {
        param: 'platform',
        description: 'OS platform, e.g. Windows',
        type: 'string',
        columns: ['os_platform'],
        op: 'eq',
      },
      {
        param: 'riskLevel',
        description: 'Tanium risk level',
        type: 'list',
        columns: ['risk_level'],
        op: 'in',
      },
      {
        param: 'scoreAbove',
        description: 'risk total score above',
        type: 'number',
        columns: ['risk_score'],
        op: 'gt',
      },
      ...seen(['last_seen'], 'last seen'),
    ],
    text: ['name', 'serial_number', 'computer_id', 'ip_address', 'last_logged_in_user'],
    sortable: ['name', 'last_seen', 'risk_score', 'os_platform', 'serial_number'],
  },
  vulnerabilities: {
    filters: [
      endpoint,
      {
        param: 'cve',
        description: 'CVE id, e.g. CVE-2024-3094',
        type: 'string',
        columns: ['cve_id'],
        op: 'eq',
      },
      {
        param: 'severity',
        description: 'severity (v3, else v2), comma-separated: critical,high',
        type: 'list',
        columns: ['severity_v3', 'severity'],
        op: 'in',
        caseless: true,
      },
      {
        param: 'scoreAbove',
        description: 'CVSS score (v3, else v2) above',
        type: 'number',
        columns: ['cvss_score_v3', 'cvss_score'],
        op: 'gt',
      },
      {
        param: 'kev',
        description: 'on the CISA KEV list',
        type: 'boolean',
        columns: ['is_cisa_kev'],
        op: 'eq',
      },
      {
        param: 'excepted',
        description: 'excepted in Comply',
        type: 'boolean',
        columns: ['excepted'],
        op: 'eq',
      },
      ANSWER,
      ...seen(['last_found'], 'last found'),
    ],
    text: ['cve_id', 'summary'],
    sortable: ['cvss_score_v3', 'cvss_score', 'last_found', 'first_found', 'epss_score', 'cve_id'],
  },
  compliance: {
    filters: [
      endpoint,
      {
        param: 'state',
        description: 'check state, comma-separated: fail,pass',
        type: 'list',
        columns: ['state'],
        op: 'in',
      },
      {
        param: 'category',
        description: 'rule category',
        type: 'string',
        columns: ['category'],
        op: 'eq',
        caseless: true,
      },
      {
        param: 'standard',
        description: 'benchmark standard',
        type: 'string',
        columns: ['standard'],
        op: 'eq',
      },
      { param: 'rule', description: 'rule id', type: 'string', columns: ['rule_id'], op: 'eq' },
      ANSWER,
      ...seen(['last_scan'], 'last scanned'),
    ],
    text: ['rule', 'rule_id', 'category'],
    sortable: ['state', 'category', 'last_scan', 'first_found', 'rule_id'],
  },
  sensors: {
    filters: [
      endpoint,
      { param: 'sensor', description: 'sensor name', type: 'string', columns: ['sensor'], op: 'eq' },
      ANSWER,
    ],
    text: ['sensor', 'columns'],
    sortable: ['sensor'],
  },
};

const invalid = (param: string, why: string) =>
  new Problem({
    code: 'invalid_filter',
    kind: 'invalid',
    message: `Invalid filter ${param}: ${why}.`,
    fix: 'See the OpenAPI document (/v1/openapi.json) for each filter and its form.',
    details: { param },
  });

/** Turns query parameters into row filters; unknown parameters are the caller's to refuse. */
export function rowFilters(stream: StreamName, params: Record<string, unknown>): RowFilter[] {
  const filters: RowFilter[] = [];
  for (const def of STREAM_QUERIES[stream].filters) {
    const raw = params[def.param];
    if (raw === undefined) continue;
    const text = String(raw);
    let value: RowFilter['value'];
    switch (def.type) {
      case 'number':
        value = Number(text);
        if (text.trim() === '' || !Number.isFinite(value)) throw invalid(def.param, 'not a number');
        break;
      case 'boolean':
        if (text !== 'true' && text !== 'false') throw invalid(def.param, 'use true or false');
        value = text === 'true';
        break;
      case 'time': {
        const ms = Date.parse(text);
        if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) throw invalid(def.param, 'not an ISO time');
        value = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
        break;
      }
      case 'list':
        value = text
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
        if (value.length === 0 || value.length > 50)
          throw invalid(def.param, 'give 1 to 50 comma-separated values');
        break;
      default:
        value = text;
    }
    filters.push({ columns: def.columns, op: def.op, value, ...(def.caseless ? { caseless: true } : {}) });
  }
  return filters;
}
