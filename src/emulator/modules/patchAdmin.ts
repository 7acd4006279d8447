import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { Collection } from './collection.js';
import { crudRoutes, type StoredObject } from './crudRoutes.js';
import type { FieldSpec } from './fieldSpec.js';
import type { Patch } from './patchCatalogue.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

const OS_TYPES = ['windows', 'linux', 'mac'] as const;

/** Block lists (`/v1/blacklists`, Tanium's path name): patches a deployment may not install. */
const BLACKLIST: FieldSpec = {
  name: { type: 'string', required: true },
  osType: { type: 'string', required: true, oneOf: OS_TYPES },
  description: { type: 'string' },
  contentSetId: { type: 'integer', min: 1 },
  patchTaniumUids: { type: 'stringList' },
  computerGroupIds: { type: 'integerList' },
};

/** Scan configurations: how and how often endpoints scan for applicable patches. */
const SCAN_CONFIGURATION: FieldSpec = {
  name: { type: 'string', required: true },
  osType: { type: 'string', required: true, oneOf: OS_TYPES },
  scanType: { type: 'string', oneOf: ['tanium', 'wsus', 'online', 'offline'] },
  description: { type: 'string' },
  contentSetId: { type: 'integer', min: 1 },
  computerGroupIds: { type: 'integerList' },
  scanIntervalMinutes: { type: 'integer', min: 1 },
  randomDelayMinutes: { type: 'integer', min: 0 },
  priority: { type: 'integer', min: 1 },
};

/** Linux repositories Patch reads applicability from. */
const REPO: FieldSpec = {
  name: { type: 'string', required: true },
  osType: { type: 'string', oneOf: ['linux'] },
  url: { type: 'string', required: true },
  repoType: { type: 'string', oneOf: ['yum', 'apt', 'zypper'] },
  description: { type: 'string' },
  enabled: { type: 'boolean' },
  username: { type: 'string' },
  password: { type: 'string', secret: true },
};

/**
 * Patch administration objects: scan configurations, block lists and repos. Bare JSON as the rest of
 * Patch: a list is keyed by its plural (`{blacklists}`, `{scanConfigurations}`, `{repos}`, as
 * `{patchLists}` is), one object is answered bare, a delete answers the removed object.
 */
export function patchAdminRoutes(
  scope: FastifyInstance,
  state: EmulatorState,
  patches: readonly Patch[],
): void {
  const now = () => state.now();
  const seededAt = iso(SEED_EPOCH_MS - 30 * DAY);

  crudRoutes(scope, {
    path: '/v1/blacklists',
    items: new Collection<StoredObject>('BlacklistNotFound', 'block list'),
    spec: BLACKLIST,
    now,
    list: (items) => ({ blacklists: items }),
    one: (item) => item,
    defaults: () => ({ description: '', contentSetId: 1, patchTaniumUids: [], computerGroupIds: [] }),
    check: (fields) => {
      const unknown = (fields['patchTaniumUids'] as string[]).find(
        (uid) => !patches.some((p) => p.taniumUid === uid),
      );
      if (unknown !== undefined) throw badBody(`"patchTaniumUids" names no patch: ${unknown}`);
    },
    view: (item) => ({ patchCount: (item['patchTaniumUids'] as string[]).length }),
  });

  crudRoutes(scope, {
    path: '/v1/scan-configurations',
    items: new Collection<StoredObject>('ScanConfigurationNotFound', 'scan configuration', [
      {
        id: 1,
        name: 'Default Windows Scan',
        osType: 'windows',
        scanType: 'tanium',
        description: 'Tanium scan of every Windows endpoint',
        contentSetId: 1,
        computerGroupIds: [1],
        scanIntervalMinutes: 1440,
        randomDelayMinutes: 60,
        priority: 1,
        createdAt: seededAt,
        updatedAt: seededAt,
      },
    ]),
    spec: SCAN_CONFIGURATION,
    now,
    list: (items) => ({ scanConfigurations: items }),
    one: (item) => item,
    defaults: () => ({
      scanType: 'tanium',
      description: '',
      contentSetId: 1,
      computerGroupIds: [],
      scanIntervalMinutes: 1440,
      randomDelayMinutes: 60,
      priority: 100,
    }),
  });

  crudRoutes(scope, {
    path: '/v1/repos',
    items: new Collection<StoredObject>('RepoNotFound', 'repo'),
    spec: REPO,
    now,
    list: (items) => ({ repos: items }),
    one: (item) => item,
    defaults: () => ({ osType: 'linux', repoType: 'yum', description: '', enabled: true, username: '' }),
  });
}
