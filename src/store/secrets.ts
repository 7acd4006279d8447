/**
 * Slots let rotation keep two tokens per connection: `active` is the one in use; `pending` holds a
 * freshly rotated token, committed the moment it arrives and before it is verified and promoted
 * (docs/rotation.md).
 */
export type SecretSlot = 'active' | 'pending';

/**
 * An envelope-encrypted secret as stored: only ciphertext and the id of the master key that wrapped
 * its data key. The vault (src/connections/vault.ts) produces and opens these.
 */
export interface SealedSecret {
  /** Format of the two blobs, so a later format can be read beside this one. */
  scheme: 'aes-256-gcm/v1';
  /** Hash prefix of the master key, to tell a wrong master key from a damaged ciphertext. */
  keyId: string;
  /** The data key, encrypted by the master key: IV (12) | tag (16) | ciphertext. */
  wrappedKey: Uint8Array;
  /** The secret, encrypted by the data key: IV (12) | tag (16) | ciphertext. */
  ciphertext: Uint8Array;
}

export interface SecretRepository {
  get(connectionName: string, slot: SecretSlot): Promise<SealedSecret | undefined>;
  /** Inserts or overwrites the slot. The connection must exist (foreign key). */
  put(connectionName: string, slot: SecretSlot, secret: SealedSecret, now: string): Promise<void>;
  remove(connectionName: string, slot: SecretSlot): Promise<boolean>;
}
