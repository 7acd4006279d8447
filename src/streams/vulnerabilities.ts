import { keepOnInvalid } from './keepOnInvalid.js';
import { keepAnswered, keepUnanswered } from './scopes.js';
import {
  type EndpointNode,
  type Field,
  presentFields,
  type StreamBatch,
  type StreamDefinition,
  type StreamOptions,
  ValidationError,
} from './stream.js';
import { bool, listOrNull, num, objectOrNull, requiredText, seenAt, text, time } from './values.js';

const FIELDS: readonly Field[] = [
  { name: 'endpoint_id', type: 'text' },
  { name: 'cve_id', type: 'text' },
  { name: 'cve_year', type: 'text' },
  { name: 'cvss_score', type: 'real' },
  { name: 'cvss_score_v3', type: 'real' },
  { name: 'severity', type: 'text' },
  { name: 'severity_v3', type: 'text' },
  { name: 'summary', type: 'text' },
  { name: 'first_found', type: 'text' },
  { name: 'last_found', type: 'text' },
  { name: 'absolute_first_found', type: 'text' },
  { name: 'is_cisa_kev', type: 'boolean' },
  { name: 'excepted', type: 'boolean' },
  { name: 'epss_score', type: 'real' },
];

const STABLE = `cveId cveYear cvssScore cvssScoreV3 severity severityV3 summary firstFound lastFound
  absoluteFirstFoundDate`;
/** Experimental in Tanium's schema: asked for only when the tenant has them. */
const EXPERIMENTAL = ['isCisaKev', 'excepted', 'epssScore'] as const;

function selection(options: StreamOptions): string {
  const extra = presentFields(options, 'EndpointComplianceCveFinding', EXPERIMENTAL);
  return `compliance { cveFindings { ${STABLE}${extra.length ? ` ${extra.join(' ')}` : ''} } }`;
}

/** Vulnerabilities: endpoint x CVE, from `compliance.cveFindings` (Comply). */
export const vulnerabilitiesStream: StreamDefinition = {
  name: 'vulnerabilities',
  description: 'endpoint x CVE: scores v2/v3, severities, summary, first/last found, KEV, excepted',
  fields: FIELDS,
  primaryKey: ['endpoint_id', 'cve_id'],
  cursorField: 'eidLastSeen',
  scopeColumns: ['endpoint_id'],
  // A CVE's description repeats on every endpoint it affects; EPSS stays per row (it changes daily).
  descriptiveFields: [
    'cve_id',
    'cve_year',
    'cvss_score',
    'cvss_score_v3',
    'severity',
    'severity_v3',
    'summary',
    'is_cisa_kev',
  ],
  // Per-endpoint state Tanium may leave null for a while (experimental fields): null keeps the stored value.
  keepWhenNull: ['epss_score', 'excepted'],
  selection,
  read: keepOnInvalid('vulnerabilities', readFindings),
};

/**
 * `compliance` or `compliance.cveFindings` null (or absent) means "not known this time": the endpoint's
 * stored findings stay; `[]` means it has none. A quarantined finding keeps the stored ones too.
 */
function readFindings(node: EndpointNode, endpointId: string, batch: StreamBatch): void {
  const at = seenAt(node);
  const compliance = objectOrNull(node, 'compliance');
  const findings = compliance === null ? null : listOrNull(compliance, 'cveFindings');
  if (findings === null) {
    keepUnanswered(batch, [endpointId], 'unknown', at);
    batch.unknown++;
    return;
  }
  const refused = batch.quarantined.length;
  for (const raw of findings) {
    try {
      if (typeof raw !== 'object' || raw === null) throw new ValidationError('finding is not an object');
      const f = raw as Record<string, unknown>;
      batch.rows.push({
        endpoint_id: endpointId,
        cve_id: requiredText(f, 'cveId'),
        cve_year: text(f, 'cveYear'),
        cvss_score: num(f, 'cvssScore'),
        cvss_score_v3: num(f, 'cvssScoreV3'),
        severity: text(f, 'severity'),
        severity_v3: text(f, 'severityV3'),
        summary: text(f, 'summary'),
        first_found: time(f, 'firstFound'),
        last_found: time(f, 'lastFound'),
        absolute_first_found: time(f, 'absoluteFirstFoundDate'),
        is_cisa_kev: bool(f, 'isCisaKev'),
        excepted: bool(f, 'excepted'),
        epss_score: num(f, 'epssScore'),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const cve = (raw as { cveId?: unknown } | null)?.cveId;
      batch.quarantined.push({
        stream: 'vulnerabilities',
        key: `${endpointId}/${typeof cve === 'string' && cve !== '' ? cve : '?'}`,
        reason: error.message,
        raw,
      });
    }
  }
  keepAnswered(batch, [endpointId], at, refused);
}
