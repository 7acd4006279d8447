import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { coreModule } from './coreModule.js';
import { endpointsModule } from './endpoints/endpointsModule.js';
import type { GatewayModule, RootResolver } from './gatewayModule.js';
import { tokensModule } from './tokensModule.js';

/** Every Gateway slice, in order; new surfaces add their module here. */
export const GATEWAY_MODULES: readonly GatewayModule[] = [coreModule, tokensModule, endpointsModule];

export interface GatewaySchema {
  schema: GraphQLSchema;
}

/** Builds the schema from every slice's SDL and attaches the root and field resolvers to it. */
export function buildGatewaySchema(modules: readonly GatewayModule[] = GATEWAY_MODULES): GatewaySchema {
  const schema = buildSchema(modules.map((m) => m.typeDefs).join('\n'));
  for (const module of modules) {
    attachRoot(schema.getQueryType(), module.query);
    attachRoot(schema.getMutationType(), module.mutation);
    module.fieldResolvers?.(schema);
  }
  return { schema };
}

function attachRoot(
  type: GraphQLObjectType | null | undefined,
  resolvers: Record<string, RootResolver> | undefined,
): void {
  for (const [name, resolve] of Object.entries(resolvers ?? {})) {
    const field = type?.getFields()[name];
    if (!field) throw new Error(`the Gateway schema has no root field ${name}`);
    field.resolve = (_root, args, context, info) => resolve(args, context, info);
  }
}
