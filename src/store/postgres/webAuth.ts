import type { WebAuthRepository } from '../webAuth.js';
import type { PgSession } from './session.js';

/**
 * The web UI's admin password hash and its sessions (a hash of each cookie). Session expiry is the
 * epoch ms the caller computed and is compared with the caller's `nowMs`, as in SQLite: it is the
 * service's own clock that issued the cookie's lifetime.
 */
export class PgWebAuth implements WebAuthRepository {
  constructor(private readonly db: PgSession) {}

  async passwordHash(): Promise<string | undefined> {
    const result = await this.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM admin_credentials WHERE id = 1',
    );
    return result.rows[0]?.password_hash;
  }

  setPasswordHash(hash: string, now: string): Promise<void> {
    return this.db.atomic(async (client) => {
      await client.query(
        `INSERT INTO admin_credentials (id, password_hash, updated_at) VALUES (1, $1, $2)
           ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
        [hash, now],
      );
      await client.query('DELETE FROM web_sessions');
    });
  }

  async createSession(idHash: string, createdAt: string, expiresAtMs: number): Promise<void> {
    await this.db.query('INSERT INTO web_sessions (id_hash, created_at, expires_at) VALUES ($1, $2, $3)', [
      idHash,
      createdAt,
      expiresAtMs,
    ]);
  }

  async session(idHash: string, nowMs: number): Promise<{ expiresAtMs: number } | undefined> {
    const result = await this.db.query<{ expiresAtMs: number }>({
      name: 'webAuth.session',
      text: 'SELECT expires_at AS "expiresAtMs" FROM web_sessions WHERE id_hash = $1 AND expires_at > $2',
      values: [idHash, nowMs],
    });
    return result.rows[0];
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM web_sessions WHERE id_hash = $1', [idHash]);
  }

  async pruneSessions(nowMs: number): Promise<number> {
    const result = await this.db.query('DELETE FROM web_sessions WHERE expires_at <= $1', [nowMs]);
    return result.rowCount ?? 0;
  }
}
