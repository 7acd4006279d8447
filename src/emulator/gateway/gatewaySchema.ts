import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { actionsModule } from './actions/actionsModule.js';
import { assetModule } from './assetModule.js';
import { coreModule } from './coreModule.js';
import { endpointsModule } from './endpoints/endpointsModule.js';
import { riskTypeDefs } from './endpoints/endpointTypes.js';
import type { GatewayModule, RootResolver } from './gatewayModule.js';
import { groupsModule } from './groupsModule.js';
import { patchModule } from './patchModule.js';
import { playbooksModule } from './playbooksModule.js';
import { reportsModule } from './reportsModule.js';
import { sensorsModule } from './sensorsModule.js';
import { tokensModule } from './tokensModule.js';

/**
 * Parts of Tanium's schema a tenant may lack, which the emulator can leave out to model such a
 * tenant (`tanium-bridge emulator --without risk`, `startEmulator({ without: ['risk'] })`).
 * `updated-after`: the operator stays in the schema, but filters using `UPDATED_AFTER` on anything but
 * eidLastSeen are refused (Tanium: "only valid for fields from certain data sources").
 */
export const GATEWAY_FEATURES = ['risk', 'updated-after'] as const;
export type GatewayFeature = (typeof GATEWAY_FEATURES)[number];

export function isGatewayFeature(name: string): name is GatewayFeature {
  return (GATEWAY_FEATURES as readonly string[]).includes(name);
}

/** `Endpoint.risk` and `EndpointRisk`, in Tanium's current reference but not in every schema version. */
const riskModule: GatewayModule = { typeDefs: riskTypeDefs };

/** Every Gateway slice, in order; new surfaces add their module here. */
export const GATEWAY_MODULES: readonly GatewayModule[] = [
  coreModule,
  tokensModule,
  endpointsModule,
  groupsModule,
  sensorsModule,
  assetModule,
  actionsModule,
  patchModule,
  reportsModule,
  playbooksModule,
];

const OPTIONAL: Readonly<Record<GatewayFeature, GatewayModule>> = {
  risk: riskModule,
  // Behaviour, not schema: the endpoints resolver refuses the filters (endpointsModule.ts).
  'updated-after': { typeDefs: '' },
};

export interface GatewaySchema {
  schema: GraphQLSchema;
}

export interface GatewaySchemaOptions {
  /** Optional parts to leave out (none by default: the schema has all of them). */
  without?: readonly GatewayFeature[];
}

/** Builds the schema from every slice's SDL and attaches the root and field resolvers to it. */
export function buildGatewaySchema(
  modules: readonly GatewayModule[] = GATEWAY_MODULES,
  options: GatewaySchemaOptions = {},
): GatewaySchema {
  const without = new Set(options.without ?? []);
  const all = [...modules, ...GATEWAY_FEATURES.filter((f) => !without.has(f)).map((f) => OPTIONAL[f])];
  const schema = buildSchema(all.map((m) => m.typeDefs).join('\n'));
  for (const module of all) {
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
