import type { Database } from 'better-sqlite3';
import type { ApiKeyRecord, ApiKeyRepository, Role } from '../apiKeys.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface Row {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toRecord = (row: Row): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export class SqliteApiKeys implements ApiKeyRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  create(record: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>): Promise<boolean> {
    return this.run(
      () =>
        prepared(
          this.db,
          `INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
        ).run(record.id, record.name, record.role, record.secretHash, record.createdAt).changes > 0,
    );
  }

  byId(id: string): Promise<ApiKeyRecord | undefined> {
    return this.run(() => {
      const row = prepared(this.db, 'SELECT * FROM api_keys WHERE id = ?').get(id) as Row | undefined;
      return row && toRecord(row);
    });
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.run(() =>
      (prepared(this.db, 'SELECT * FROM api_keys ORDER BY created_at, name').all() as Row[]).map(toRecord),
    );
  }

  revoke(name: string, now: string): Promise<boolean> {
    return this.run(
      () =>
        prepared(this.db, 'UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(
          now,
          name,
        ).changes > 0,
    );
  }

  touch(id: string, now: string): Promise<void> {
    return this.run(() => {
      prepared(
        this.db,
        `UPDATE api_keys SET last_used_at = ?
           WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
      ).run(now, id, new Date(Date.parse(now) - 60_000).toISOString());
    });
  }
}
