import type { Database } from 'better-sqlite3';
import type { WebAuthRepository } from '../webAuth.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

export class SqliteWebAuth implements WebAuthRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  passwordHash(): Promise<string | undefined> {
    return this.run(
      () =>
        (
          prepared(this.db, 'SELECT password_hash FROM admin_credentials WHERE id = 1').get() as
            | { password_hash: string }
            | undefined
        )?.password_hash,
    );
  }

  setPasswordHash(hash: string, now: string): Promise<void> {
    return this.run(() => {
      this.db.transaction(() => {
        prepared(
          this.db,
          `INSERT INTO admin_credentials (id, password_hash, updated_at) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
        ).run(hash, now);
        prepared(this.db, 'DELETE FROM web_sessions').run();
      })();
    });
  }

  createSession(idHash: string, createdAt: string, expiresAtMs: number): Promise<void> {
    return this.run(() => {
      prepared(this.db, 'INSERT INTO web_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)').run(
        idHash,
        createdAt,
        expiresAtMs,
      );
    });
  }

  session(idHash: string, nowMs: number): Promise<{ expiresAtMs: number } | undefined> {
    return this.run(() => {
      const row = prepared(
        this.db,
        'SELECT expires_at FROM web_sessions WHERE id_hash = ? AND expires_at > ?',
      ).get(idHash, nowMs) as { expires_at: number } | undefined;
      return row && { expiresAtMs: row.expires_at };
    });
  }

  deleteSession(idHash: string): Promise<void> {
    return this.run(() => {
      prepared(this.db, 'DELETE FROM web_sessions WHERE id_hash = ?').run(idHash);
    });
  }

  pruneSessions(nowMs: number): Promise<number> {
    return this.run(
      () => prepared(this.db, 'DELETE FROM web_sessions WHERE expires_at <= ?').run(nowMs).changes,
    );
  }
}
