import type { FastifyInstance } from 'fastify';
import { type JsonObject, objectBody, onlyFields, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { complyContentRoutes } from './complyContent.js';
import { cvePage, seedCves } from './complyCves.js';
import {
  optionalBoolean,
  optionalDate,
  optionalIntegerList,
  optionalObject,
  optionalStringList,
  requiredEnum,
} from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { notFound, pathId } from './query.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

const TYPES = ['compliance', 'vulnerability'] as const;
const REASONS = ['compensatingControl', 'acceptableUse', 'acceptableRisk', 'falsePositive', 'other'] as const;
const TARGETING = ['none', 'question', 'filter', 'manual'] as const;
const REQUEST_FIELDS = [
  'type',
  'title',
  'checksDefinition',
  'computerGroupIds',
  'advancedTargeting',
  'reason',
  'description',
  'expiration',
  'active',
];

interface ExceptionRecord {
  id: number;
  type: (typeof TYPES)[number];
  title: string;
  checksDefinition: string;
  computerGroupIds: number[];
  advancedTargeting: JsonObject;
  reason: (typeof REASONS)[number];
  description: string;
  expiration?: string;
  active: boolean;
  createdBy: number;
  updatedBy: number;
  createdByPersona: number;
  updatedByPersona: number;
  createdAt: string;
  updatedAt: string;
  numEndpoints: number;
  numValues: number;
}

interface Job {
  id: string;
  exceptionId: number;
}

/**
 * Comply (`/plugin/products/comply`): exceptions (v1 synchronous, v2 as async jobs), the
 * vulnerability library and benchmarks. Bare JSON answers, as Comply's description gives them.
 */
export function complyModule(app: FastifyInstance, state: EmulatorState): void {
  const cves = seedCves();
  const exceptions: ExceptionRecord[] = [];
  const jobs: Job[] = [];
  let nextId = 1;
  const benchmarks = BENCHMARKS.map(([name, version, platform], i) => ({
    id: i + 1,
    name,
    version,
    category: 'Compliance',
    platform,
    description: `${name} benchmark`,
    labels: ['CIS'],
    createdAt: iso(SEED_EPOCH_MS - (100 - i) * DAY),
    updatedAt: iso(SEED_EPOCH_MS - (100 - i) * DAY),
  }));

  const view = (e: ExceptionRecord) => ({
    ...e,
    isExpired: e.expiration !== undefined && Date.parse(e.expiration) <= state.now(),
  });

  const exceptionById = (raw: string): ExceptionRecord => {
    const id = pathId(raw, 'ExceptionNotFound', 'exception');
    const found = exceptions.find((e) => e.id === id);
    if (!found) throw notFound('ExceptionNotFound', 'exception', id);
    return found;
  };

  const create = (
    spec: ReturnType<typeof readException>,
    principal: { user: { id: number }; persona: { id: number } },
  ) => {
    const now = iso(state.now());
    const record: ExceptionRecord = {
      id: nextId++,
      ...spec,
      createdBy: principal.user.id,
      updatedBy: principal.user.id,
      createdByPersona: principal.persona.id,
      updatedByPersona: principal.persona.id,
      createdAt: now,
      updatedAt: now,
      numEndpoints: spec.computerGroupIds.length * 25,
      numValues: 1,
    };
    exceptions.push(record);
    return record;
  };

  moduleScope(app, moduleInfo('comply'), (scope) => {
    complyContentRoutes(scope, state, benchmarks);
    scope.post('/v1/vulnerability/cves', async (request) => cvePage(cves, request.body));

    scope.get('/v1/benchmarks', async () => ({ benchmarks }));
    scope.get<{ Params: { id: string } }>('/v1/benchmarks/:id', async (request) => {
      const id = pathId(request.params.id, 'BenchmarkNotFound', 'benchmark');
      const benchmark = benchmarks.find((b) => b.id === id);
      if (!benchmark) throw notFound('BenchmarkNotFound', 'benchmark', id);
      return { benchmark };
    });

    scope.get('/v1/exceptions', async () => exceptions.map(view));

    // Comply's description answers a single exception as a one-element list.
    scope.get<{ Params: { id: string } }>('/v1/exceptions/:id', async (request) => [
      view(exceptionById(request.params.id)),
    ]);

    scope.post('/v1/exceptions', async (request, reply) => {
      const spec = readException(request.body, 'the body');
      return reply.code(201).send(view(create(spec, request.principal!)));
    });

    scope.post('/v1/exceptions/multiple', async (request, reply) => {
      const body = objectBody(request.body, false);
      onlyFields(body, ['exceptions']);
      const list = body['exceptions'];
      if (!Array.isArray(list) || list.length === 0)
        throw badBody('field "exceptions" must be a non-empty list');
      const specs = list.map((item, i) => readException(item, `exceptions[${i}]`));
      return reply.code(201).send(specs.map((spec) => view(create(spec, request.principal!))));
    });

    scope.patch<{ Params: { id: string } }>('/v1/exceptions/:id', async (request) => {
      const record = exceptionById(request.params.id);
      const spec = readException(request.body, 'the body');
      Object.assign(record, spec, {
        updatedBy: request.principal!.user.id,
        updatedByPersona: request.principal!.persona.id,
        updatedAt: iso(state.now()),
      });
      if (spec.expiration === undefined) delete record.expiration;
      return view(record);
    });

    scope.delete<{ Params: { id: string } }>('/v1/exceptions/:id', async (request, reply) => {
      const record = exceptionById(request.params.id);
      exceptions.splice(exceptions.indexOf(record), 1);
      return reply.code(204).send();
    });

    // v2: the same change as an async job. The emulator applies it at once; the 202 answer says
    // RUNNING and the status route says COMPLETE with the exception.
    scope.post('/v2/exceptions', async (request, reply) => {
      const spec = readException(request.body, 'the body');
      const record = create(spec, request.principal!);
      const job: Job = { id: String(jobs.length + 1), exceptionId: record.id };
      jobs.push(job);
      return reply.code(202).send({ id: job.id, state: 'RUNNING', status: 'creating exception' });
    });

    scope.get<{ Params: { id: string } }>('/v2/exceptions/status/:id', async (request) => {
      const job = jobs.find((j) => j.id === request.params.id);
      if (!job) throw notFound('JobNotFound', 'exception job', request.params.id);
      const record = exceptions.find((e) => e.id === job.exceptionId);
      return {
        id: job.id,
        state: 'COMPLETE',
        status: record ? 'exception created' : 'exception created, since deleted',
        ...(record ? { exception: view(record) } : {}),
      };
    });
  });
}

/** Reads and validates one ExceptionRequest (every required field), before anything changes. */
function readException(raw: unknown, where: string) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badBody(`${where} must be a JSON object`);
  const body = raw as JsonObject;
  onlyFields(body, REQUEST_FIELDS);
  const type = requiredEnum(body, 'type', TYPES);
  const title = requiredString(body, 'title');
  const checksDefinition = requiredString(body, 'checksDefinition');
  const computerGroupIds = optionalIntegerList(body, 'computerGroupIds');
  if (!computerGroupIds) throw badBody('field "computerGroupIds" is required: a list of computer group ids');
  const reason = requiredEnum(body, 'reason', REASONS);
  const targeting = optionalObject(body, 'advancedTargeting') ?? { type: 'none' };
  onlyFields(targeting, ['type', 'endpointNames', 'question', 'questionText']);
  const targetingType = requiredEnum(targeting, 'type', TARGETING);
  const endpointNames = optionalStringList(targeting, 'endpointNames');
  if (targetingType === 'manual' && (!endpointNames || endpointNames.length === 0)) {
    throw badBody('"advancedTargeting.endpointNames" is required for manual targeting');
  }
  if (computerGroupIds.length === 0 && targetingType === 'none') {
    throw badBody('target at least one computer group, or use advancedTargeting');
  }
  const expiration = optionalDate(body, 'expiration');
  return {
    type,
    title,
    checksDefinition,
    computerGroupIds,
    advancedTargeting: targeting,
    reason,
    description: optionalString(body, 'description') ?? '',
    ...(expiration === undefined ? {} : { expiration: iso(expiration) }),
    active: optionalBoolean(body, 'active') ?? true,
  };
}

const BENCHMARKS = [
  ['CIS Microsoft Windows 11 Enterprise', '3.0.0', 'Windows'],
  ['CIS Microsoft Windows Server 2022', '2.0.0', 'Windows'],
  ['CIS Red Hat Enterprise Linux 9', '2.0.0', 'Linux'],
  ['CIS Ubuntu Linux 22.04 LTS', '2.0.0', 'Linux'],
  ['CIS Apple macOS 14.0 Sonoma', '1.1.0', 'Mac'],
  ['DISA STIG Windows 10', 'V2R8', 'Windows'],
] as const;
