import type { ApiKeyRecord, ApiKeyRepository } from '../apiKeys.js';
import type { PgSession } from './session.js';

const COLUMNS = `id, name, role, secret_hash AS "secretHash", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** The HTTP API's keys: a hash of each key's secret part, never the key. */
export class PgApiKeys implements ApiKeyRepository {
  constructor(private readonly db: PgSession) {}

  async create(record: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
      [record.id, record.name, record.role, record.secretHash, record.createdAt],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async byId(id: string): Promise<ApiKeyRecord | undefined> {
    // Every API request reads its key: a named statement, prepared once per pooled client.
    const result = await this.db.query<ApiKeyRecord>({
      name: 'apiKeys.byId',
      text: `SELECT ${COLUMNS} FROM api_keys WHERE id = $1`,
      values: [id],
    });
    return result.rows[0];
  }

  async list(): Promise<ApiKeyRecord[]> {
    const result = await this.db.query<ApiKeyRecord>(
      `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, name`,
    );
    return result.rows;
  }

  async revoke(name: string, now: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE api_keys SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL',
      [now, name],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db.query({
      name: 'apiKeys.touch',
      text: `UPDATE api_keys SET last_used_at = $1
               WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
      values: [now, id, new Date(Date.parse(now) - 60_000).toISOString()],
    });
  }
}
