import type { FastifyInstance } from 'fastify';
import { type DocumentNode, type ExecutionResult, type GraphQLError, parse, validate } from 'graphql';
import type { EmulatorState } from '../emulatorState.js';
import { cursorExpiryInjected } from '../faults/index.js';
import { CompiledQueries } from './compiledQueries.js';
import { CollectionStore } from './endpoints/collections.js';
import { buildGatewaySchema } from './gatewaySchema.js';

export const GATEWAY_PATH = '/plugin/products/gateway/graphql';
/** Checked documents kept at once, by query text. */
const MAX_DOCUMENTS = 256;

/**
 * The Gateway endpoint. Parse and validation failures (such as `Cannot query field "x" on type
 * "Endpoint".`) answer HTTP 400, as observed on real tenants; execution errors answer 200 with
 * `errors[]` and whatever data resolved, as GraphQL specifies.
 */
export function graphqlRoute(app: FastifyInstance, state: EmulatorState): void {
  const gateway = buildGatewaySchema();
  const collections = new CollectionStore();
  const compiled = new CompiledQueries(gateway.schema);
  const documents = new Map<string, DocumentNode>();

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
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    // Parse and validate once per distinct document text; later requests reuse the checked document.
    let document = documents.get(text);
    if (!document) {
      try {
        document = parse(text);
      } catch (error) {
        return reply.code(400).send({ errors: [toJson(error as GraphQLError)], data: null });
      }
      const invalid = validate(gateway.schema, document);
      if (invalid.length > 0) return reply.code(400).send({ errors: invalid.map(toJson), data: null });
      if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
      documents.set(text, document);
    }
    const prepared = compiled.prepare(
      text,
      operationName,
      document,
      (body.variables ?? {}) as Record<string, unknown>,
    );
    const context = {
      state,
      principal: request.principal!,
      gateway: { fleet: state.fleet, collections },
      expireCursor: cursorExpiryInjected(request),
    };
    if (!('compiled' in prepared)) {
      return reply.code(200).send({ errors: (prepared.errors ?? []).map(toJson), data: null });
    }
    const result: ExecutionResult = await prepared.compiled.query(undefined, context, prepared.variables);
    return reply
      .code(200)
      .send({ ...(result.errors ? { errors: result.errors.map(toJson) } : {}), data: result.data ?? null });
  });
}

function toJson(error: GraphQLError) {
  return error.toJSON();
}
