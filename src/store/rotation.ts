/**
 * Persisted token rotation (docs/rotation.md): the state machine's current phase per
 * connection, what is known about the token in use (id and expiry, never its string), and an audit
 * row per attempt. Token strings live only in the secrets table (`active` and `pending` slots).
 */
export type RotationPhase =
  | 'idle'
  | 'intent_recorded'
  | 'sent'
  | 'received'
  | 'verifying'
  | 'unknown'
  | 'revoking'
  | 'lost'
  | 'refused';

/**
 * How a token is rotated: the exchange over REST (`rest`, PATCH /api/v2/api_tokens) or the Gateway
 * (`graphql`, apiTokenRotate), or grant-then-revoke over REST (`grant`, POST and DELETE
 * /api/v2/api_tokens) or the Gateway (`grant-graphql`, apiTokenGrant and apiTokenRevoke).
 */
export type RotationMethod = 'rest' | 'graphql' | 'grant' | 'grant-graphql';

export const ROTATION_METHODS: readonly RotationMethod[] = ['grant', 'grant-graphql', 'rest', 'graphql'];

export const isGrant = (method: RotationMethod | null): boolean =>
  method === 'grant' || method === 'grant-graphql';

/** Whether the persona may create tokens, as the last grant attempt found out (null: not known). */
export type GrantCapability = 'allowed' | 'refused';

export interface RotationRecord {
  phase: RotationPhase;
  /** The attempt in progress (or the last one), its method and start. */
  attemptId: string | null;
  method: RotationMethod | null;
  attemptStartedAt: string | null;
  /** Token ids (Tanium's, as strings) of the attempt: the token exchanged (or to revoke) and the one received. */
  oldTokenId: string | null;
  newTokenId: string | null;
  /** Grant-then-revoke: when the old token expires (server clock), for "it stays valid until". */
  oldTokenExpiration: string | null;
  /** Server times of the pending token, promoted with it. */
  pendingCreated: string | null;
  pendingExpiration: string | null;
  /** The active token: id, when it was created or last rotated, when it expires (server clock). */
  tokenId: string | null;
  tokenCreated: string | null;
  tokenExpiration: string | null;
  /** Server clock minus local clock, in ms, measured at the last contact. */
  clockOffsetMs: number | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: string | null;
  /** Redacted: never a token string. */
  lastError: string | null;
  /** What the last grant attempt learned about the persona, and when (local clock, ISO). */
  grantCapability: GrantCapability | null;
  grantCheckedAt: string | null;
  updatedAt: string;
}

export interface RotationAuditEntry {
  attemptId: string;
  connectionName: string;
  startedAt: string;
  finishedAt: string | null;
  method: RotationMethod;
  oldTokenId: string | null;
  newTokenId: string | null;
  /** `in_progress` until the attempt ends; then `rotated`, `failed`, `not_exchanged`, `not_granted`, `grant_refused`, `lost`, `refused`… */
  outcome: string;
  error: string | null;
}

export interface RotationRepository {
  get(connectionName: string): Promise<RotationRecord | undefined>;
  /** Inserts or overwrites the row. The connection must exist (foreign key). */
  put(connectionName: string, record: RotationRecord): Promise<void>;
  /** Inserts the attempt's row or updates it (keyed by attempt id). */
  audit(entry: RotationAuditEntry): Promise<void>;
  /** Newest first; all connections when `connectionName` is undefined. */
  history(connectionName: string | undefined, limit: number): Promise<RotationAuditEntry[]>;
}

/** A fresh record: nothing known yet. */
export function initialRotationRecord(now: string): RotationRecord {
  return {
    phase: 'idle',
    attemptId: null,
    method: null,
    attemptStartedAt: null,
    oldTokenId: null,
    newTokenId: null,
    oldTokenExpiration: null,
    pendingCreated: null,
    pendingExpiration: null,
    tokenId: null,
    tokenCreated: null,
    tokenExpiration: null,
    clockOffsetMs: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastOutcome: null,
    lastError: null,
    grantCapability: null,
    grantCheckedAt: null,
    updatedAt: now,
  };
}
