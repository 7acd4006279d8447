import type { Database } from 'better-sqlite3';
import type {
  GrantCapability,
  RotationAuditEntry,
  RotationMethod,
  RotationPhase,
  RotationRecord,
  RotationRepository,
} from '../rotation.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface StateRow {
  phase: RotationPhase;
  attempt_id: string | null;
  method: RotationMethod | null;
  attempt_started_at: string | null;
  old_token_id: string | null;
  new_token_id: string | null;
  old_token_expiration: string | null;
  pending_created: string | null;
  pending_expiration: string | null;
  token_id: string | null;
  token_created: string | null;
  token_expiration: string | null;
  clock_offset_ms: number | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_outcome: string | null;
  last_error: string | null;
  grant_capability: GrantCapability | null;
  grant_checked_at: string | null;
  updated_at: string;
}

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

const STATE_COLUMNS = [
  'phase',
  'attempt_id',
  'method',
  'attempt_started_at',
  'old_token_id',
  'new_token_id',
  'old_token_expiration',
  'pending_created',
  'pending_expiration',
  'token_id',
  'token_created',
  'token_expiration',
  'clock_offset_ms',
  'last_attempt_at',
  'last_success_at',
  'last_outcome',
  'last_error',
  'grant_capability',
  'grant_checked_at',
  'updated_at',
] as const;

function toRecord(row: StateRow): RotationRecord {
  return {
    phase: row.phase,
    attemptId: row.attempt_id,
    method: row.method,
    attemptStartedAt: row.attempt_started_at,
    oldTokenId: row.old_token_id,
    newTokenId: row.new_token_id,
    oldTokenExpiration: row.old_token_expiration,
    pendingCreated: row.pending_created,
    pendingExpiration: row.pending_expiration,
    tokenId: row.token_id,
    tokenCreated: row.token_created,
    tokenExpiration: row.token_expiration,
    clockOffsetMs: row.clock_offset_ms,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastOutcome: row.last_outcome,
    lastError: row.last_error,
    grantCapability: row.grant_capability,
    grantCheckedAt: row.grant_checked_at,
    updatedAt: row.updated_at,
  };
}

function toRow(record: RotationRecord): StateRow {
  return {
    phase: record.phase,
    attempt_id: record.attemptId,
    method: record.method,
    attempt_started_at: record.attemptStartedAt,
    old_token_id: record.oldTokenId,
    new_token_id: record.newTokenId,
    old_token_expiration: record.oldTokenExpiration,
    pending_created: record.pendingCreated,
    pending_expiration: record.pendingExpiration,
    token_id: record.tokenId,
    token_created: record.tokenCreated,
    token_expiration: record.tokenExpiration,
    clock_offset_ms: record.clockOffsetMs === null ? null : Math.round(record.clockOffsetMs),
    last_attempt_at: record.lastAttemptAt,
    last_success_at: record.lastSuccessAt,
    last_outcome: record.lastOutcome,
    last_error: record.lastError,
    grant_capability: record.grantCapability,
    grant_checked_at: record.grantCheckedAt,
    updated_at: record.updatedAt,
  };
}

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

export class SqliteRotation implements RotationRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  get(connectionName: string): Promise<RotationRecord | undefined> {
    return this.run(() => {
      const row = prepared(
        this.db,
        `SELECT ${STATE_COLUMNS.join(', ')} FROM rotation_state WHERE connection_name = ?`,
      ).get(connectionName) as StateRow | undefined;
      return row && toRecord(row);
    });
  }

  put(connectionName: string, record: RotationRecord): Promise<void> {
    return this.run(() => {
      const updates = STATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ');
      prepared(
        this.db,
        `INSERT INTO rotation_state (connection_name, ${STATE_COLUMNS.join(', ')})
           VALUES (@connection_name, ${STATE_COLUMNS.map((c) => `@${c}`).join(', ')})
           ON CONFLICT (connection_name) DO UPDATE SET ${updates}`,
      ).run({ connection_name: connectionName, ...toRow(record) });
    });
  }

  audit(entry: RotationAuditEntry): Promise<void> {
    return this.run(() => {
      prepared(
        this.db,
        `INSERT INTO rotation_audit (attempt_id, connection_name, started_at, finished_at, method,
             old_token_id, new_token_id, outcome, error)
           VALUES (@attempt_id, @connection_name, @started_at, @finished_at, @method, @old_token_id,
             @new_token_id, @outcome, @error)
           ON CONFLICT (attempt_id) DO UPDATE SET finished_at = excluded.finished_at,
             old_token_id = excluded.old_token_id, new_token_id = excluded.new_token_id,
             outcome = excluded.outcome, error = excluded.error`,
      ).run({
        attempt_id: entry.attemptId,
        connection_name: entry.connectionName,
        started_at: entry.startedAt,
        finished_at: entry.finishedAt,
        method: entry.method,
        old_token_id: entry.oldTokenId,
        new_token_id: entry.newTokenId,
        outcome: entry.outcome,
        error: entry.error,
      });
    });
  }

  history(connectionName: string | undefined, limit: number): Promise<RotationAuditEntry[]> {
    return this.run(() => {
      const where = connectionName === undefined ? '' : 'WHERE connection_name = @name';
      const rows = prepared(
        this.db,
        `SELECT attempt_id, connection_name, started_at, finished_at, method, old_token_id, new_token_id,
             outcome, error FROM rotation_audit ${where} ORDER BY started_at DESC, rowid DESC LIMIT @limit`,
      ).all({ ...(connectionName === undefined ? {} : { name: connectionName }), limit }) as AuditRow[];
      return rows.map(toEntry);
    });
  }
}
