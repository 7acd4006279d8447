import { buildSchema, type GraphQLSchema } from 'graphql';
import { coreModule } from './coreModule.js';
import { endpointsModule } from './endpoints/endpointsModule.js';
import type { GatewayModule, RootResolver } from './gatewayModule.js';
import { tokensModule } from './tokensModule.js';

/** Every Gateway slice, in order; new surfaces add their module here. */
export const GATEWAY_MODULES: readonly GatewayModule[] = [coreModule, tokensModule, endpointsModule];

export interface GatewaySchema {
  schema: GraphQLSchema;
  query: Record<string, RootResolver>;
  mutation: Record<string, RootResolver>;
}

export function buildGatewaySchema(modules: readonly GatewayModule[] = GATEWAY_MODULES): GatewaySchema {
  const schema = buildSchema(modules.map((m) => m.typeDefs).join('\n'));
  const query: Record<string, RootResolver> = {};
  const mutation: Record<string, RootResolver> = {};
  for (const module of modules) {
    Object.assign(query, module.query);
    Object.assign(mutation, module.mutation);
  }
  return { schema, query, mutation };
}
