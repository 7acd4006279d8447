import type { RequestAuditEntry, RequestAuditFilter, RequestAuditRepository } from '../requestAudit.js';
import type { PgSession } from './session.js';

const COLUMNS = `id, at, actor, connection, module, method, path, status, duration_ms AS "durationMs",
  request_bytes AS "requestBytes", request_sha256 AS "requestSha256", response_bytes AS "responseBytes",
  outcome, error`;

/** Every module request sent: who, where, status and sizes; no bodies, no tokens. */
export class PgRequestAudit implements RequestAuditRepository {
  constructor(private readonly db: PgSession) {}

  async append(entry: Omit<RequestAuditEntry, 'id'>): Promise<number> {
    const result = await this.db.query<{ id: number }>({
      name: 'requestAudit.append',
      text: `INSERT INTO request_audit (at, actor, connection, module, method, path, status, duration_ms,
                 request_bytes, request_sha256, response_bytes, outcome, error)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      values: [
        entry.at,
        entry.actor,
        entry.connection,
        entry.module,
        entry.method,
        entry.path,
        entry.status,
        Math.round(entry.durationMs),
        entry.requestBytes,
        entry.requestSha256,
        entry.responseBytes,
        entry.outcome,
        entry.error,
      ],
    });
    return (result.rows[0] as { id: number }).id;
  }

  async list(filter: RequestAuditFilter): Promise<RequestAuditEntry[]> {
    const result = await this.db.query<RequestAuditEntry>(
      `SELECT ${COLUMNS} FROM request_audit
         WHERE ($1::text IS NULL OR connection = $1) AND ($2::bigint IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3`,
      [filter.connection ?? null, filter.beforeId ?? null, filter.limit],
    );
    return result.rows;
  }
}
