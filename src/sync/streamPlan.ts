import { type GraphqlCaller, gatewaySchema } from '../connections/gatewaySchema.js';
import type { Store } from '../store/store.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { missingMessage, planForSchema, type SchemaPlan } from './schemaNeeds.js';

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
 * what the streams select. An introspection the tenant refuses fails like any Gateway error.
 */
export async function readStreamPlan(
  deps: PlanDeps,
  connection: string,
  streams: readonly StreamName[],
  base: StreamOptions,
  refresh = false,
): Promise<SchemaPlan> {
  const facts = await gatewaySchema(deps, connection, { refresh });
  return planForSchema(facts, streams, base);
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
