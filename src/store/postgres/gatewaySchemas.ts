import type { CachedGatewaySchema, GatewaySchemaRepository } from '../gatewaySchemas.js';
import { jsonbText } from './jsonbText.js';
import type { PgSession } from './session.js';

/**
 * The tenant's Gateway schema as last introspected, per connection (jsonb; removed with it). A name
 * jsonb cannot hold is kept with U+FFFD in its place (jsonbText.ts).
 */
export class PgGatewaySchemas implements GatewaySchemaRepository {
  constructor(private readonly db: PgSession) {}

  async get(connection: string): Promise<CachedGatewaySchema | undefined> {
    const result = await this.db.query<CachedGatewaySchema>(
      'SELECT fetched_at AS "fetchedAt", types FROM gateway_schemas WHERE connection = $1',
      [connection],
    );
    return result.rows[0];
  }

  async put(connection: string, schema: CachedGatewaySchema): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway_schemas (connection, fetched_at, types) VALUES ($1, $2, $3)
         ON CONFLICT (connection) DO UPDATE SET fetched_at = excluded.fetched_at, types = excluded.types`,
      [connection, schema.fetchedAt, jsonbText(schema.types)],
    );
  }
}
