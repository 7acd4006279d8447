import type { RotationAuditEntry, RotationMethod, RotationRecord, RotationRepository } from '../rotation.js';
import type { PgSession } from './session.js';

interface AuditRow {
  attempt_id: string;
  connection_name: string;
  started_at: string;
  finished_at: string | null;
  method: RotationMethod;
  old_token_id: string | null;
  new_token_id: string | null;
  outcome: string;
  error: string | null;
}

/** Record fields and their columns, in one list so the statements and the mapping cannot drift. */
const STATE: readonly (readonly [keyof RotationRecord, string])[] = [
  ['phase', 'phase'],
  ['attemptId', 'attempt_id'],
  ['method', 'method'],
  ['attemptStartedAt', 'attempt_started_at'],
  ['oldTokenId', 'old_token_id'],
  ['newTokenId', 'new_token_id'],
  ['oldTokenExpiration', 'old_token_expiration'],
  ['pendingCreated', 'pending_created'],
  ['pendingExpiration', 'pending_expiration'],
  ['tokenId', 'token_id'],
  ['tokenCreated', 'token_created'],
  ['tokenExpiration', 'token_expiration'],
  ['clockOffsetMs', 'clock_offset_ms'],
  ['lastAttemptAt', 'last_attempt_at'],
  ['lastSuccessAt', 'last_success_at'],
  ['lastOutcome', 'last_outcome'],
  ['lastError', 'last_error'],
  ['grantCapability', 'grant_capability'],
  ['grantCheckedAt', 'grant_checked_at'],
  ['updatedAt', 'updated_at'],
];

const SELECT_STATE = `SELECT ${STATE.map(([field, column]) => `${column} AS "${field}"`).join(', ')}
  FROM rotation_state WHERE connection_name = $1`;

const PUT_STATE = `INSERT INTO rotation_state (connection_name, ${STATE.map(([, c]) => c).join(', ')})
  VALUES ($1, ${STATE.map((_, index) => `$${index + 2}`).join(', ')})
  ON CONFLICT (connection_name) DO UPDATE SET ${STATE.map(([, c]) => `${c} = excluded.${c}`).join(', ')}`;

const AUDIT_COLUMNS =
  'attempt_id, connection_name, started_at, finished_at, method, old_token_id, new_token_id, outcome, error';

function toEntry(row: AuditRow): RotationAuditEntry {
  return {
    attemptId: row.attempt_id,
    connectionName: row.connection_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    method: row.method,
    oldTokenId: row.old_token_id,
    newTokenId: row.new_token_id,
    outcome: row.outcome,
    error: row.error,
  };
}

/** The rotation state machine's row per connection and the audit trail of every attempt (grant or exchange). */
export class PgRotation implements RotationRepository {
  constructor(private readonly db: PgSession) {}

  async get(connectionName: string): Promise<RotationRecord | undefined> {
    const result = await this.db.query<RotationRecord>({
      name: 'rotation.get',
      text: SELECT_STATE,
      values: [connectionName],
    });
    return result.rows[0];
  }

  async put(connectionName: string, record: RotationRecord): Promise<void> {
    const values = STATE.map(([field]) =>
      field === 'clockOffsetMs' && record.clockOffsetMs !== null
        ? Math.round(record.clockOffsetMs)
        : record[field],
    );
    await this.db.query({ name: 'rotation.put', text: PUT_STATE, values: [connectionName, ...values] });
  }

  async audit(entry: RotationAuditEntry): Promise<void> {
    await this.db.query({
      name: 'rotation.audit',
      text: `INSERT INTO rotation_audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (attempt_id) DO UPDATE SET finished_at = excluded.finished_at,
                 old_token_id = excluded.old_token_id, new_token_id = excluded.new_token_id,
                 outcome = excluded.outcome, error = excluded.error`,
      values: [
        entry.attemptId,
        entry.connectionName,
        entry.startedAt,
        entry.finishedAt,
        entry.method,
        entry.oldTokenId,
        entry.newTokenId,
        entry.outcome,
        entry.error,
      ],
    });
  }

  async history(connectionName: string | undefined, limit: number): Promise<RotationAuditEntry[]> {
    const result = await this.db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM rotation_audit WHERE ($1::text IS NULL OR connection_name = $1)
         ORDER BY started_at DESC, seq DESC LIMIT $2`,
      [connectionName ?? null, limit],
    );
    return result.rows.map(toEntry);
  }
}
