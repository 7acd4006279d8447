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
import { bool, listOrNull, objectOrNull, seenAt, text, time } from './values.js';

const FIELDS: readonly Field[] = [
  { name: 'endpoint_id', type: 'text' },
  { name: 'finding_id', type: 'text' },
  { name: 'rule_id', type: 'text' },
  { name: 'rule', type: 'text' },
  { name: 'category', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'standard', type: 'text' },
  { name: 'standard_version', type: 'text' },
  { name: 'profile', type: 'text' },
  { name: 'profile_version', type: 'text' },
  { name: 'first_found', type: 'text' },
  { name: 'last_scan', type: 'text' },
  { name: 'excepted', type: 'boolean' },
];

const STABLE = `id ruleId rule category state standard standardVersion profile profileVersion firstFoundDate
  lastScanDate`;

/** `excepted` is experimental in Tanium's schema: asked for only when the tenant has it. */
function selection(options: StreamOptions): string {
  const extra = presentFields(options, 'EndpointComplianceComplianceFinding', ['excepted']);
  return `compliance { complianceFindings { ${STABLE}${extra.length ? ' excepted' : ''} } }`;
}

/** Compliance: endpoint x check, from `compliance.complianceFindings` (passes included). */
export const complianceStream: StreamDefinition = {
  name: 'compliance',
  description:
    'endpoint x compliance check: id, state, category, rule, standard, profile, first found, last scan',
  fields: FIELDS,
  primaryKey: ['endpoint_id', 'finding_id'],
  cursorField: 'eidLastSeen',
  scopeColumns: ['endpoint_id'],
  // A rule's text, standard and profile repeat on every endpoint it is checked on.
  descriptiveFields: [
    'rule_id',
    'rule',
    'category',
    'standard',
    'standard_version',
    'profile',
    'profile_version',
  ],
  keepWhenNull: ['excepted'],
  selection,
  read: keepOnInvalid('compliance', readChecks),
};

/**
 * `compliance` or `compliance.complianceFindings` null (or absent) means "not known this time": the
 * endpoint's stored checks stay; `[]` means it has none. A quarantined check keeps the stored ones too.
 */
function readChecks(node: EndpointNode, endpointId: string, batch: StreamBatch): void {
  const at = seenAt(node);
  const compliance = objectOrNull(node, 'compliance');
  const findings = compliance === null ? null : listOrNull(compliance, 'complianceFindings');
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
      // The check id is the key; Tanium's `id` is the check, `ruleId` the rule it comes from.
      const id = text(f, 'id') || text(f, 'ruleId');
      if (!id) throw new ValidationError('id and ruleId are missing');
      batch.rows.push({
        endpoint_id: endpointId,
        finding_id: id,
        rule_id: text(f, 'ruleId'),
        rule: text(f, 'rule'),
        category: text(f, 'category'),
        state: text(f, 'state'),
        standard: text(f, 'standard'),
        standard_version: text(f, 'standardVersion'),
        profile: text(f, 'profile'),
        profile_version: text(f, 'profileVersion'),
        first_found: time(f, 'firstFoundDate'),
        last_scan: time(f, 'lastScanDate'),
        excepted: bool(f, 'excepted'),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const f = (raw ?? {}) as { id?: unknown; ruleId?: unknown };
      const id = typeof f.id === 'string' && f.id ? f.id : typeof f.ruleId === 'string' ? f.ruleId : '?';
      batch.quarantined.push({
        stream: 'compliance',
        key: `${endpointId}/${id || '?'}`,
        reason: error.message,
        raw,
      });
    }
  }
  keepAnswered(batch, [endpointId], at, refused);
}
