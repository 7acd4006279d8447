import { keepOnInvalid } from './keepOnInvalid.js';
import {
  type Column,
  type EndpointNode,
  presentFields,
  type StreamBatch,
  type StreamDefinition,
  type StreamOptions,
} from './stream.js';
import { bool, jsonStringList, num, object, text, time } from './values.js';

const COLUMNS: readonly Column[] = [
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

/** Columns from Tanium's answer: every one but the key and `unknown_fields`. */
const ANSWERED = COLUMNS.slice(1, -1).map((c) => c.name);
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
  table: 'assets',
  description: 'one row per endpoint: identity, hardware, OS, addresses, users, first/last seen, risk',
  columns: COLUMNS,
  primaryKey: ['endpoint_id'],
  cursorField: 'eidLastSeen',
  scopeColumns: [],
  // Null is "not known this time" (Tanium's schema lets isVirtual, isEncrypted, ipAddresses, risk, …
  // be null): the stored value stays, and `unknown_fields` names the columns it was kept for.
  keepWhenNull: ANSWERED,
  uncompared: ['unknown_fields'],
  selection: (options) => (options.risk === false ? SELECTION : `${SELECTION}${riskSelection(options)}`),
  read: keepOnInvalid('assets', readAsset),
};

function readAsset(node: EndpointNode, endpointId: string, batch: StreamBatch, options: StreamOptions): void {
  const os = object(node, 'os');
  const user = object(node, 'primaryUser');
  const risk = object(node, 'risk');
  const row: unknown[] = [
    endpointId,
    text(node, 'computerID'),
    text(node, 'name'),
    text(node, 'domainName'),
    text(node, 'serialNumber'),
    text(node, 'systemUUID'),
    text(node, 'manufacturer'),
    text(node, 'model'),
    text(node, 'chassisType'),
    bool(node, 'isVirtual'),
    bool(node, 'isEncrypted'),
    text(os, 'name'),
    text(os, 'generation'),
    text(os, 'platform'),
    text(os, 'language'),
    text(node, 'ipAddress'),
    jsonStringList(node, 'ipAddresses'),
    jsonStringList(node, 'macAddresses'),
    text(node, 'namespace'),
    text(node, 'lastLoggedInUser'),
    text(user, 'name'),
    text(user, 'email'),
    text(user, 'department'),
    text(object(node, 'memory'), 'total'),
    text(object(node, 'processor'), 'cpu'),
    time(node, 'eidFirstSeen'),
    time(node, 'eidLastSeen'),
    num(risk, 'totalScore'),
    text(risk, 'riskLevel'),
    text(risk, 'assetCriticality'),
  ];
  // Risk is not asked for when the tenant has no such field: not asked is not unknown.
  const asked = riskSelection(options) !== '' && options.risk !== false;
  const unknown = ANSWERED.filter((name, k) => row[k + 1] === null && !(!asked && RISK.has(name)));
  row.push(JSON.stringify(unknown));
  if (unknown.length > 0) batch.unknown++;
  batch.rows.push(row);
}
