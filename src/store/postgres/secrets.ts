import type { SealedSecret, SecretRepository, SecretSlot } from '../secrets.js';
import type { PgSession } from './session.js';

interface Row {
  scheme: SealedSecret['scheme'];
  key_id: string;
  wrapped_key: Buffer;
  ciphertext: Buffer;
}

/** Sealed secrets: ciphertext and the wrapping key's id only, as in SQLite (src/connections/vault.ts). */
export class PgSecrets implements SecretRepository {
  constructor(private readonly db: PgSession) {}

  async get(connectionName: string, slot: SecretSlot): Promise<SealedSecret | undefined> {
    const result = await this.db.query<Row>({
      name: 'secrets.get',
      text: 'SELECT scheme, key_id, wrapped_key, ciphertext FROM secrets WHERE connection_name = $1 AND slot = $2',
      values: [connectionName, slot],
    });
    const row = result.rows[0];
    if (!row) return undefined;
    return { scheme: row.scheme, keyId: row.key_id, wrappedKey: row.wrapped_key, ciphertext: row.ciphertext };
  }

  async put(connectionName: string, slot: SecretSlot, secret: SealedSecret, now: string): Promise<void> {
    await this.db.query(
      `INSERT INTO secrets (connection_name, slot, scheme, key_id, wrapped_key, ciphertext, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (connection_name, slot) DO UPDATE SET scheme = excluded.scheme,
           key_id = excluded.key_id, wrapped_key = excluded.wrapped_key,
           ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
      [
        connectionName,
        slot,
        secret.scheme,
        secret.keyId,
        Buffer.from(secret.wrappedKey),
        Buffer.from(secret.ciphertext),
        now,
      ],
    );
  }

  async remove(connectionName: string, slot: SecretSlot): Promise<boolean> {
    const result = await this.db.query('DELETE FROM secrets WHERE connection_name = $1 AND slot = $2', [
      connectionName,
      slot,
    ]);
    return (result.rowCount ?? 0) > 0;
  }
}
