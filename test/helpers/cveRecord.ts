import type { StreamBatch, StreamRecord } from '../../src/streams/stream.js';

const NOW = '2026-11-23T12:00:00Z';

/** A CVE finding record as the stream maps it (native values), for tests that write pages directly. */
export function cveRecord(endpoint: string, cveId: string, fields: StreamRecord = {}): StreamRecord {
  return {
    endpoint_id: endpoint,
    cve_id: cveId,
    cve_year: '2024',
    cvss_score: 7.5,
    cvss_score_v3: null,
    severity: 'High',
    severity_v3: null,
    summary: `summary of ${cveId}`,
    first_found: NOW,
    last_found: NOW,
    absolute_first_found: NOW,
    is_cisa_kev: false,
    excepted: false,
    epss_score: 0.01,
    ...fields,
  };
}

/** A batch of `rows` whose endpoints' scopes were all answered at `at`. */
export function answeredBatch(rows: StreamRecord[], at = NOW): StreamBatch {
  const endpoints = [...new Set(rows.map((r) => r['endpoint_id'] as string))];
  return {
    rows,
    replaced: endpoints.map((e) => ({ scope: [e], status: 'answered', at })),
    kept: [],
    unknown: 0,
    quarantined: [],
  };
}
