import type { FastifyInstance } from 'fastify';
import { type ExecutionResult, GraphQLError } from 'graphql';
import type { SurfaceOptions } from '../app.js';
import type { EmulatorState } from '../emulatorState.js';
import { cursorExpiryInjected, faultActsOnAnswer } from '../faults/index.js';
import { CheckedDocuments } from './checkedDocuments.js';
import { CompiledQueries } from './compiledQueries.js';
import { CollectionStore } from './endpoints/collections.js';
import { buildGatewaySchema } from './gatewaySchema.js';
import { checkPages, checkVariables } from './requestGuard.js';
import { slicedAnswer } from './slicedAnswer.js';
import { executeInSlices } from './slicedExecution.js';
import { slicedPlan } from './slicedPlan.js';

export const GATEWAY_PATH = '/plugin/products/gateway/graphql';

/**
 * The Gateway endpoint. Parse and validation failures (such as `Cannot query field "x" on type
 * "Endpoint".`) answer HTTP 400, as observed on real tenants; execution errors answer 200 with
 * `errors[]` and whatever data resolved, as GraphQL specifies. A document over one of the request
 * limits (size, depth, aliases, fields) is refused like a validation failure, before it is validated:
 * graphql-js validation is itself quadratic in some documents.
 */
export function graphqlRoute(app: FastifyInstance, state: EmulatorState, options: SurfaceOptions): void {
  const limits = options.gatewayLimits;
  const gateway = buildGatewaySchema(undefined, { without: options.without });
  const collections = new CollectionStore();
  const compiled = new CompiledQueries(gateway.schema);
  const documents = new CheckedDocuments(gateway.schema, limits);

  app.post(GATEWAY_PATH, async (request, reply) => {
    const body = request.body as
      | { query?: unknown; variables?: unknown; operationName?: unknown }
      | undefined;
    if (!body || typeof body !== 'object' || typeof body.query !== 'string' || body.query.trim() === '') {
      return reply
        .code(400)
        .send({ errors: [{ message: 'the body must be JSON with a "query" string' }], data: null });
    }
    if (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return reply.code(400).send({ errors: [{ message: '"variables" must be a JSON object' }], data: null });
    }
    const text = body.query;
    const deepVariables = checkVariables(body.variables, limits);
    if (deepVariables) return reply.code(400).send({ errors: [toJson(deepVariables)], data: null });
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const checked = documents.check(text);
    if ('errors' in checked) return reply.code(400).send({ errors: checked.errors.map(toJson), data: null });
    const tooManyItems = checkPages(checked.pages, variables, limits);
    if (tooManyItems) return reply.code(400).send({ errors: [toJson(tooManyItems)], data: null });
    const prepared = compiled.prepare(text, operationName, checked.document, variables);
    const context = {
      state,
      principal: request.principal!,
      gateway: {
        fleet: state.fleet,
        collections,
        refusesUpdatedAfter: options.without.includes('updated-after'),
      },
      expireCursor: cursorExpiryInjected(request),
    };
    if (!('compiled' in prepared)) {
      return reply.code(200).send({ errors: (prepared.errors ?? []).map(toJson), data: null });
    }
    const plan =
      options.gatewaySlices.edges > 0 && !faultActsOnAnswer(request)
        ? slicedPlan(checked.document, operationName)
        : undefined;
    const answer = plan
      ? await executeInSlices(
          prepared.compiled,
          context,
          prepared.variables,
          plan,
          options.gatewaySlices.edges,
          toJson,
        )
      : { whole: await prepared.compiled.query(undefined, context, prepared.variables) };
    if ('sliced' in answer) return reply.code(200).type(JSON_TYPE).send(slicedAnswer(answer.sliced));
    const result: ExecutionResult = answer.whole;
    return reply
      .code(200)
      .send({ ...(result.errors ? { errors: result.errors.map(toJson) } : {}), data: result.data ?? null });
  });
}

/** What Fastify answers for an object; a streamed answer must say it itself. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** Any error as a GraphQL error object: a non-GraphQL error (a bug) must not break the answer itself. */
function toJson(error: unknown) {
  if (error instanceof GraphQLError) return error.toJSON();
  return { message: `Internal error: ${error instanceof Error ? error.message : String(error)}` };
}
