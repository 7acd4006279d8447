import type { FastifyInstance } from 'fastify';
import {
  type JsonObject,
  objectBody,
  onlyFields,
  optionalInteger,
  optionalString,
  requiredString,
} from '../body.js';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { optionalBoolean } from '../modules/fields.js';
import type { SensorChange, SensorEntry } from '../objects/sensorCatalogue.js';
import { data, idParam, list } from './envelope.js';
import { hashOf } from './questionRun.js';

const WRITABLE = [
  'name',
  'category',
  'description',
  'value_type',
  'max_age_seconds',
  'ignore_case_flag',
  'hidden_flag',
  'keep_duplicates_flag',
  'delimiter',
  'queries',
  'parameter_definition',
  'subcolumns',
  'content_set',
] as const;

/**
 * Platform sensors: `GET/POST /api/v2/sensors`, `GET/PATCH/DELETE /api/v2/sensors/{id}`,
 * `GET/PATCH /api/v2/sensors/by-name/{name}`, `GET /api/v2/sensors/by-hash/{hash}`. Flags are
 * booleans, as Tanium's platform API documents them.
 */
export function sensorRoutes(app: FastifyInstance, state: EmulatorState): void {
  const catalogue = state.objects.sensors;
  const byId = (raw: string) => {
    const id = idParam(raw, 'SensorNotFound', 'sensor');
    return found(catalogue.byId(id), `no sensor with id ${id}`);
  };
  const byName = (name: string) => found(catalogue.byName(name), `no sensor named "${name}"`);

  app.get('/api/v2/sensors', async () => list(catalogue.list().map(sensorView), state.now()));
  app.get<{ Params: { id: string } }>('/api/v2/sensors/:id', async (request) =>
    data(sensorView(byId(request.params.id))),
  );
  app.get<{ Params: { name: string } }>('/api/v2/sensors/by-name/:name', async (request) =>
    data(sensorView(byName(request.params.name))),
  );
  app.get<{ Params: { hash: string } }>('/api/v2/sensors/by-hash/:hash', async (request) =>
    data(
      sensorView(
        found(
          catalogue.list().find((s) => String(hashOf(s.name)) === request.params.hash),
          `no sensor with hash ${request.params.hash}`,
        ),
      ),
    ),
  );

  app.post('/api/v2/sensors', async (request) => {
    const body = objectBody(request.body, false);
    onlyFields(body, WRITABLE);
    const name = requiredString(body, 'name');
    if (catalogue.byName(name))
      throw new HttpError(400, 'NotUnique', `a sensor named "${name}" already exists`);
    const change = changeOf(body);
    const entry = catalogue.create(
      {
        name,
        category: change.category ?? 'Reserved',
        description: change.description ?? '',
        valueType: change.valueType ?? 'String',
        columns: columnsOf(body),
        parameters: parametersOf(body),
        virtual: false,
        hidden: change.hidden ?? false,
        ignoreCase: change.ignoreCase ?? true,
        keepDuplicates: change.keepDuplicates ?? false,
        maxAgeSeconds: change.maxAgeSeconds ?? 900,
        contentSet: { id: 2, name: 'Base' },
        modifiedBy: request.principal!.user.name,
        scripts: scriptsOf(body),
      },
      state.now(),
    );
    return data(sensorView(entry));
  });

  const update = (entry: SensorEntry, body: unknown, by: string) => {
    const fields = objectBody(body, false);
    onlyFields(fields, WRITABLE);
    if ('name' in fields && fields['name'] !== entry.name)
      throw badBody('field "name" cannot be changed; create a sensor with the new name');
    if (entry.virtual)
      throw new HttpError(400, 'InvalidSensor', `sensor "${entry.name}" is virtual and cannot be changed`);
    return data(sensorView(catalogue.update(entry, changeOf(fields), by, state.now())));
  };
  app.patch<{ Params: { id: string } }>('/api/v2/sensors/:id', async (request) =>
    update(byId(request.params.id), request.body, request.principal!.user.name),
  );
  app.patch<{ Params: { name: string } }>('/api/v2/sensors/by-name/:name', async (request) =>
    update(byName(request.params.name), request.body, request.principal!.user.name),
  );
  app.delete<{ Params: { id: string } }>('/api/v2/sensors/:id', async (request) => {
    const entry = byId(request.params.id);
    catalogue.delete(entry);
    return data(sensorView(entry));
  });
}

function found(entry: SensorEntry | undefined, message: string): SensorEntry {
  if (!entry) throw new HttpError(404, 'SensorNotFound', message);
  return entry;
}

function changeOf(body: JsonObject): SensorChange {
  const change: SensorChange = {};
  const set = <K extends keyof SensorChange>(key: K, value: SensorChange[K] | undefined) => {
    if (value !== undefined) change[key] = value;
  };
  set('category', optionalString(body, 'category'));
  set('description', optionalString(body, 'description'));
  set('valueType', optionalString(body, 'value_type'));
  set('hidden', optionalBoolean(body, 'hidden_flag'));
  set('ignoreCase', optionalBoolean(body, 'ignore_case_flag'));
  set('keepDuplicates', optionalBoolean(body, 'keep_duplicates_flag'));
  const maxAge = optionalInteger(body, 'max_age_seconds');
  if (maxAge !== undefined && maxAge < 0) throw badBody('field "max_age_seconds" must not be negative');
  set('maxAgeSeconds', maxAge);
  return change;
}

function columnsOf(body: JsonObject): string[] {
  const sub = body['subcolumns'];
  if (sub === undefined || sub === null) return [];
  if (!Array.isArray(sub)) throw badBody('field "subcolumns" must be a list');
  return sub.map((c, k) => requiredString(objectBody(c, false), 'name') || String(k));
}

function parametersOf(body: JsonObject): { name: string; defaultValue: string | null }[] {
  const text = optionalString(body, 'parameter_definition');
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as { parameters?: { key?: unknown; defaultValue?: unknown }[] };
    return (parsed.parameters ?? []).map((p) => ({
      name: String(p.key ?? ''),
      defaultValue: typeof p.defaultValue === 'string' ? p.defaultValue : null,
    }));
  } catch {
    throw badBody('field "parameter_definition" must be a JSON string with a "parameters" list');
  }
}

function scriptsOf(body: JsonObject): SensorEntry['scripts'] {
  const queries = body['queries'];
  if (queries === undefined || queries === null) return [];
  if (!Array.isArray(queries)) throw badBody('field "queries" must be a list');
  return queries.map((q) => {
    const query = objectBody(q, false);
    return {
      platform: requiredString(query, 'platform'),
      script: optionalString(query, 'script') ?? '',
      scriptType: optionalString(query, 'script_type') ?? 'UnixShell',
    };
  });
}

export function sensorView(s: SensorEntry) {
  return {
    id: s.id,
    name: s.name,
    hash: hashOf(s.name),
    category: s.category,
    description: s.description,
    value_type: s.valueType,
    max_age_seconds: s.maxAgeSeconds,
    ignore_case_flag: s.ignoreCase,
    hidden_flag: s.hidden,
    keep_duplicates_flag: s.keepDuplicates,
    exclude_from_parse_flag: false,
    delimiter: '|',
    source_id: 0,
    parameter_definition: s.parameters.length
      ? JSON.stringify({
          parameters: s.parameters.map((p) => ({
            key: p.name,
            label: p.name,
            defaultValue: p.defaultValue ?? '',
            parameterType: 'com.tanium.components.parameters::TextInputParameter',
          })),
        })
      : '',
    queries: s.scripts.map((x) => ({ platform: x.platform, script: x.script, script_type: x.scriptType })),
    subcolumns:
      s.columns.length > 1
        ? s.columns.map((name, index) => ({
            name,
            index,
            value_type: 'String',
            hidden_flag: false,
            ignore_case_flag: true,
          }))
        : [],
    content_set: s.contentSet,
    creation_time: taniumTime(s.createdMs),
    modification_time: taniumTime(s.modifiedMs),
    last_modified_by: s.modifiedBy,
  };
}
