/**
 * The web UI's sign-in: one administrator password (a scrypt hash, see src/server/password.ts) and
 * the sessions it opened. A session is stored as a hash of its cookie value, so a copy of the database
 * cannot be replayed as a cookie.
 */
export interface WebAuthRepository {
  passwordHash(): Promise<string | undefined>;
  /** Sets the password and ends every session opened with the old one. */
  setPasswordHash(hash: string, now: string): Promise<void>;
  createSession(idHash: string, createdAt: string, expiresAtMs: number): Promise<void>;
  /** The session when it exists and has not expired at `nowMs`. */
  session(idHash: string, nowMs: number): Promise<{ expiresAtMs: number } | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Removes expired sessions; returns how many. */
  pruneSessions(nowMs: number): Promise<number>;
}
