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
import type { PackageRecord } from '../objects/packages.js';
import { data, idParam, list } from './envelope.js';

const WRITABLE = [
  'name',
  'display_name',
  'command',
  'command_timeout',
  'expire_seconds',
  'verify_expire_seconds',
  'parameter_definition',
  'hidden_flag',
  'content_set',
  'files',
] as const;

/**
 * Platform packages: `GET/POST /api/v2/packages`, `GET/PATCH/DELETE /api/v2/packages/{id}`,
 * `GET/PATCH /api/v2/packages/by-name/{name}`. Actions (Gateway `actionCreate`) run these packages;
 * a deleted one is answered with `deleted_flag` set and can no longer be found or run.
 */
export function packageRoutes(app: FastifyInstance, state: EmulatorState): void {
  const packages = state.objects.packages;
  const byId = (raw: string) => {
    const id = idParam(raw, 'PackageNotFound', 'package');
    return found(packages.find({ id }), `no package with id ${id}`);
  };
  const byName = (name: string) => found(packages.find({ name }), `no package named "${name}"`);

  app.get('/api/v2/packages', async () => list(packages.list().map(packageView), state.now()));
  app.get<{ Params: { id: string } }>('/api/v2/packages/:id', async (request) =>
    data(packageView(byId(request.params.id))),
  );
  app.get<{ Params: { name: string } }>('/api/v2/packages/by-name/:name', async (request) =>
    data(packageView(byName(request.params.name))),
  );
  app.post('/api/v2/packages', async (request) => {
    const body = objectBody(request.body, false);
    onlyFields(body, WRITABLE);
    const name = requiredString(body, 'name');
    if (packages.find({ name }))
      throw new HttpError(400, 'NotUnique', `a package named "${name}" already exists`);
    const commandTimeout = optionalInteger(body, 'command_timeout') ?? 60;
    const expireSeconds = optionalInteger(body, 'expire_seconds') ?? commandTimeout + 600;
    if (expireSeconds <= commandTimeout)
      throw badBody('field "expire_seconds" must be greater than "command_timeout"');
    const record = packages.create(
      {
        name,
        displayName: optionalString(body, 'display_name') ?? name,
        command: requiredString(body, 'command'),
        commandTimeout,
        expireSeconds,
        contentSet: { id: 2, name: 'Base' },
        parameters: parametersOf(body),
        hidden: optionalBoolean(body, 'hidden_flag') ?? false,
        modifiedBy: request.principal!.user.name,
      },
      state.now(),
    );
    return data(packageView(record));
  });
  const update = (record: PackageRecord, body: unknown, by: string) => {
    const fields = objectBody(body, false);
    onlyFields(fields, WRITABLE);
    if ('name' in fields && fields['name'] !== record.name) throw badBody('field "name" cannot be changed');
    const timeout = optionalInteger(fields, 'command_timeout') ?? record.commandTimeout;
    const expire = optionalInteger(fields, 'expire_seconds') ?? record.expireSeconds;
    if (expire <= timeout) throw badBody('field "expire_seconds" must be greater than "command_timeout"');
    Object.assign(record, {
      displayName: optionalString(fields, 'display_name') ?? record.displayName,
      command: optionalString(fields, 'command') ?? record.command,
      commandTimeout: timeout,
      expireSeconds: expire,
      hidden: optionalBoolean(fields, 'hidden_flag') ?? record.hidden,
      ...('parameter_definition' in fields ? { parameters: parametersOf(fields) } : {}),
      modifiedMs: state.now(),
      modifiedBy: by,
    });
    return data(packageView(record));
  };
  app.patch<{ Params: { id: string } }>('/api/v2/packages/:id', async (request) =>
    update(byId(request.params.id), request.body, request.principal!.user.name),
  );
  app.patch<{ Params: { name: string } }>('/api/v2/packages/by-name/:name', async (request) =>
    update(byName(request.params.name), request.body, request.principal!.user.name),
  );
  app.delete<{ Params: { id: string } }>('/api/v2/packages/:id', async (request) =>
    data(packageView(packages.delete(byId(request.params.id), state.now()))),
  );
}

function found(record: PackageRecord | undefined, message: string): PackageRecord {
  if (!record) throw new HttpError(404, 'PackageNotFound', message);
  return record;
}

function parametersOf(body: JsonObject): PackageRecord['parameters'] {
  const text = optionalString(body, 'parameter_definition');
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as {
      parameters?: { key?: unknown; label?: unknown; defaultValue?: unknown }[];
    };
    return (parsed.parameters ?? []).map((p) => ({
      key: String(p.key ?? ''),
      label: String(p.label ?? p.key ?? ''),
      defaultValue: typeof p.defaultValue === 'string' ? p.defaultValue : null,
    }));
  } catch {
    throw badBody('field "parameter_definition" must be a JSON string with a "parameters" list');
  }
}

export function packageView(p: PackageRecord) {
  return {
    id: p.id,
    name: p.name,
    display_name: p.displayName,
    command: p.command,
    command_timeout: p.commandTimeout,
    expire_seconds: p.expireSeconds,
    verify_expire_seconds: p.expireSeconds,
    content_set: p.contentSet,
    files: [],
    parameter_definition: p.parameters.length
      ? JSON.stringify({
          parameters: p.parameters.map((x) => ({
            key: x.key,
            label: x.label,
            defaultValue: x.defaultValue ?? '',
          })),
        })
      : '',
    source_id: 0,
    deleted_flag: p.deleted,
    hidden_flag: p.hidden,
    creation_time: taniumTime(p.createdMs),
    modification_time: taniumTime(p.modifiedMs),
    last_modified_by: p.modifiedBy,
  };
}
