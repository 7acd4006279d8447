import type { CachedGatewaySchema } from '../store/gatewaySchemas.js';
import type { Store } from '../store/store.js';

/** Types whose fields the product's documents select; the introspection asks for these only. */
export const SCHEMA_TYPES = [
  'Query',
  'Endpoint',
  'EndpointOS',
  'EndpointUser',
  'Memory',
  'Processor',
  'EndpointCompliance',
  'EndpointComplianceCveFinding',
  'EndpointComplianceComplianceFinding',
  'EndpointRisk',
  'EndpointSensorReadings',
  'EndpointSensorReadingColumn',
  'EndpointSensorReadingRef',
] as const;

/** A cached schema older than this is read again (a tenant's schema changes as Tanium upgrades it). */
export const SCHEMA_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const alias = (type: string) => `t_${type}`;

/**
 * The introspection document: one `__type` per type the product reads, by alias, with its field names.
 * Small and stable (Tanium's whole schema has some 730 types); `__type` answers null for a type the
 * tenant lacks.
 */
export const SCHEMA_QUERY = `query GatewaySchema {\n${SCHEMA_TYPES.map(
  (t) => `  ${alias(t)}: __type(name: "${t}") { fields(includeDeprecated: true) { name } }`,
).join('\n')}\n}`;

export interface GraphqlCaller {
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** The tenant's schema as far as the product reads it: which fields each type has. */
export class SchemaFacts {
  constructor(readonly cached: CachedGatewaySchema) {}

  has(type: string, field: string): boolean {
    return this.cached.types[type]?.includes(field) === true;
  }

  get fetchedAt(): string {
    return this.cached.fetchedAt;
  }
}

export interface SchemaDeps {
  store: Store;
  client: GraphqlCaller;
  now?: () => Date;
}

/**
 * The Gateway schema of connection `name`: from the cache when it is younger than a day, else read
 * by introspection and cached. `refresh` reads it again whatever its age (after a validation error:
 * the tenant's schema changed since it was cached).
 */
export async function gatewaySchema(
  deps: SchemaDeps,
  name: string,
  options: { refresh?: boolean } = {},
): Promise<SchemaFacts> {
  const now = deps.now?.() ?? new Date();
  if (!options.refresh) {
    const cached = await deps.store.gatewaySchemas.get(name);
    if (cached && now.getTime() - Date.parse(cached.fetchedAt) < SCHEMA_MAX_AGE_MS)
      return new SchemaFacts(cached);
  }
  const fresh = await introspect(deps.client, now);
  await deps.store.gatewaySchemas.put(name, fresh);
  return new SchemaFacts(fresh);
}

async function introspect(client: GraphqlCaller, now: Date): Promise<CachedGatewaySchema> {
  const data =
    await client.graphql<Record<string, { fields: { name: string }[] | null } | null>>(SCHEMA_QUERY);
  const types: Record<string, string[]> = {};
  for (const type of SCHEMA_TYPES) {
    const answer = data[alias(type)];
    if (answer) types[type] = (answer.fields ?? []).map((f) => f.name);
  }
  return { fetchedAt: now.toISOString(), types };
}
