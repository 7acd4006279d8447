import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { Collection } from './collection.js';
import { crudRoutes, type StoredObject } from './crudRoutes.js';
import type { FieldSpec } from './fieldSpec.js';
import { iso } from './seeded.js';

const MAINTENANCE_WINDOW: FieldSpec = {
  name: { type: 'string', required: true },
  startTime: { type: 'string', required: true },
  endTime: { type: 'string', required: true },
  recurrence: { type: 'string', oneOf: ['none', 'daily', 'weekly', 'monthly'] },
  computerGroupIds: { type: 'integerList' },
  useTaniumClientTimeZone: { type: 'boolean' },
  description: { type: 'string' },
};

/** Self-service profiles: which software packages the end-user catalog offers to which groups. */
const PROFILE: FieldSpec = {
  name: { type: 'string', required: true },
  description: { type: 'string' },
  softwarePackageIds: { type: 'integerList' },
  computerGroupIds: { type: 'integerList' },
  rank: { type: 'integer', min: 1 },
};

interface TempFile {
  id: number;
  name: string;
  size: number;
  hash: string;
  createdAt: string;
}

/**
 * Deploy administration: maintenance windows, self-service profiles (and their software) and temp
 * files (uploads a package is then made from). Envelope `{data}`, as the rest of Deploy.
 */
export function deployAdminRoutes(
  scope: FastifyInstance,
  state: EmulatorState,
  packages: readonly { id: number }[],
): void {
  const now = () => state.now();
  const data = (value: unknown) => ({ data: value });

  crudRoutes(scope, {
    path: '/v1/maintenance-windows',
    items: new Collection<StoredObject>('MaintenanceWindowNotFound', 'maintenance window'),
    spec: MAINTENANCE_WINDOW,
    now,
    list: data,
    one: data,
    defaults: () => ({
      recurrence: 'none',
      computerGroupIds: [],
      useTaniumClientTimeZone: false,
      description: '',
    }),
    check: (fields) => {
      const start = isoTime(fields, 'startTime');
      const end = isoTime(fields, 'endTime');
      if (end <= start) throw badBody('"endTime" must be after "startTime"');
    },
  });

  const profiles = new Collection<StoredObject>('ProfileNotFound', 'profile');
  crudRoutes(scope, {
    path: '/v1/profiles',
    items: profiles,
    spec: PROFILE,
    now,
    list: data,
    one: data,
    defaults: () => ({ description: '', softwarePackageIds: [], computerGroupIds: [], rank: 1 }),
    check: (fields) => {
      const unknown = (fields['softwarePackageIds'] as number[]).find(
        (id) => !packages.some((p) => p.id === id),
      );
      if (unknown !== undefined) throw badBody(`"softwarePackageIds" names no software package: ${unknown}`);
    },
  });
  scope.get<{ Params: { id: string } }>('/v1/profiles/:id/software', async (request) => {
    const ids = profiles.get(request.params.id)['softwarePackageIds'] as number[];
    return data(packages.filter((p) => ids.includes(p.id)));
  });

  tempFileRoutes(scope, state);
}

function isoTime(fields: Record<string, unknown>, field: string): number {
  const value = fields[field];
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw badBody(`field "${field}" must be an ISO-8601 date-time such as 2026-05-01T12:00:00Z`);
  return ms;
}

/**
 * Temp files. The emulator reads only JSON bodies, so an upload is `{name, content}` with the
 * file's bytes in base64 (ASSUMPTION: a tenant takes the file itself); only its size and SHA-256
 * are kept.
 */
function tempFileRoutes(scope: FastifyInstance, state: EmulatorState): void {
  const files = new Collection<TempFile & StoredObject>('TempFileNotFound', 'temp file');
  const view = (file: TempFile) => ({
    id: file.id,
    name: file.name,
    size: file.size,
    hash: file.hash,
    createdAt: file.createdAt,
  });

  scope.post('/v1/tempfiles', async (request) => {
    const body = objectBody(request.body, false);
    onlyFields(body, ['name', 'content']);
    const name = requiredString(body, 'name');
    const content = body['content'];
    if (typeof content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0)
      throw badBody('field "content" is required: the file\'s bytes in base64');
    const bytes = Buffer.from(content, 'base64');
    const at = iso(state.now());
    const file = files.add((id) => ({
      id,
      name,
      size: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
      createdAt: at,
      updatedAt: at,
    }));
    return { data: view(file) };
  });
  scope.get<{ Params: { id: string } }>('/v1/tempfiles/:id', async (request) => ({
    data: view(files.get(request.params.id)),
  }));
  scope.get<{ Params: { id: string } }>('/v1/tempfiles/:id/cached', async (request) => ({
    data: { ...view(files.get(request.params.id)), cached: true },
  }));
  scope.delete<{ Params: { id: string } }>('/v1/tempfiles/:id', async (request) => ({
    data: view(files.remove(request.params.id)),
  }));
}
