import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { type Connection, DESTINATIONS } from './connection.js';
import { connectRunRoutes } from './connectRuns.js';
import { StreamElements } from './connectStreams.js';
import { connectionWriteRoutes } from './connectWrites.js';
import { optionalBoolean, optionalStringList, requiredEnum } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import {
  badQuery,
  booleanParam,
  enumParam,
  integerParam,
  notFound,
  page,
  pathId,
  queryOf,
  stringParam,
} from './query.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

export const CONNECT_PATH = '/plugin/products/connect';
/** Connect's own answer to a missing, unknown or expired `session` header (its API description, every route). */
export const CONNECT_UNAUTHORIZED = { text: 'Invalid or expired session header.' };
export { CONNECT_RUN_MS } from './connectRuns.js';

const ORDER_BY = ['id', 'name', 'createdAt', 'updatedAt', 'destinationType', 'enabled'] as const;

/**
 * Connect (`/plugin/products/connect`): connections, their runs, stream elements, import and export.
 * Bare JSON answers: Connect's description wraps lists in `body`, which names the response body
 * itself (its "stop" answer is `body: empty JSON object` where the run-stop answer is `{}`).
 */
export function connectModule(app: FastifyInstance, state: EmulatorState): void {
  const connections = seedConnections();
  const elements = new StreamElements(() => state.now());
  elements.seed(connections.length);
  let nextConnectionId = connections.length + 1;

  const connectionById = (raw: string): Connection => {
    const id = pathId(raw, 'NotFound', 'connection');
    const found = connections.find((c) => c.id === id);
    if (!found) throw notFound('NotFound', 'connection', id);
    return found;
  };

  moduleScope(app, moduleInfo('connect'), (scope) => {
    scope.get('/v1/connections', async (request) => {
      const query = queryOf(request);
      const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
      const limit = integerParam(query, 'limit', { min: 1 });
      const orderBy = enumParam(query, 'orderBy', ORDER_BY);
      const descending = booleanParam(query, 'descending') ?? false;
      if (descending && !orderBy) throw badQuery('query parameter "descending" requires "orderBy"');
      const nameFilter = stringParam(query, 'nameFilter');
      const matching = connections.filter((c) => nameFilter === undefined || c.name.includes(nameFilter));
      const key = orderBy ?? 'id';
      const sorted = [...matching].sort((a, b) => compare(a[key], b[key]) || a.id - b.id);
      if (descending) sorted.reverse();
      return page(sorted, offset, limit);
    });

    scope.get<{ Params: { id: string } }>('/v1/connections/:id', async (request) =>
      connectionById(request.params.id),
    );

    scope.post('/v1/connections', async (request, reply) => {
      const body = objectBody(request.body, false);
      onlyFields(body, [
        'name',
        'description',
        'enabled',
        'schedule',
        'streams',
        'destinationType',
        'personaId',
        'minimumPassPercentage',
        'logLevel',
        'tempLogLevel',
        'tempLogLevelRuns',
        'scheduleTimeZone',
        'maxOldSpaceSize',
      ]);
      const name = requiredString(body, 'name');
      if (connections.some((c) => c.name === name))
        throw badBody(`a connection named "${name}" already exists`);
      const destinationType = requiredEnum(body, 'destinationType', DESTINATIONS);
      const streams = optionalStringList(body, 'streams');
      if (!streams || streams.length === 0)
        throw badBody('field "streams" is required: a list of stream routes');
      const pass = optionalInteger(body, 'minimumPassPercentage') ?? 0;
      if (pass < 0 || pass > 100) throw badBody('field "minimumPassPercentage" must be between 0 and 100');
      const now = iso(state.now());
      const { user, persona } = request.principal!;
      const connection: Connection = {
        id: nextConnectionId++,
        name,
        userId: user.id,
        personaId: optionalInteger(body, 'personaId') ?? persona.id,
        description: optionalString(body, 'description') ?? '',
        enabled: optionalBoolean(body, 'enabled') ?? true,
        minimumPassPercentage: pass,
        logLevel: logLevel(body, 'logLevel') ?? 30,
        tempLogLevel: logLevel(body, 'tempLogLevel') ?? 30,
        tempLogLevelRuns: optionalInteger(body, 'tempLogLevelRuns') ?? 0,
        destinationType,
        schedule: optionalString(body, 'schedule') ?? '{}',
        scheduleTimeZone: optionalString(body, 'scheduleTimeZone') ?? 'UTC',
        maxOldSpaceSize: optionalInteger(body, 'maxOldSpaceSize') ?? 1,
        streams,
        createdAt: now,
        updatedAt: now,
      };
      connections.push(connection);
      return reply.code(201).send(connection);
    });

    connectRunRoutes(scope, state, connectionById);
    connectionWriteRoutes(scope, state, connections, connectionById, elements, () => nextConnectionId++);
    elements.routes(scope);
  });
}

export function logLevel(body: Record<string, unknown>, field: string): number | undefined {
  const value = optionalInteger(body, field);
  if (value !== undefined && ![10, 20, 30, 40, 50, 60].includes(value)) {
    throw badBody(`field "${field}" must be 10, 20, 30, 40, 50 or 60`);
  }
  return value;
}

function compare(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function seedConnections(): Connection[] {
  const sources = [
    'Asset Inventory',
    'Vulnerabilities',
    'Compliance',
    'System Status',
    'Action Log',
    'Event Log',
  ];
  return Array.from({ length: 24 }, (_, i) => {
    const at = iso(SEED_EPOCH_MS - (60 - i) * DAY);
    const destinationType = DESTINATIONS[i % DESTINATIONS.length] as Connection['destinationType'];
    return {
      id: i + 1,
      name: `${sources[i % sources.length]} to ${destinationType} ${Math.floor(i / sources.length) + 1}`,
      userId: 1,
      personaId: 0,
      description: 'Seeded connection',
      enabled: i % 4 !== 3,
      minimumPassPercentage: 0,
      logLevel: 30,
      tempLogLevel: 30,
      tempLogLevelRuns: 0,
      destinationType,
      schedule: '0 * * * *',
      scheduleTimeZone: 'UTC',
      maxOldSpaceSize: 1,
      streams: [
        `/v1/sources/savedquestions/${i + 1}`,
        `/v1/formats/stringifies/${i + 1}`,
        `/v1/destinations/files/${i + 1}`,
      ],
      createdAt: at,
      updatedAt: at,
    };
  });
}
