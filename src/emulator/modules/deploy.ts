import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { deployAdminRoutes } from './deployAdmin.js';
import {
  optionalBoolean,
  optionalDate,
  optionalEnum,
  optionalIntegerList,
  optionalObject,
} from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import {
  booleanParam,
  integerParam,
  listParam,
  notFound,
  page,
  pathId,
  queryOf,
  stringParam,
} from './query.js';
import { between, DAY, iso, SEED_EPOCH_MS, seededRandom } from './seeded.js';

const APPLICABILITIES = [
  'Not Applicable',
  'Installed',
  'Install Eligible',
  'Update Eligible',
  'Update Ineligible',
];

interface SoftwarePackage {
  id: number;
  productName: string;
  productVendor: string;
  productVersion: string;
  description: string;
  platform: 'windows' | 'macos' | 'linux';
  contentSetId: number;
  applicabilityCounts: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

type Deployment = Record<string, unknown> & { id: number };

/** Deploy (`/plugin/products/deploy`): software packages and deployments; envelope `{data}`. */
export function deployModule(app: FastifyInstance, state: EmulatorState): void {
  const packages = seedPackages();
  const deployments: Deployment[] = [];

  const packageById = (raw: string): SoftwarePackage => {
    const id = pathId(raw, 'SoftwarePackageNotFound', 'software package');
    const found = packages.find((p) => p.id === id);
    if (!found) throw notFound('SoftwarePackageNotFound', 'software package', id);
    return found;
  };

  moduleScope(app, moduleInfo('deploy'), (scope) => {
    deployAdminRoutes(scope, state, packages);
    scope.get('/v1/software-packages', async (request) => {
      const query = queryOf(request);
      const productName = stringParam(query, 'productName');
      const productVendor = stringParam(query, 'productVendor');
      return {
        data: packages.filter(
          (p) =>
            (productName === undefined || p.productName === productName) &&
            (productVendor === undefined || p.productVendor === productVendor),
        ),
      };
    });

    scope.get<{ Params: { id: string } }>('/v1/software-packages/:id', async (request) => ({
      data: packageById(request.params.id),
    }));

    scope.get('/v4/software-packages', async (request) => {
      const query = queryOf(request);
      const skip = integerParam(query, 'skip', { min: 0 }) ?? 0;
      const take = integerParam(query, 'take', { min: 0 });
      const text = stringParam(query, 'text')?.toLowerCase();
      const platforms = listParam(query, 'platform');
      const vendors = listParam(query, 'productVendor');
      const latest = booleanParam(query, 'onlyLatestVersion') ?? false;
      const filtered = packages.filter(
        (p) =>
          (text === undefined || `${p.productName} ${p.productVendor}`.toLowerCase().includes(text)) &&
          (platforms.length === 0 || platforms.includes(p.platform)) &&
          (vendors.length === 0 || vendors.includes(p.productVendor)) &&
          (!latest || isLatest(p, packages)),
      );
      return {
        data: {
          total: packages.length,
          filteredTotal: filtered.length,
          softwarePackages: page(filtered, skip, take),
          filterValues: {
            platforms: [...new Set(packages.map((p) => p.platform))].sort(),
            vendors: [...new Set(packages.map((p) => p.productVendor))].sort(),
            titles: [...new Set(packages.map((p) => p.productName))].sort(),
            applicabilities: APPLICABILITIES,
            users: ['tanium-admin'],
          },
        },
      };
    });

    scope.get('/v1/deployments', async (request) => {
      const query = queryOf(request);
      const skip = integerParam(query, 'skip', { min: 0 }) ?? 0;
      const take = integerParam(query, 'take', { min: 0 });
      return { data: page(deployments, skip, take) };
    });

    const deploymentById = (raw: string): Deployment => {
      const id = pathId(raw, 'DeploymentNotFound', 'deployment');
      const found = deployments.find((d) => d.id === id);
      if (!found) throw notFound('DeploymentNotFound', 'deployment', id);
      return found;
    };

    scope.get<{ Params: { id: string } }>('/v1/deployments/:id', async (request) => ({
      data: deploymentById(request.params.id),
    }));

    // v3 pages like v4 software packages: totals beside the page (docs/emulator-modules.md).
    scope.get('/v3/deployments', async (request) => {
      const query = queryOf(request);
      const skip = integerParam(query, 'skip', { min: 0 }) ?? 0;
      const take = integerParam(query, 'take', { min: 0 });
      const stopped = booleanParam(query, 'stopped');
      const matching = deployments.filter((d) => stopped === undefined || d['stopped'] === stopped);
      return {
        data: {
          total: deployments.length,
          filteredTotal: matching.length,
          deployments: page(matching, skip, take),
        },
      };
    });

    // Stopping: PUT {"stopped": true}. A stopped deployment stays stopped (it cannot be restarted).
    scope.put<{ Params: { id: string } }>('/v1/deployments/:id', async (request) => {
      const deployment = deploymentById(request.params.id);
      const body = objectBody(request.body, false);
      onlyFields(body, ['stopped', 'name', 'description']);
      const stop = optionalBoolean(body, 'stopped');
      if (stop === false && deployment['stopped'] === true)
        throw badBody('a stopped deployment cannot be restarted: create a new deployment');
      const name = body['name'] === undefined ? undefined : requiredString(body, 'name');
      const description = optionalString(body, 'description');
      const now = iso(state.now());
      if (stop === true && deployment['stopped'] !== true)
        Object.assign(deployment, { stopped: true, stoppedAt: now, statusLabel: 'Stopped' });
      if (name !== undefined) deployment['name'] = name;
      if (description !== undefined) deployment['description'] = description;
      deployment['updatedAt'] = now;
      return { data: deployment };
    });

    scope.post('/v1/deployments', async (request) => {
      const body = objectBody(request.body, false);
      onlyFields(body, [
        'name',
        'description',
        'softwarePackageId',
        'softwareBundleId',
        'contentSetId',
        'target',
        'operation',
        'type',
        'startTime',
        'endTime',
        'useTaniumClientTimeZone',
        'restart',
        'downloadImmediately',
        'overrideMaintenanceWindows',
        'eussAvailableBeforeStart',
        'distributeOverTimeSeconds',
      ]);
      const name = requiredString(body, 'name');
      const packageId = optionalInteger(body, 'softwarePackageId');
      const bundleId = optionalInteger(body, 'softwareBundleId');
      if ((packageId === undefined) === (bundleId === undefined)) {
        throw badBody('give exactly one of "softwarePackageId" and "softwareBundleId"');
      }
      if (bundleId !== undefined) throw badBody(`"softwareBundleId" names no software bundle: ${bundleId}`);
      if (!packages.some((p) => p.id === packageId))
        throw badBody(`"softwarePackageId" names no software package: ${packageId}`);
      const target = readTarget(optionalObject(body, 'target'));
      const operation =
        optionalEnum(body, 'operation', ['install', 'update', 'remove', 'installOrUpdate'] as const) ??
        'installOrUpdate';
      const type = optionalEnum(body, 'type', ['single', 'ongoing'] as const) ?? 'single';
      const start = optionalDate(body, 'startTime') ?? state.now();
      const end = optionalDate(body, 'endTime');
      if (end !== undefined && end <= start) throw badBody('"endTime" must be after "startTime"');
      const distribute = optionalInteger(body, 'distributeOverTimeSeconds') ?? 0;
      if (distribute < 0) throw badBody('"distributeOverTimeSeconds" must be 0 or more');
      const now = iso(state.now());
      const { user } = request.principal!;
      const deployment: Deployment = {
        id: deployments.length + 1,
        name,
        description: optionalString(body, 'description') ?? '',
        contentSetId: optionalInteger(body, 'contentSetId') ?? 1,
        softwarePackageId: packageId,
        softwareBundleId: null,
        operation,
        target,
        type,
        useTaniumClientTimeZone: optionalBoolean(body, 'useTaniumClientTimeZone') ?? false,
        startTime: iso(start),
        endTime: end === undefined ? null : iso(end),
        restart: optionalBoolean(body, 'restart') ?? false,
        downloadImmediately: optionalBoolean(body, 'downloadImmediately') ?? false,
        overrideMaintenanceWindows: optionalBoolean(body, 'overrideMaintenanceWindows') ?? false,
        eussAvailableBeforeStart: optionalBoolean(body, 'eussAvailableBeforeStart') ?? false,
        distributeOverTimeSeconds: distribute,
        stopped: false,
        stoppedAt: null,
        statusLabel: 'Active',
        createdAt: now,
        updatedAt: now,
        createdByTaniumUserId: user.id,
        createdByTaniumUsername: user.name,
      };
      deployments.push(deployment);
      return { data: deployment };
    });
  });
}

function readTarget(target: Record<string, unknown> | undefined) {
  if (!target)
    throw badBody('field "target" is required: {"computerGroupIds": [...], "questionGroupIds": [...]}');
  onlyFields(target, ['computerGroupIds', 'questionGroupIds', 'limitingGroupIds', 'isRingDeployment']);
  const computerGroupIds = optionalIntegerList(target, 'computerGroupIds') ?? [];
  const questionGroupIds = optionalIntegerList(target, 'questionGroupIds') ?? [];
  const limitingGroupIds = optionalIntegerList(target, 'limitingGroupIds') ?? [];
  if (computerGroupIds.length + questionGroupIds.length === 0) {
    throw badBody('"target" needs at least one entry in "computerGroupIds" or "questionGroupIds"');
  }
  if (questionGroupIds.length > 0 && limitingGroupIds.length === 0) {
    throw badBody('"target.limitingGroupIds" is required when "questionGroupIds" is given');
  }
  return { computerGroupIds, questionGroupIds, limitingGroupIds, isRingDeployment: false };
}

function isLatest(p: SoftwarePackage, all: SoftwarePackage[]): boolean {
  return !all.some(
    (q) =>
      q.productName === p.productName &&
      q.platform === p.platform &&
      q.productVersion.localeCompare(p.productVersion, 'en', { numeric: true }) > 0,
  );
}

function seedPackages(): SoftwarePackage[] {
  const random = seededRandom(23);
  const products = [
    ['7-Zip', '7-Zip', 'windows'],
    ['Google Chrome', 'Google LLC', 'windows'],
    ['Mozilla Firefox', 'Mozilla', 'windows'],
    ['Zoom Workplace', 'Zoom Video Communications', 'windows'],
    ['Notepad++', 'Notepad++ Team', 'windows'],
    ['Google Chrome', 'Google LLC', 'macos'],
    ['Slack', 'Slack Technologies', 'macos'],
    ['Visual Studio Code', 'Microsoft', 'linux'],
    ['OpenJDK 21', 'Eclipse Adoptium', 'linux'],
  ] as const;
  const out: SoftwarePackage[] = [];
  for (const [productName, productVendor, platform] of products) {
    const versions = between(random, 3, 7);
    for (let v = 0; v < versions; v++) {
      const at = iso(SEED_EPOCH_MS - (versions - v) * 30 * DAY);
      out.push({
        id: out.length + 1,
        productName,
        productVendor,
        productVersion: `${between(random, 1, 120)}.${v}.${between(random, 0, 99)}`,
        description: `${productName} by ${productVendor}`,
        platform,
        contentSetId: 1,
        applicabilityCounts: Object.fromEntries(APPLICABILITIES.map((a) => [a, between(random, 0, 120)])),
        createdAt: at,
        updatedAt: at,
      });
    }
  }
  return out;
}
