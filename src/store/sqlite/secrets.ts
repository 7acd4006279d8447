import type { Database } from 'better-sqlite3';
import type { SealedSecret, SecretRepository, SecretSlot } from '../secrets.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface Row {
  scheme: SealedSecret['scheme'];
  key_id: string;
  wrapped_key: Buffer;
  ciphertext: Buffer;
}

export class SqliteSecrets implements SecretRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  get(connectionName: string, slot: SecretSlot): Promise<SealedSecret | undefined> {
    return this.run(() => {
      const row = prepared(
        this.db,
        'SELECT scheme, key_id, wrapped_key, ciphertext FROM secrets WHERE connection_name = ? AND slot = ?',
      ).get(connectionName, slot) as Row | undefined;
      if (!row) return undefined;
      return {
        scheme: row.scheme,
        keyId: row.key_id,
        wrappedKey: row.wrapped_key,
        ciphertext: row.ciphertext,
      };
    });
  }

  put(connectionName: string, slot: SecretSlot, secret: SealedSecret, now: string): Promise<void> {
    return this.run(() => {
      prepared(
        this.db,
        `INSERT INTO secrets (connection_name, slot, scheme, key_id, wrapped_key, ciphertext, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (connection_name, slot) DO UPDATE SET scheme = excluded.scheme,
             key_id = excluded.key_id, wrapped_key = excluded.wrapped_key,
             ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
      ).run(
        connectionName,
        slot,
        secret.scheme,
        secret.keyId,
        Buffer.from(secret.wrappedKey),
        Buffer.from(secret.ciphertext),
        now,
      );
    });
  }

  remove(connectionName: string, slot: SecretSlot): Promise<boolean> {
    return this.run(
      () =>
        prepared(this.db, 'DELETE FROM secrets WHERE connection_name = ? AND slot = ?').run(
          connectionName,
          slot,
        ).changes > 0,
    );
  }
}
