/**
 * What the product learned of a tenant's Gateway schema by introspection (the types it reads and their
 * field names), cached per connection so that `check` and each sync need not ask again every time.
 */
export interface CachedGatewaySchema {
  /** When it was read from the tenant (ISO, this machine's clock). */
  fetchedAt: string;
  /** Type name to its field names; a type the tenant lacks is absent. */
  types: Record<string, string[]>;
}

export interface GatewaySchemaRepository {
  get(connection: string): Promise<CachedGatewaySchema | undefined>;
  put(connection: string, schema: CachedGatewaySchema): Promise<void>;
}
