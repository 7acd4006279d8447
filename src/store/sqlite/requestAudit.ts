import type { Database } from 'better-sqlite3';
import type { RequestAuditEntry, RequestAuditFilter, RequestAuditRepository } from '../requestAudit.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface Row {
  id: number;
  at: string;
  actor: string;
  connection: string;
  module: string;
  method: string;
  path: string;
  status: number | null;
  duration_ms: number;
  request_bytes: number;
  request_sha256: string | null;
  response_bytes: number | null;
  outcome: 'ok' | 'error';
  error: string | null;
}

const toEntry = (row: Row): RequestAuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  connection: row.connection,
  module: row.module,
  method: row.method,
  path: row.path,
  status: row.status,
  durationMs: row.duration_ms,
  requestBytes: row.request_bytes,
  requestSha256: row.request_sha256,
  responseBytes: row.response_bytes,
  outcome: row.outcome,
  error: row.error,
});

export class SqliteRequestAudit implements RequestAuditRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  append(entry: Omit<RequestAuditEntry, 'id'>): Promise<number> {
    return this.run(() =>
      Number(
        prepared(
          this.db,
          `INSERT INTO request_audit (at, actor, connection, module, method, path, status, duration_ms,
               request_bytes, request_sha256, response_bytes, outcome, error)
             VALUES (@at, @actor, @connection, @module, @method, @path, @status, @durationMs,
               @requestBytes, @requestSha256, @responseBytes, @outcome, @error)`,
        ).run(entry).lastInsertRowid,
      ),
    );
  }

  list(filter: RequestAuditFilter): Promise<RequestAuditEntry[]> {
    return this.run(() =>
      (
        prepared(
          this.db,
          `SELECT * FROM request_audit
             WHERE (@connection IS NULL OR connection = @connection) AND (@beforeId IS NULL OR id < @beforeId)
             ORDER BY id DESC LIMIT @limit`,
        ).all({
          connection: filter.connection ?? null,
          beforeId: filter.beforeId ?? null,
          limit: filter.limit,
        }) as Row[]
      ).map(toEntry),
    );
  }
}
