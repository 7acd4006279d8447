import type { Database } from 'better-sqlite3';
import type { CachedGatewaySchema, GatewaySchemaRepository } from '../gatewaySchemas.js';
import type { Runner } from './serial.js';

export class SqliteGatewaySchemas implements GatewaySchemaRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  get(connection: string): Promise<CachedGatewaySchema | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare('SELECT fetched_at AS fetchedAt, types FROM gateway_schemas WHERE connection = ?')
        .get(connection) as { fetchedAt: string; types: string } | undefined;
      return row
        ? { fetchedAt: row.fetchedAt, types: JSON.parse(row.types) as CachedGatewaySchema['types'] }
        : undefined;
    });
  }

  put(connection: string, schema: CachedGatewaySchema): Promise<void> {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO gateway_schemas (connection, fetched_at, types) VALUES (?, ?, ?)
           ON CONFLICT (connection) DO UPDATE SET fetched_at = excluded.fetched_at, types = excluded.types`,
        )
        .run(connection, schema.fetchedAt, JSON.stringify(schema.types));
    });
  }
}
