import type { FastifyInstance } from 'fastify';
import { type JsonObject, objectBody } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { type Connection, DESTINATIONS } from './connection.js';
import type { StreamElements, StreamStep } from './connectStreams.js';
import { type FieldSpec, readFields } from './fieldSpec.js';
import { booleanParam, queryOf } from './query.js';
import { iso } from './seeded.js';

const LOG_LEVELS = [10, 20, 30, 40, 50, 60];

/** Fields of a connection that PUT may change and import may set (Connect's API description). */
const CONNECTION: FieldSpec = {
  name: { type: 'string', required: true },
  description: { type: 'string' },
  enabled: { type: 'boolean' },
  schedule: { type: 'string' },
  scheduleTimeZone: { type: 'string' },
  destinationType: { type: 'string', required: true, oneOf: DESTINATIONS },
  personaId: { type: 'integer', min: 0 },
  minimumPassPercentage: { type: 'integer', min: 0 },
  logLevel: { type: 'integer' },
  tempLogLevel: { type: 'integer' },
  tempLogLevelRuns: { type: 'integer', min: 0 },
  maxOldSpaceSize: { type: 'number', min: 0 },
};

const ORDER: Record<string, number> = { sources: 0, filters: 1, formats: 2, destinations: 3 };

/**
 * Connection writes beyond create: update (PUT), delete, import (a connection with its stream
 * elements in one call) and export (the same document back, secrets left out).
 */
export function connectionWriteRoutes(
  scope: FastifyInstance,
  state: EmulatorState,
  connections: Connection[],
  connectionById: (raw: string) => Connection,
  elements: StreamElements,
  nextId: () => number,
): void {
  const nameTaken = (name: unknown, except?: Connection) =>
    connections.some((c) => c.name === name && c !== except);

  scope.put<{ Params: { id: string } }>('/v1/connections/:id', async (request) => {
    const connection = connectionById(request.params.id);
    const body = objectBody(request.body, false);
    const { streams, ...rest } = body;
    const changes = readFields(rest, CONNECTION, { partial: true });
    checkNumbers(changes);
    if (changes['name'] !== undefined && nameTaken(changes['name'], connection))
      throw badBody(`a connection named "${String(changes['name'])}" already exists`);
    if (
      streams !== undefined &&
      (!Array.isArray(streams) || streams.length === 0 || !streams.every((s) => typeof s === 'string'))
    )
      throw badBody('field "streams" must be a non-empty list of stream routes');
    Object.assign(connection, changes, streams === undefined ? {} : { streams }, {
      updatedAt: iso(state.now()),
    });
    return connection;
  });

  scope.delete<{ Params: { id: string } }>('/v1/connections/:id', async (request) => {
    const connection = connectionById(request.params.id);
    const deleteStreams = booleanParam(queryOf(request), 'deleteStreams') ?? true;
    connections.splice(connections.indexOf(connection), 1);
    if (deleteStreams) {
      const stillNamed = new Set(connections.flatMap((c) => c.streams));
      for (const route of connection.streams) if (!stillNamed.has(route)) elements.removeRoute(route);
    }
    return {};
  });

  scope.post('/v1/import', async (request) => {
    const body = objectBody(request.body, false);
    const { streams, ...rest } = body;
    const fields = readFields(rest, CONNECTION);
    checkNumbers(fields);
    if (nameTaken(fields['name']))
      throw badBody(`a connection named "${String(fields['name'])}" already exists`);
    if (!Array.isArray(streams) || streams.length < 2)
      throw badBody('field "streams" is required: [{route, arguments}, …] from a source to a destination');
    const steps = streams.map((step, i) => elements.check(step, `streams[${i}]`));
    checkOrder(steps.map((s) => s.kind));
    // Everything is checked: now create the elements and the connection.
    const routes = steps.map((step) => elements.apply(step));
    const connection = buildConnection(fields, routes, request.principal!, nextId(), iso(state.now()));
    connections.push(connection);
    const exported = exportOf(connection, elements);
    return {
      id: connection.id,
      ...exported,
      streams: routes.map((route, i) => ({ route, arguments: exported.streams[i]?.arguments ?? {} })),
    };
  });

  scope.post<{ Params: { id: string } }>('/v1/export/:id', async (request) => {
    const { enabled: _enabled, ...document } = exportOf(connectionById(request.params.id), elements);
    return document;
  });

  scope.post('/v1/export', async (request) => {
    const ids = request.body;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id)))
      throw badBody('the body must be a non-empty list of connection ids, e.g. [1, 4]');
    const chosen = ids.map((id) => connectionById(String(id)));
    return chosen.map((connection) => exportOf(connection, elements));
  });
}

/** A connection from checked import fields; what the body leaves out gets create's defaults. */
function buildConnection(
  fields: JsonObject,
  streams: string[],
  principal: { user: { id: number }; persona: { id: number } },
  id: number,
  now: string,
): Connection {
  const given = <T>(field: string, fallback: T): T => (fields[field] as T | undefined) ?? fallback;
  return {
    id,
    name: fields['name'] as string,
    userId: principal.user.id,
    personaId: given('personaId', principal.persona.id),
    description: given('description', ''),
    enabled: given('enabled', true),
    minimumPassPercentage: given('minimumPassPercentage', 0),
    logLevel: given('logLevel', 30),
    tempLogLevel: given('tempLogLevel', 30),
    tempLogLevelRuns: given('tempLogLevelRuns', 0),
    destinationType: fields['destinationType'] as Connection['destinationType'],
    schedule: given('schedule', '{}'),
    scheduleTimeZone: given('scheduleTimeZone', 'UTC'),
    maxOldSpaceSize: given('maxOldSpaceSize', 1),
    streams,
    createdAt: now,
    updatedAt: now,
  };
}

function exportOf(connection: Connection, elements: StreamElements) {
  return {
    name: connection.name,
    description: connection.description,
    enabled: connection.enabled,
    logLevel: connection.logLevel,
    destinationType: connection.destinationType,
    schedule: connection.schedule,
    scheduleTimeZone: connection.scheduleTimeZone,
    streams: connection.streams.map((route): StreamStep => elements.exportStep(route)),
  };
}

function checkNumbers(fields: JsonObject): void {
  for (const field of ['logLevel', 'tempLogLevel']) {
    const value = fields[field];
    if (value !== undefined && !LOG_LEVELS.includes(value as number))
      throw badBody(`field "${field}" must be 10, 20, 30, 40, 50 or 60`);
  }
  const pass = fields['minimumPassPercentage'];
  if (pass !== undefined && (pass as number) > 100)
    throw badBody('field "minimumPassPercentage" must be between 0 and 100');
}

/** Connect's order: one source first, any filters, at most one format, one destination last. */
function checkOrder(kinds: readonly string[]): void {
  const ranks = kinds.map((kind) => ORDER[kind] ?? -1);
  const ordered = ranks.every((rank, i) => i === 0 || rank >= (ranks[i - 1] ?? 0));
  const count = (kind: string) => kinds.filter((k) => k === kind).length;
  if (
    !ordered ||
    kinds[0] !== 'sources' ||
    kinds.at(-1) !== 'destinations' ||
    count('sources') !== 1 ||
    count('destinations') !== 1 ||
    count('formats') > 1
  )
    throw badBody(
      `"streams" must be one source, any filters, at most one format and one destination, in that order; got ${kinds.join(', ')}`,
    );
}
