import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, type MasterKey } from './masterKey.js';
import { Vault } from './vault.js';

function masterKey(): MasterKey {
  const key = randomBytes(32);
  return { key, id: keyIdOf(key), source: 'env' };
}

const TOKEN = `token-${randomBytes(20).toString('hex')}`;

describe('Vault', () => {
  it('round-trips a token and stores only ciphertext', () => {
    const vault = new Vault(masterKey());
    const sealed = vault.seal('default', TOKEN);
    expect(vault.open('default', sealed)).toBe(TOKEN);
    const stored = Buffer.concat([sealed.wrappedKey, sealed.ciphertext]).toString('latin1');
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(TOKEN.slice(6));
  });

  it('uses a fresh data key and IV each time', () => {
    const vault = new Vault(masterKey());
    const a = vault.seal('default', TOKEN);
    const b = vault.seal('default', TOKEN);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(Buffer.from(a.wrappedKey).equals(Buffer.from(b.wrappedKey))).toBe(false);
  });

  it('binds the connection name: a ciphertext moved to another connection fails', () => {
    const vault = new Vault(masterKey());
    const sealed = vault.seal('prod', TOKEN);
    expect(() => vault.open('staging', sealed)).toThrow(
      /cannot be decrypted: it was altered or belongs to another/,
    );
  });

  it('binds each layer: swapping only the data key between connections fails', () => {
    const vault = new Vault(masterKey());
    const prod = vault.seal('prod', TOKEN);
    const staging = vault.seal('staging', 'token-other000000000');
    expect(() => vault.open('prod', { ...prod, wrappedKey: staging.wrappedKey })).toThrow(
      /cannot be decrypted/,
    );
  });

  it('detects tampering', () => {
    const vault = new Vault(masterKey());
    const sealed = vault.seal('default', TOKEN);
    const bent = Buffer.from(sealed.ciphertext);
    bent[bent.length - 1] = (bent[bent.length - 1] ?? 0) ^ 1;
    expect(() => vault.open('default', { ...sealed, ciphertext: bent })).toThrow(/cannot be decrypted/);
  });

  it('names a wrong master key instead of failing inside GCM', () => {
    const sealed = new Vault(masterKey()).seal('default', TOKEN);
    expect(() => new Vault(masterKey()).open('default', sealed)).toThrow(
      /^The stored token of "default" was encrypted with another master key/,
    );
  });
});
