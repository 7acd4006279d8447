import type { FastifyInstance } from 'fastify';
import { objectBody } from '../body.js';
import { taniumTime } from '../clock.js';
import { isAdmin } from '../directory.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { SETTING_DEFINITIONS, type SettingRecord } from '../settings.js';
import { data, list } from './envelope.js';

/** `/api/v2/system_settings`: read all, read and change one by name (changing needs an administrator). */
export function systemSettingRoutes(app: FastifyInstance, state: EmulatorState): void {
  const view = (record: SettingRecord) => {
    const definition = SETTING_DEFINITIONS.find((d) => d.name === record.name);
    // Tanium's platform API gives numeric settings' values as numbers and its flags as booleans.
    const numeric = definition?.valueType === 'Numeric';
    const typed = (value: string) => (numeric ? Number(value) : value);
    return {
      id: record.id,
      name: record.name,
      value: typed(record.value),
      default_value: typed(definition?.defaultValue ?? ''),
      value_type: definition?.valueType ?? 'Text',
      setting_type: 'Server',
      hidden_flag: false,
      read_only_flag: false,
      comment: definition?.description ?? '',
      modified_time: taniumTime(record.modifiedMs),
    };
  };

  app.get('/api/v2/system_settings', async () => list(state.settings.records.map(view), state.now()));

  app.get<{ Params: { name: string } }>('/api/v2/system_settings/by-name/:name', async (request) =>
    data(view(state.settings.find(request.params.name))),
  );

  app.patch<{ Params: { name: string } }>('/api/v2/system_settings/by-name/:name', async (request) => {
    if (!isAdmin(request.principal!.persona)) {
      throw new HttpError(
        403,
        'RBACInsufficientPrivilege',
        'changing system settings needs the Administrator role',
      );
    }
    const body = objectBody(request.body, false);
    if ('name' in body)
      throw new HttpError(400, 'TooManyTagsWithSameName', 'the body must not include "name"');
    const unknown = Object.keys(body).filter((key) => key !== 'value');
    if (unknown.length > 0) throw badBody(`unknown field "${unknown[0]}"; only "value" can be changed`);
    const value = body['value'];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw badBody('field "value" is required and must be a string or a number');
    }
    const record = state.settings.set(request.params.name, String(value), state.now());
    state.save();
    return data(view(record));
  });
}
