import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { requiredEnum } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { enumParam, integerParam, listParam, notFound, page, pathId, queryOf, stringParam } from './query.js';
import { between, DAY, hex, iso, pick, SEED_EPOCH_MS, seededRandom } from './seeded.js';

export const ALERT_STATES = ['unresolved', 'inprogress', 'resolved', 'ignored', 'dismissed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** Page size: ASSUMPTION (Tanium documents none); community clients page in 250s. */
export const TR_DEFAULT_LIMIT = 100;
export const TR_MAX_LIMIT = 1000;
const SORTS = [
  'id',
  '-id',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'alertedAt',
  '-alertedAt',
] as const;

interface Alert {
  id: number;
  guid: string;
  state: AlertState;
  type: string;
  priority: string;
  severity: string;
  intelDocId: number;
  intelDocRevisionId: number | null;
  scanConfigId: number;
  scanConfigRevisionId: number;
  computerName: string;
  computerIpAddress: string;
  eid: string | null;
  details: string;
  alertedAt: string;
  createdAt: string;
  updatedAt: string;
}

interface Intel {
  id: number;
  intrinsicId: string;
  name: string;
  description: string;
  type: string;
  labelIds: number[];
  alertCount: number;
  unresolvedAlertCount: number;
  createdAt: string;
  updatedAt: string;
}

interface Scan {
  id: number;
  computerGroupId: number;
  intelDocId: number;
  status: string;
  createdBy: string;
  createdAt: string;
}

/** Threat Response (`/plugin/products/threat-response/api/v1`): alerts, intel, on-demand scans; envelope `{data}`. */
export function threatResponseModule(app: FastifyInstance, state: EmulatorState): void {
  const { alerts, intels } = seed();
  const scans: Scan[] = [];

  const alertById = (raw: string): Alert => {
    const id = pathId(raw, 'AlertNotFound', 'alert');
    const alert = alerts.find((a) => a.id === id);
    if (!alert) throw notFound('AlertNotFound', 'alert', id);
    return alert;
  };

  const readState = (body: unknown): AlertState => {
    const object = objectBody(body, false);
    onlyFields(object, ['state']);
    return requiredEnum(object, 'state', ALERT_STATES);
  };

  const setState = (alert: Alert, next: AlertState) => {
    alert.state = next;
    alert.updatedAt = iso(state.now());
  };

  moduleScope(app, moduleInfo('threatResponse'), (scope) => {
    scope.get('/status', async () => ({ data: { status: 'ok' } }));

    scope.get('/alerts', async (request) => {
      const query = queryOf(request);
      const limit = integerParam(query, 'limit', { min: 1, max: TR_MAX_LIMIT }) ?? TR_DEFAULT_LIMIT;
      const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
      const sort = enumParam(query, 'sort', SORTS) ?? 'id';
      const wanted = enumParam(query, 'state', ALERT_STATES);
      const computerName = stringParam(query, 'computerName');
      const severity = stringParam(query, 'severity');
      const priority = stringParam(query, 'priority');
      const intelDocId = integerParam(query, 'intelDocId', { min: 0 });
      const matching = alerts.filter(
        (a) =>
          (wanted === undefined || a.state === wanted) &&
          (computerName === undefined || a.computerName === computerName) &&
          (severity === undefined || a.severity === severity) &&
          (priority === undefined || a.priority === priority) &&
          (intelDocId === undefined || a.intelDocId === intelDocId),
      );
      return { data: page(sortAlerts(matching, sort), offset, limit) };
    });

    scope.get<{ Params: { id: string } }>('/alerts/:id', async (request) => ({
      data: alertById(request.params.id),
    }));

    scope.put<{ Params: { id: string } }>('/alerts/:id', async (request) => {
      const alert = alertById(request.params.id);
      setState(alert, readState(request.body));
      return { data: alert };
    });

    // Bulk form: PUT /alerts/?id=1&id=2 {"state"}; every id is checked before any alert changes.
    const bulk = async (request: { query: unknown; body: unknown }) => {
      const ids = listParam(request.query as Record<string, string | string[]>, 'id');
      if (ids.length === 0) throw new HttpError(400, 'BadRequest', 'give the alerts to update as ?id=1&id=2');
      const next = readState(request.body);
      const targets = ids.map(alertById);
      for (const alert of targets) setState(alert, next);
      return { data: targets };
    };
    scope.put('/alerts', bulk);
    scope.put('/alerts/', bulk);

    scope.get('/intels', async (request) => {
      const query = queryOf(request);
      const limit = integerParam(query, 'limit', { min: 1, max: TR_MAX_LIMIT }) ?? TR_DEFAULT_LIMIT;
      const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
      const name = stringParam(query, 'name');
      const matching = intels.filter((i) => name === undefined || i.name.includes(name));
      return { data: page(matching, offset, limit) };
    });

    scope.get<{ Params: { id: string } }>('/intels/:id', async (request) => {
      const id = pathId(request.params.id, 'IntelNotFound', 'intel document');
      const intel = intels.find((i) => i.id === id);
      if (!intel) throw notFound('IntelNotFound', 'intel document', id);
      return { data: intel };
    });

    scope.get('/on-demand-scans', async () => ({ data: scans }));

    scope.post('/on-demand-scans', async (request, reply) => {
      const body = objectBody(request.body, false);
      onlyFields(body, ['computerGroupId', 'intelDocId']);
      const computerGroupId = optionalInteger(body, 'computerGroupId');
      const intelDocId = optionalInteger(body, 'intelDocId');
      if (computerGroupId === undefined || computerGroupId < 1) {
        throw badBody('field "computerGroupId" is required: the id of a computer group');
      }
      if (intelDocId === undefined)
        throw badBody('field "intelDocId" is required: the id of an intel document');
      if (!intels.some((i) => i.id === intelDocId))
        throw badBody(`field "intelDocId" names no intel document: ${intelDocId}`);
      const scan: Scan = {
        id: scans.length + 1,
        computerGroupId,
        intelDocId,
        status: 'pending',
        createdBy: request.principal!.user.name,
        createdAt: iso(state.now()),
      };
      scans.push(scan);
      return reply.code(201).send({ data: scan });
    });
  });
}

function sortAlerts(alerts: Alert[], sort: (typeof SORTS)[number]): Alert[] {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as 'id' | 'createdAt' | 'updatedAt' | 'alertedAt';
  const sorted = [...alerts].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    return (x < y ? -1 : x > y ? 1 : 0) || a.id - b.id;
  });
  return descending ? sorted.reverse() : sorted;
}

function seed(): { alerts: Alert[]; intels: Intel[] } {
  const random = seededRandom(31);
  const intels: Intel[] = Array.from({ length: 12 }, (_, i) => {
    const at = iso(SEED_EPOCH_MS - (200 - i * 10) * DAY);
    return {
      id: i + 1,
      intrinsicId: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
      name:
        pick(random, [
          'Mimikatz',
          'Cobalt Strike Beacon',
          'Emotet Loader',
          'Suspicious PowerShell',
          'LSASS Access',
        ]) + ` ${i + 1}`,
      description: 'Seeded intel document',
      type: pick(random, ['openioc', 'yara', 'tanium-signal']),
      labelIds: [1 + (i % 3)],
      alertCount: 0,
      unresolvedAlertCount: 0,
      createdAt: at,
      updatedAt: at,
    };
  });
  const alerts: Alert[] = Array.from({ length: 240 }, (_, i) => {
    const intel = pick(random, intels);
    const created = SEED_EPOCH_MS - between(random, 0, 90) * DAY - between(random, 0, 86_399) * 1000;
    const alertState = i % 5 === 0 ? pick(random, ALERT_STATES) : 'unresolved';
    intel.alertCount++;
    if (alertState === 'unresolved') intel.unresolvedAlertCount++;
    const host = `ws-${String(between(random, 1, 300)).padStart(4, '0')}.example.com`;
    return {
      id: i + 1,
      guid: randomUUIDFrom(random),
      state: alertState,
      type: 'detect.match',
      priority: pick(random, ['high', 'medium', 'low']),
      severity: pick(random, ['info', 'low', 'medium', 'high', 'critical']),
      intelDocId: intel.id,
      intelDocRevisionId: 1,
      scanConfigId: 1,
      scanConfigRevisionId: 1,
      computerName: host,
      computerIpAddress: `10.20.${between(random, 0, 255)}.${between(random, 1, 254)}`,
      eid: String(between(random, 1, 300)),
      details: JSON.stringify({ match: { hash: hex(random, 64), intel: intel.name } }),
      alertedAt: iso(created - 60_000),
      createdAt: iso(created),
      updatedAt: iso(created),
    };
  });
  return { alerts, intels };
}

/** A UUID-shaped id from the seeded generator (randomUUID would differ per start). */
function randomUUIDFrom(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}
