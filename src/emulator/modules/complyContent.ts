import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { Collection } from './collection.js';
import { crudRoutes, type StoredObject } from './crudRoutes.js';
import type { FieldSpec } from './fieldSpec.js';
import { notFound } from './query.js';
import { between, DAY, iso, SEED_EPOCH_MS, seededRandom } from './seeded.js';

const PLATFORMS = ['Windows', 'Linux', 'Mac'] as const;

const CUSTOM_CHECK: FieldSpec = {
  name: { type: 'string', required: true },
  platform: { type: 'string', required: true, oneOf: PLATFORMS },
  script: { type: 'string', required: true },
  scriptType: { type: 'string', oneOf: ['powershell', 'vbscript', 'shell', 'python'] },
  expectedResult: { type: 'string' },
  category: { type: 'string' },
  description: { type: 'string' },
};

/** Report bundles (assessments): what an endpoint set is assessed against. */
const BUNDLE: FieldSpec = {
  name: { type: 'string', required: true },
  description: { type: 'string' },
  benchmarkId: { type: 'integer', min: 1 },
  customCheckIds: { type: 'integerList' },
  computerGroupIds: { type: 'integerList', required: true },
  scanIntervalHours: { type: 'integer', min: 1 },
};

const VULNERABILITY_SOURCE: FieldSpec = {
  name: { type: 'string', required: true },
  type: { type: 'string', required: true, oneOf: ['tanium', 'oval', 'custom'] },
  url: { type: 'string' },
  description: { type: 'string' },
  enabled: { type: 'boolean' },
};

/**
 * Comply content administration: custom checks, report bundles, vulnerability sources, and the
 * aggregate results of a bundle by its hash. Bare JSON, as the rest of Comply; bundles use the
 * keys Comply's description gives (`{reportBundleList}`, `{reportBundle}`).
 */
export function complyContentRoutes(
  scope: FastifyInstance,
  state: EmulatorState,
  benchmarks: readonly { id: number }[],
): void {
  const now = () => state.now();
  const checks = new Collection<StoredObject>('CustomCheckNotFound', 'custom check');
  const bundles = new Collection<StoredObject>('ReportBundleNotFound', 'report bundle');
  const seededAt = iso(SEED_EPOCH_MS - 200 * DAY);

  crudRoutes(scope, {
    path: '/v1/custom-checks',
    items: checks,
    spec: CUSTOM_CHECK,
    now,
    list: (items) => items,
    one: (item) => item,
    defaults: () => ({
      scriptType: 'powershell',
      expectedResult: 'pass',
      category: 'Custom',
      description: '',
    }),
    createStatus: 201,
    update: 'PATCH',
    deleted: 'noContent',
  });

  crudRoutes(scope, {
    path: '/v1/bundles',
    items: bundles,
    spec: BUNDLE,
    now,
    list: (items) => ({ reportBundleList: items }),
    one: (item) => ({ reportBundle: item }),
    defaults: () => ({ description: '', customCheckIds: [], scanIntervalHours: 24 }),
    check: (fields) => {
      const benchmarkId = fields['benchmarkId'] as number | undefined;
      const customCheckIds = fields['customCheckIds'] as number[];
      if (benchmarkId === undefined && customCheckIds.length === 0)
        throw badBody('give "benchmarkId" or at least one entry in "customCheckIds"');
      if (benchmarkId !== undefined && !benchmarks.some((b) => b.id === benchmarkId))
        throw badBody(`"benchmarkId" names no benchmark: ${benchmarkId}`);
      const unknown = customCheckIds.find((id) => !checks.find(id));
      if (unknown !== undefined) throw badBody(`"customCheckIds" names no custom check: ${unknown}`);
      if ((fields['computerGroupIds'] as number[]).length === 0)
        throw badBody('field "computerGroupIds" needs at least one computer group id');
    },
    // A bundle's hash names it in the results routes; it changes when the bundle's content does.
    view: (item) => ({ hash: bundleHash(item) }),
    createStatus: 201,
    deleted: 'noContent',
  });

  crudRoutes(scope, {
    path: '/v1/vulnerability-sources',
    items: new Collection<StoredObject>('VulnerabilitySourceNotFound', 'vulnerability source', [
      {
        id: 1,
        name: 'Tanium Vulnerability Library',
        type: 'tanium',
        url: '',
        description: 'CVE definitions maintained by Tanium',
        enabled: true,
        createdAt: seededAt,
        updatedAt: seededAt,
      },
    ]),
    spec: VULNERABILITY_SOURCE,
    now,
    list: (items) => items,
    one: (item) => item,
    defaults: () => ({ url: '', description: '', enabled: true }),
    check: (fields) => {
      if (fields['type'] !== 'tanium' && !fields['url'])
        throw badBody(
          `field "url" is required for a vulnerability source of type "${String(fields['type'])}"`,
        );
    },
    createStatus: 201,
    update: 'PATCH',
    deleted: 'noContent',
  });

  scope.get<{ Params: { hash: string } }>('/v1/results/aggregate/:hash', async (request) => {
    const bundle = bundles.list().find((b) => bundleHash(b) === request.params.hash);
    if (!bundle) throw notFound('ReportBundleNotFound', 'report bundle hash', request.params.hash);
    return aggregate(bundle);
  });
}

export function bundleHash(bundle: StoredObject): string {
  const content = JSON.stringify([bundle.id, bundle['benchmarkId'] ?? null, bundle['customCheckIds']]);
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

/** Pass/fail counts per rule, drawn from the bundle's hash: stable for a bundle, not measured. */
function aggregate(bundle: StoredObject) {
  const hash = bundleHash(bundle);
  const random = seededRandom(Number.parseInt(hash.slice(0, 8), 16));
  const checkIds = bundle['customCheckIds'] as number[];
  const ruleCount = checkIds.length + (bundle['benchmarkId'] === undefined ? 0 : 20);
  const endpoints = (bundle['computerGroupIds'] as number[]).length * 25;
  const rules = Array.from({ length: ruleCount }, (_, i) => {
    const pass = between(random, 0, endpoints);
    const error = between(random, 0, Math.floor((endpoints - pass) / 10));
    return {
      ruleId: i < checkIds.length ? `custom-${checkIds[i]}` : `rule-${i - checkIds.length + 1}`,
      pass,
      fail: endpoints - pass - error,
      error,
      notApplicable: 0,
    };
  });
  const total = (key: 'pass' | 'fail' | 'error' | 'notApplicable') =>
    rules.reduce((sum, rule) => sum + rule[key], 0);
  return {
    hash,
    reportBundleId: bundle.id,
    name: bundle['name'],
    endpointCount: endpoints,
    totals: { pass: total('pass'), fail: total('fail'), error: total('error'), notApplicable: 0 },
    rules,
    // Results are as of the bundle's last change (the emulator runs no scans).
    lastUpdated: bundle.updatedAt,
  };
}
