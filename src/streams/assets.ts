import { keepOnInvalid } from './keepOnInvalid.js';
import {
  type EndpointNode,
  type Field,
  presentFields,
  type StreamBatch,
  type StreamDefinition,
  type StreamOptions,
  type StreamRecord,
} from './stream.js';
import { bool, int, object, stringListOrNull, text, time } from './values.js';

const FIELDS: readonly Field[] = [
  { name: 'endpoint_id', type: 'text' },
  { name: 'computer_id', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'domain_name', type: 'text' },
  { name: 'serial_number', type: 'text' },
  { name: 'system_uuid', type: 'text' },
  { name: 'manufacturer', type: 'text' },
  { name: 'model', type: 'text' },
  { name: 'chassis_type', type: 'text' },
  { name: 'is_virtual', type: 'boolean' },
  { name: 'is_encrypted', type: 'boolean' },
  { name: 'os_name', type: 'text' },
  { name: 'os_generation', type: 'text' },
  { name: 'os_platform', type: 'text' },
  { name: 'os_language', type: 'text' },
  { name: 'ip_address', type: 'text' },
  { name: 'ip_addresses', type: 'json' },
  { name: 'mac_addresses', type: 'json' },
  { name: 'namespace', type: 'text' },
  { name: 'last_logged_in_user', type: 'text' },
  { name: 'user_name', type: 'text' },
  { name: 'user_email', type: 'text' },
  { name: 'user_department', type: 'text' },
  { name: 'memory_total', type: 'text' },
  { name: 'processor_cpu', type: 'text' },
  { name: 'first_seen', type: 'text' },
  { name: 'last_seen', type: 'text' },
  { name: 'risk_score', type: 'integer' },
  { name: 'risk_level', type: 'text' },
  { name: 'asset_criticality', type: 'text' },
  { name: 'unknown_fields', type: 'json' },
];

/** Fields from Tanium's answer: every one but the key and `unknown_fields`. */
const ANSWERED = FIELDS.slice(1, -1).map((f) => f.name);
const RISK = new Set(['risk_score', 'risk_level', 'asset_criticality']);

/**
 * `risk` is in Tanium's current reference but absent from some schema versions: the sync reads the
 * tenant's schema first and asks only for the risk fields it has (src/sync/schemaNeeds.ts).
 */
const RISK_FIELDS = ['totalScore', 'riskLevel', 'assetCriticality'] as const;

function riskSelection(options: StreamOptions): string {
  const fields = presentFields(options, 'EndpointRisk', RISK_FIELDS);
  return fields.length ? ` risk { ${fields.join(' ')} }` : '';
}

const SELECTION = `id computerID name domainName serialNumber systemUUID manufacturer model chassisType
  isVirtual isEncrypted os { name generation platform language } ipAddress ipAddresses macAddresses namespace
  lastLoggedInUser primaryUser { name email department } memory { total } processor { cpu }
  eidFirstSeen eidLastSeen`;

/** Assets: one row per endpoint (identity, hardware, OS, addresses, users, first and last seen, risk). */
export const assetsStream: StreamDefinition = {
  name: 'assets',
  description: 'one row per endpoint: identity, hardware, OS, addresses, users, first/last seen, risk',
  fields: FIELDS,
  primaryKey: ['endpoint_id'],
  cursorField: 'eidLastSeen',
  scopeColumns: [],
  // Null is "not known this time" (Tanium's schema lets isVirtual, isEncrypted, ipAddresses, risk, …
  // be null): the stored value stays, and `unknown_fields` names the fields it was kept for.
  keepWhenNull: ANSWERED,
  uncompared: ['unknown_fields'],
  selection: (options) => (options.risk === false ? SELECTION : `${SELECTION}${riskSelection(options)}`),
  read: keepOnInvalid('assets', readAsset),
};

function readAsset(node: EndpointNode, endpointId: string, batch: StreamBatch, options: StreamOptions): void {
  const os = object(node, 'os');
  const user = object(node, 'primaryUser');
  const risk = object(node, 'risk');
  const record: StreamRecord = {
    endpoint_id: endpointId,
    computer_id: text(node, 'computerID'),
    name: text(node, 'name'),
    domain_name: text(node, 'domainName'),
    serial_number: text(node, 'serialNumber'),
    system_uuid: text(node, 'systemUUID'),
    manufacturer: text(node, 'manufacturer'),
    model: text(node, 'model'),
    chassis_type: text(node, 'chassisType'),
    is_virtual: bool(node, 'isVirtual'),
    is_encrypted: bool(node, 'isEncrypted'),
    os_name: text(os, 'name'),
    os_generation: text(os, 'generation'),
    os_platform: text(os, 'platform'),
    os_language: text(os, 'language'),
    ip_address: text(node, 'ipAddress'),
    ip_addresses: stringListOrNull(node, 'ipAddresses'),
    mac_addresses: stringListOrNull(node, 'macAddresses'),
    namespace: text(node, 'namespace'),
    last_logged_in_user: text(node, 'lastLoggedInUser'),
    user_name: text(user, 'name'),
    user_email: text(user, 'email'),
    user_department: text(user, 'department'),
    memory_total: text(object(node, 'memory'), 'total'),
    processor_cpu: text(object(node, 'processor'), 'cpu'),
    first_seen: time(node, 'eidFirstSeen'),
    last_seen: time(node, 'eidLastSeen'),
    risk_score: int(risk, 'totalScore'),
    risk_level: text(risk, 'riskLevel'),
    asset_criticality: text(risk, 'assetCriticality'),
    unknown_fields: null,
  };
  // Risk is not asked for when the tenant has no such field: not asked is not unknown.
  const asked = riskSelection(options) !== '' && options.risk !== false;
  const unknown = ANSWERED.filter((name) => record[name] === null && !(!asked && RISK.has(name)));
  record['unknown_fields'] = unknown;
  if (unknown.length > 0) batch.unknown++;
  batch.rows.push(record);
}
