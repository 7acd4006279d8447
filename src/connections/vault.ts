import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Problem } from '../common/problem.js';
import type { SealedSecret } from '../store/secrets.js';
import { MASTER_KEY_ENV, type MasterKey } from './masterKey.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const SCHEME = 'aes-256-gcm/v1' as const;

/**
 * Envelope encryption for connection tokens. Each secret gets its own random data key; the data key
 * is wrapped by the master key. Both layers are AES-256-GCM with the connection name bound as
 * associated data, so a ciphertext copied to another connection's row fails to open.
 */
export class Vault {
  constructor(private readonly master: MasterKey) {}

  seal(connectionName: string, plaintext: string): SealedSecret {
    const dataKey = randomBytes(32);
    try {
      return {
        scheme: SCHEME,
        keyId: this.master.id,
        wrappedKey: encrypt(this.master.key, dataKey, aad('data-key', connectionName)),
        ciphertext: encrypt(dataKey, Buffer.from(plaintext, 'utf8'), aad('secret', connectionName)),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  open(connectionName: string, sealed: SealedSecret): string {
    if (sealed.scheme !== SCHEME)
      throw unreadable(
        connectionName,
        `The stored token of "${connectionName}" uses an unknown format (${sealed.scheme}).`,
        'Store the token again (Replace) with this version of tanium-bridge.',
      );
    if (sealed.keyId !== this.master.id)
      throw unreadable(
        connectionName,
        `The stored token of "${connectionName}" was encrypted with another master key (id ${sealed.keyId}, this one is ${this.master.id}).`,
        `Use the original ${MASTER_KEY_ENV} or master.key, or store a new token (Replace).`,
      );
    let dataKey: Buffer | undefined;
    try {
      dataKey = decrypt(this.master.key, sealed.wrappedKey, aad('data-key', connectionName));
      return decrypt(dataKey, sealed.ciphertext, aad('secret', connectionName)).toString('utf8');
    } catch {
      // The key id matched, so this is tampering or a row that belongs to another connection.
      throw unreadable(
        connectionName,
        `The stored token of "${connectionName}" cannot be decrypted: it was altered or belongs to another connection.`,
        'Store a new token (Replace).',
      );
    } finally {
      dataKey?.fill(0);
    }
  }
}

function unreadable(connection: string, message: string, fix: string): Problem {
  return new Problem({
    code: 'token_unreadable',
    kind: 'invalid',
    message,
    fix,
    details: { name: connection },
  });
}

/** Separate labels per layer, so a wrapped key can never be mistaken for a secret or the reverse. */
function aad(layer: 'data-key' | 'secret', connectionName: string): Buffer {
  return Buffer.from(`tanium-bridge/${SCHEME}/${layer}/connection:${connectionName}`, 'utf8');
}

function encrypt(key: Buffer, plaintext: Buffer, associated: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associated);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, packed: Uint8Array, associated: Buffer): Buffer {
  const data = Buffer.from(packed);
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associated);
  decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
