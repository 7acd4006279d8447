import type { FastifyInstance } from 'fastify';
import { type DocumentNode, execute, type GraphQLError, parse, validate } from 'graphql';
import type { EmulatorState } from '../emulatorState.js';
import { cursorExpiryInjected } from '../faults/index.js';
import { CollectionStore } from './endpoints/collections.js';
import { buildGatewaySchema } from './gatewaySchema.js';

export const GATEWAY_PATH = '/plugin/products/gateway/graphql';

/**
 * The Gateway endpoint. Parse and validation failures (such as `Cannot query field "x" on type
 * "Endpoint".`) answer HTTP 400, as observed on real tenants; execution errors answer 200 with
 * `errors[]` and whatever data resolved, as GraphQL specifies.
 */
export function graphqlRoute(app: FastifyInstance, state: EmulatorState): void {
  const gateway = buildGatewaySchema();
  const rootValue = { ...gateway.query, ...gateway.mutation };
  const collections = new CollectionStore();

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
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return reply.code(400).send({ errors: [toJson(error as GraphQLError)], data: null });
    }
    const invalid = validate(gateway.schema, document);
    if (invalid.length > 0) return reply.code(400).send({ errors: invalid.map(toJson), data: null });
    const result = await execute({
      schema: gateway.schema,
      document,
      rootValue,
      contextValue: {
        state,
        principal: request.principal!,
        gateway: { fleet: state.fleet, collections },
        expireCursor: cursorExpiryInjected(request),
      },
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    });
    return reply
      .code(200)
      .send({ ...(result.errors ? { errors: result.errors.map(toJson) } : {}), data: result.data ?? null });
  });
}

function toJson(error: GraphQLError) {
  return error.toJSON();
}
