import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import {
  optionalBoolean,
  optionalDate,
  optionalEnum,
  optionalIntegerList,
  optionalStringList,
  requiredEnum,
} from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { patchAdminRoutes } from './patchAdmin.js';
import { type Patch, seedPatches } from './patchCatalogue.js';
import { booleanParam, enumParam, integerParam, notFound, page, pathId, queryOf } from './query.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

/** `take` has no documented cap: without it the whole (filtered) catalog comes back, as on a tenant. */
const OS_TYPES = ['windows', 'linux', 'mac'] as const;
type Deployment = Record<string, unknown> & { id: number; name: string };
type Window = Record<string, unknown> & { id: number };

/**
 * Patch (`/plugin/products/patch`, paths `/v1/…`, `/v2/…`): bare JSON answers, no `data` envelope
 * (`{patches, total, applicableCount}`, `{deployments}`, `{patchLists}`, `{maintenanceWindows}`).
 */
export function patchModule(app: FastifyInstance, state: EmulatorState): void {
  const patches = seedPatches();
  const patchLists = [
    {
      id: 1,
      name: 'All Patches',
      osType: 'windows',
      contentSetId: 1,
      currentPatchListVersionId: 1,
      isTaniumManaged: true,
    },
    {
      id: 2,
      name: 'Critical Windows',
      osType: 'windows',
      contentSetId: 1,
      currentPatchListVersionId: 3,
      isTaniumManaged: false,
    },
    {
      id: 3,
      name: 'Linux Security',
      osType: 'linux',
      contentSetId: 1,
      currentPatchListVersionId: 1,
      isTaniumManaged: false,
    },
  ].map((list) => ({
    ...list,
    includeSupersededPatches: false,
    patchIdCount: patches.filter((p) => p.osType === list.osType).length,
    ruleCount: list.id === 1 ? 0 : 1,
    createdAt: iso(SEED_EPOCH_MS - 90 * DAY),
    updatedAt: iso(SEED_EPOCH_MS - 10 * DAY),
  }));
  const deployments: Deployment[] = [];
  const windows: Window[] = [];
  let nextDeploymentId = 1;
  let nextWindowId = 1;

  moduleScope(app, moduleInfo('patch'), (scope) => {
    patchAdminRoutes(scope, state, patches);
    scope.get('/v1/patches', async (request) => {
      const query = queryOf(request);
      const skip = integerParam(query, 'skip', { min: 0 }) ?? 0;
      const take = integerParam(query, 'take', { min: 0 });
      const osType = enumParam(query, 'osType', ['windows', 'linux'] as const);
      const applicableOnly = booleanParam(query, 'applicableOnly') ?? false;
      const listId = integerParam(query, 'patchListId', { min: 1 });
      const list = listId === undefined ? undefined : patchLists.find((l) => l.id === listId);
      if (listId !== undefined && !list) throw notFound('PatchListNotFound', 'patch list', listId);
      const matching = patches.filter(
        (p) =>
          (osType === undefined || p.osType === osType) &&
          (!list || p.osType === list.osType) &&
          (!applicableOnly || p.applicabilityCount > 0),
      );
      return {
        patches: page(matching, skip, take),
        total: matching.length,
        applicableCount: matching.filter((p) => p.applicabilityCount > 0).length,
      };
    });

    scope.get<{ Params: { uid: string } }>('/v1/patches/:uid', async (request) => {
      const patch = patches.find((p) => p.taniumUid === request.params.uid);
      if (!patch) throw notFound('PatchNotFound', 'patch', request.params.uid);
      return patch;
    });

    scope.get('/v1/patch-lists', async () => ({ patchLists }));
    scope.get('/v2/patch-lists', async () => ({ patchLists }));
    scope.get<{ Params: { id: string } }>('/v1/patch-lists/:id', async (request) => {
      const id = pathId(request.params.id, 'PatchListNotFound', 'patch list');
      const list = patchLists.find((l) => l.id === id);
      if (!list) throw notFound('PatchListNotFound', 'patch list', id);
      return list;
    });

    const listDeployments = async () => ({ deployments: deployments.map(summary) });
    scope.get('/v1/deployments', listDeployments);
    scope.get('/v2/deployments', listDeployments);
    const oneDeployment = async (request: { params: { id: string } }) => {
      const id = pathId(request.params.id, 'DeploymentNotFound', 'deployment');
      const found = deployments.find((d) => d.id === id);
      if (!found) throw notFound('DeploymentNotFound', 'deployment', id);
      return found;
    };
    scope.get<{ Params: { id: string } }>('/v1/deployments/:id', oneDeployment);
    scope.get<{ Params: { id: string } }>('/v2/deployments/:id', oneDeployment);

    scope.post('/v2/deployments', async (request) => {
      const body = objectBody(request.body, false);
      const spec = readDeployment(body, patches, patchLists);
      const now = iso(state.now());
      const user = request.principal!.user.name;
      const deployment: Deployment = {
        id: nextDeploymentId++,
        ...spec,
        stoppedAt: null,
        isActive: true,
        isEnded: false,
        completeCount: 0,
        needsAttentionCount: 0,
        createdAt: now,
        createdByTaniumUsername: user,
        updatedAt: now,
        lastModifiedByTaniumUsername: user,
      };
      deployments.push(deployment);
      return deployment;
    });

    // Stopping a deployment: PUT with {"stoppedAt"} (the documented way to stop one).
    scope.put<{ Params: { id: string } }>('/v2/deployments/:id', async (request) => {
      const deployment = await oneDeployment(request);
      const body = objectBody(request.body, false);
      onlyFields(body, ['stoppedAt']);
      const stoppedAt = optionalDate(body, 'stoppedAt');
      if (stoppedAt === undefined) throw badBody('field "stoppedAt" is required to stop a deployment');
      Object.assign(deployment, {
        stoppedAt: iso(stoppedAt),
        isActive: false,
        isEnded: true,
        updatedAt: iso(state.now()),
      });
      return deployment;
    });

    scope.get('/v1/maintenance-windows', async () => ({ maintenanceWindows: windows }));
    scope.get<{ Params: { id: string } }>('/v1/maintenance-windows/:id', async (request) => {
      const id = pathId(request.params.id, 'MaintenanceWindowNotFound', 'maintenance window');
      const found = windows.find((w) => w.id === id);
      if (!found) throw notFound('MaintenanceWindowNotFound', 'maintenance window', id);
      return { ...found, enforcements: [] };
    });
    scope.post('/v1/maintenance-windows', async (request) => {
      const body = objectBody(request.body, false);
      onlyFields(body, [
        'name',
        'osType',
        'startTime',
        'endTime',
        'contentSetId',
        'description',
        'repeatType',
        'repeatEvery',
        'useTaniumClientTimeZone',
        'issuerTimezone',
        'tzOffset',
      ]);
      const name = requiredString(body, 'name');
      const osType = requiredEnum(body, 'osType', OS_TYPES);
      const start = optionalDate(body, 'startTime');
      const end = optionalDate(body, 'endTime');
      if (start === undefined || end === undefined)
        throw badBody('fields "startTime" and "endTime" are required');
      if (end <= start) throw badBody('"endTime" must be after "startTime"');
      const window: Window = {
        id: nextWindowId++,
        name,
        osType,
        description: optionalString(body, 'description') ?? '',
        contentSetId: optionalInteger(body, 'contentSetId') ?? 1,
        startTime: iso(start),
        endTime: iso(end),
        repeatType:
          optionalEnum(body, 'repeatType', ['never', 'daily', 'weekly', 'monthly', 'yearly'] as const) ??
          'never',
        repeatEvery: optionalInteger(body, 'repeatEvery') ?? 1,
        useTaniumClientTimeZone: optionalBoolean(body, 'useTaniumClientTimeZone') ?? false,
        createdAt: iso(state.now()),
        updatedAt: iso(state.now()),
      };
      windows.push(window);
      return window;
    });
    scope.delete<{ Params: { id: string } }>('/v1/maintenance-windows/:id', async (request) => {
      const id = pathId(request.params.id, 'MaintenanceWindowNotFound', 'maintenance window');
      const index = windows.findIndex((w) => w.id === id);
      if (index < 0) throw notFound('MaintenanceWindowNotFound', 'maintenance window', id);
      const [removed] = windows.splice(index, 1);
      return removed;
    });
  });
}

const DEPLOYMENT_FIELDS = [
  'name',
  'description',
  'type',
  'osType',
  'contentSetId',
  'startTime',
  'endTime',
  'frequencyType',
  'patchTaniumUids',
  'patchListIdsWithLatestVersion',
  'targetedComputerGroupIds',
  'targetedQuestionGroupIds',
  'targetedComputerNames',
  'limitingGroupIds',
  'restart',
  'downloadImmediately',
  'overrideBlacklists',
  'overrideMaintenanceWindows',
  'useTaniumClientTimeZone',
  'issuerTimezone',
  'distributeOverTimeMinutes',
];

/** Validates a whole deployment request before anything is created. */
function readDeployment(body: Record<string, unknown>, patches: Patch[], lists: { id: number }[]) {
  onlyFields(body, DEPLOYMENT_FIELDS);
  const name = requiredString(body, 'name');
  const type = optionalEnum(body, 'type', ['install', 'uninstall'] as const) ?? 'install';
  const osType = requiredEnum(body, 'osType', OS_TYPES);
  const frequencyType =
    optionalEnum(body, 'frequencyType', ['single', 'ongoing', 'EUSS'] as const) ?? 'single';
  const start = optionalDate(body, 'startTime');
  const end = optionalDate(body, 'endTime');
  if (start !== undefined && end !== undefined && end <= start)
    throw badBody('"endTime" must be after "startTime"');
  const uids = optionalStringList(body, 'patchTaniumUids') ?? [];
  const listIds = optionalIntegerList(body, 'patchListIdsWithLatestVersion') ?? [];
  if (uids.length === 0 && listIds.length === 0) {
    throw badBody(
      'name the content: "patchTaniumUids" or "patchListIdsWithLatestVersion" (at least one entry)',
    );
  }
  const unknownUid = uids.find((uid) => !patches.some((p) => p.taniumUid === uid));
  if (unknownUid) throw badBody(`"patchTaniumUids" names no patch: ${unknownUid}`);
  const unknownList = listIds.find((id) => !lists.some((l) => l.id === id));
  if (unknownList !== undefined)
    throw badBody(`"patchListIdsWithLatestVersion" names no patch list: ${unknownList}`);
  const groups = optionalIntegerList(body, 'targetedComputerGroupIds') ?? [];
  const questionGroups = optionalIntegerList(body, 'targetedQuestionGroupIds') ?? [];
  const names = optionalStringList(body, 'targetedComputerNames') ?? [];
  if (groups.length + questionGroups.length + names.length === 0) {
    throw badBody(
      'name the targets: "targetedComputerGroupIds", "targetedQuestionGroupIds" or "targetedComputerNames" (at least one entry)',
    );
  }
  const distribute = optionalInteger(body, 'distributeOverTimeMinutes') ?? 0;
  if (distribute < 0) throw badBody('"distributeOverTimeMinutes" must be 0 or more');
  return {
    name,
    description: optionalString(body, 'description') ?? '',
    type,
    osType,
    frequencyType,
    contentSetId: optionalInteger(body, 'contentSetId') ?? 1,
    startTime: start === undefined ? null : iso(start),
    endTime: end === undefined ? null : iso(end),
    patches: uids.map((uid) => ({ taniumUid: uid })),
    patchListsWithLatestVersion: listIds.map((id) => ({ id })),
    targetedComputerGroupIds: groups,
    targetedQuestionGroupIds: questionGroups,
    targetedComputerNames: names,
    limitingGroupIds: optionalIntegerList(body, 'limitingGroupIds') ?? [],
    restart: optionalBoolean(body, 'restart') ?? false,
    downloadImmediately: optionalBoolean(body, 'downloadImmediately') ?? false,
    overrideBlacklists: optionalBoolean(body, 'overrideBlacklists') ?? false,
    overrideMaintenanceWindows: optionalBoolean(body, 'overrideMaintenanceWindows') ?? false,
    useTaniumClientTimeZone: optionalBoolean(body, 'useTaniumClientTimeZone') ?? false,
    issuerTimezone: optionalString(body, 'issuerTimezone') ?? 'UTC',
    distributeOverTimeMinutes: distribute,
  };
}

function summary(d: Deployment) {
  const { patches: _patches, patchListsWithLatestVersion: _lists, ...rest } = d;
  return {
    ...rest,
    patchListCount: (d['patchListsWithLatestVersion'] as unknown[]).length,
    taniumGroupIdCount: (d['targetedComputerGroupIds'] as unknown[]).length,
  };
}
