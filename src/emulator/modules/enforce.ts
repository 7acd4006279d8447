import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { optionalObject, requiredEnum } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { integerParam, notFound, page, pathId, queryOf } from './query.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

/**
 * Enforce (`/plugin/products/enforce`). Tanium publishes no Enforce REST description: routes and
 * shapes are ASSUMPTIONS built on the few public paths (`/v1/enforcements`, `/private/info`),
 * with the `{data}` envelope most module APIs use.
 */
const POLICY_TYPES = [
  'firewall',
  'antimalware',
  'disk-encryption',
  'device-control',
  'windows-configuration',
  'mac-configuration',
] as const;
const PLATFORMS = ['Windows', 'Mac', 'Linux'] as const;

interface Policy {
  id: number;
  name: string;
  description: string;
  type: (typeof POLICY_TYPES)[number];
  platform: (typeof PLATFORMS)[number];
  settings: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export function enforceModule(app: FastifyInstance, state: EmulatorState): void {
  const policies: Policy[] = POLICY_TYPES.flatMap((type, i) =>
    PLATFORMS.slice(0, type.includes('windows') || type.includes('mac') ? 1 : 3).map((platform, j) => ({
      id: i * 3 + j + 1,
      name: `${platform} ${type} baseline`,
      description: 'Seeded policy',
      type,
      platform: type === 'mac-configuration' ? 'Mac' : platform,
      settings: {},
      createdBy: 'tanium-admin',
      createdAt: iso(SEED_EPOCH_MS - (50 - i) * DAY),
      updatedAt: iso(SEED_EPOCH_MS - (50 - i) * DAY),
    })),
  );
  const enforcements = policies.slice(0, 6).map((p, i) => ({
    id: i + 1,
    policyId: p.id,
    name: `${p.name} on All Computers`,
    type: p.type,
    targetGroupIds: [1],
    status: 'enforced',
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }));
  let nextPolicyId = Math.max(...policies.map((p) => p.id)) + 1;

  moduleScope(app, moduleInfo('enforce'), (scope) => {
    scope.get('/private/info', async () => ({
      data: {
        name: 'Enforce',
        version: '3.12.0',
        policyCount: policies.length,
        enforcementCount: enforcements.length,
      },
    }));

    scope.get('/v1/policies', async (request) => {
      const query = queryOf(request);
      const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
      const limit = integerParam(query, 'limit', { min: 1, max: 500 });
      return { data: page(policies, offset, limit), total: policies.length };
    });

    scope.get<{ Params: { id: string } }>('/v1/policies/:id', async (request) => {
      const id = pathId(request.params.id, 'PolicyNotFound', 'policy');
      const policy = policies.find((p) => p.id === id);
      if (!policy) throw notFound('PolicyNotFound', 'policy', id);
      return { data: policy };
    });

    scope.post('/v1/policies', async (request, reply) => {
      const body = objectBody(request.body, false);
      onlyFields(body, ['name', 'description', 'type', 'platform', 'settings']);
      const name = requiredString(body, 'name');
      if (policies.some((p) => p.name === name)) throw badBody(`a policy named "${name}" already exists`);
      const type = requiredEnum(body, 'type', POLICY_TYPES);
      const platform = requiredEnum(body, 'platform', PLATFORMS);
      const now = iso(state.now());
      const policy: Policy = {
        id: nextPolicyId++,
        name,
        description: optionalString(body, 'description') ?? '',
        type,
        platform,
        settings: optionalObject(body, 'settings') ?? {},
        createdBy: request.principal!.user.name,
        createdAt: now,
        updatedAt: now,
      };
      policies.push(policy);
      return reply.code(201).send({ data: policy });
    });

    scope.get('/v1/enforcements', async () => ({ data: enforcements }));

    scope.get<{ Params: { id: string } }>('/v1/enforcements/:id/details', async (request) => {
      const id = pathId(request.params.id, 'EnforcementNotFound', 'enforcement');
      const enforcement = enforcements.find((e) => e.id === id);
      if (!enforcement) throw notFound('EnforcementNotFound', 'enforcement', id);
      return {
        data: { ...enforcement, policy: policies.find((p) => p.id === enforcement.policyId) ?? null },
      };
    });
  });
}
