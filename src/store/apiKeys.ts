/** Who may call the HTTP API: `viewer` reads; only `admin` changes anything or sends module requests. */
export type Role = 'admin' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'viewer'];

/** An API key as stored: never the key itself, only a hash of its secret part. */
export interface ApiKeyRecord {
  /** The public part of the key, also its primary key. */
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the secret part, hex. */
  secretHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyRepository {
  /** Adds the key; false when a key of that name exists (revoked or not). */
  create(record: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>): Promise<boolean>;
  byId(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the named key revoked; false when there is no such active key. */
  revoke(name: string, now: string): Promise<boolean>;
  /** Records a use (at most one write per key and minute is enough for "last used"). */
  touch(id: string, now: string): Promise<void>;
}
