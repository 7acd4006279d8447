import { type GraphqlCaller, gatewaySchema } from '../connections/gatewaySchema.js';
import { GraphQLError } from '../sdk/index.js';
import type { Store } from '../store/store.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { missingMessage, planForSchema, type SchemaPlan, STREAM_NEEDS } from './schemaNeeds.js';

/** A required field is missing from the tenant's Gateway: the sync did not start (nothing written). */
export class GatewaySchemaError extends Error {
  override readonly name = 'GatewaySchemaError';
  readonly code = 'GATEWAY_SCHEMA_MISSING';
  constructor(
    message: string,
    readonly missing: SchemaPlan['missing'],
  ) {
    super(message);
  }
}

export interface PlanDeps {
  store: Store;
  client: GraphqlCaller;
  now?: () => Date;
}

/**
 * Reads the tenant's Gateway schema (cached per connection, refreshed daily or when asked) and plans
 * what the streams select. A tenant that answers no introspection is read as Tanium's published
 * schema without its optional fields, which are then not asked for (one warning says so).
 */
export async function readStreamPlan(
  deps: PlanDeps,
  connection: string,
  streams: readonly StreamName[],
  base: StreamOptions,
  refresh = false,
): Promise<SchemaPlan> {
  try {
    const facts = await gatewaySchema(deps, connection, { refresh });
    return planForSchema(facts, streams, base);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const optional = new Set(
      streams.flatMap((s) => STREAM_NEEDS[s].filter((n) => !n.required).map((n) => `${n.type}.${n.field}`)),
    );
    const plan = planForSchema({ has: (type, field) => !optional.has(`${type}.${field}`) }, streams, base);
    return {
      ...plan,
      warnings: [
        {
          field: '(schema)',
          message: `The tenant's Gateway answered no introspection (${error.messages[0] ?? error.message}): optional fields are not asked for, so ${plan.warnings.map((w) => w.field).join(', ')} stay null.`,
        },
      ],
    };
  }
}

/** The plan, or GatewaySchemaError naming each missing field, the Tanium solution it needs and the fix. */
export function requireRunnable(
  plan: SchemaPlan,
  connection: string,
  streams: readonly StreamName[],
): SchemaPlan {
  if (plan.missing.length > 0)
    throw new GatewaySchemaError(missingMessage(connection, plan.missing, streams), plan.missing);
  return plan;
}
