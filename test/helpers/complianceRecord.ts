import type { StreamRecord } from '../../src/streams/stream.js';

const NOW = '2026-11-23T12:00:00Z';

/** A compliance record as the stream maps it (native values), for tests that write pages directly. */
export function complianceRecord(
  endpoint: string,
  findingId: string,
  fields: StreamRecord = {},
): StreamRecord {
  return {
    endpoint_id: endpoint,
    finding_id: findingId,
    rule_id: 'rule',
    rule: 'text',
    category: 'cat',
    state: 'pass',
    standard: 'CIS',
    standard_version: '1',
    profile: 'L1',
    profile_version: '1',
    first_found: NOW,
    last_scan: NOW,
    excepted: false,
    ...fields,
  };
}
