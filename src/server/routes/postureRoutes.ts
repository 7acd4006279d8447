import type { FastifyInstance } from 'fastify';
import { Problem } from '../../common/problem.js';
import { requireConnection } from '../../connections/editConnection.js';
import { DEFAULT_CONNECTION } from '../../connections/name.js';
import { PolicyBook } from '../../posture/policies.js';
import type { Policy } from '../../posture/policy.js';
import { PostureService } from '../../posture/service.js';
import type { LookupKey } from '../../store/posture.js';
import type { ServerDeps } from '../deps.js';
import { anyObject, errors } from '../schemas.js';
import { batchBody, decisionSchema, policyBody, policyParams, postureQuery } from './postureSchemas.js';

interface PostureQuery {
  by?: LookupKey;
  connection?: string;
  name?: string;
  policy?: string;
}

interface BatchBody {
  connection?: string;
  policy?: string;
  devices: { device: string; by?: LookupKey }[];
}

/** A bad device names its place in the batch; the batch is refused whole. */
function atIndex(error: unknown, i: number): unknown {
  if (!(error instanceof Problem) || error.code !== 'invalid_device') return error;
  return new Problem({
    code: error.code,
    kind: error.kind,
    message: `devices[${i}]: ${error.message}`,
    fix: error.fix,
    details: { index: i },
  });
}

/** Device posture: decisions one by one or in batches, and stored policies with their versions. */
export function postureRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const tags = ['posture'];
  const service = new PostureService(deps.ctx.store, () => deps.now().getTime());
  const book = new PolicyBook(deps.ctx.store);
  const connectionOf = async (name: string | undefined) =>
    (await requireConnection(deps.ctx, name ?? DEFAULT_CONNECTION)).name;
  const policyOf = async (name: string | undefined): Promise<Policy | undefined> =>
    name === undefined ? undefined : book.policy(name);

  app.get<{ Params: { device: string }; Querystring: PostureQuery }>(
    '/v1/posture/:device',
    {
      schema: {
        tags,
        summary: "A device's posture decision, with every check's outcome as a sentence",
        params: {
          type: 'object',
          required: ['device'],
          properties: { device: { type: 'string', minLength: 1, maxLength: 255 } },
        },
        querystring: postureQuery,
        response: { 200: decisionSchema, ...errors(400, 404, 422) },
      },
    },
    async (request) => {
      const { by, policy } = request.query;
      const connection = await connectionOf(request.query.connection ?? request.query.name);
      const chosen = await policyOf(policy);
      return service.decide({
        connection,
        device: request.params.device,
        ...(by ? { by } : {}),
        ...(chosen ? { policy: chosen } : {}),
      });
    },
  );

  app.post<{ Body: BatchBody }>(
    '/v1/posture/batch',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Decisions for up to 1,000 devices, in the order given',
        body: batchBody,
        response: {
          200: { type: 'object', properties: { results: { type: 'array', items: decisionSchema } } },
          ...errors(400, 404, 422),
        },
      },
    },
    async (request) => {
      const connection = await connectionOf(request.body.connection);
      const chosen = await policyOf(request.body.policy);
      const results = [];
      for (const [i, { device, by }] of request.body.devices.entries())
        results.push(
          await service
            .decide({ connection, device, ...(by ? { by } : {}), ...(chosen ? { policy: chosen } : {}) })
            .catch((error: unknown) => {
              throw atIndex(error, i);
            }),
        );
      return { results };
    },
  );

  app.put<{ Params: { name: string }; Body: { format?: 'yaml' | 'json'; source: string } }>(
    '/v1/policies/:name',
    {
      schema: {
        tags,
        summary: 'Store a new version of a policy (validated whole; a bad one changes nothing)',
        params: policyParams,
        body: policyBody,
        response: { 200: anyObject, ...errors(400, 422) },
      },
    },
    async (request) =>
      book.save(
        request.params.name,
        request.body.format ?? 'yaml',
        request.body.source,
        request.caller?.actor ?? 'unknown',
        deps.now(),
      ),
  );

  app.get<{ Params: { name: string } }>(
    '/v1/policies/:name',
    {
      schema: {
        tags,
        summary: "A policy's latest version, its text, and every version with who and when",
        params: policyParams,
        response: { 200: anyObject, ...errors(404) },
      },
    },
    async (request) => book.get(request.params.name),
  );

  app.get(
    '/v1/policies',
    { schema: { tags, summary: 'Stored policies, latest version of each', response: { 200: anyObject } } },
    async () => ({ policies: await book.list() }),
  );
}
