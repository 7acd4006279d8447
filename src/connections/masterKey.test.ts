import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyIdOf, loadMasterKey, MASTER_KEY_ENV, parseMasterKey } from './masterKey.js';

const home = () => mkdtempSync(join(tmpdir(), 'tb-key-'));

describe('master key', () => {
  it('reads 32 bytes from hex or base64 in the environment', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      const loaded = loadMasterKey(home(), { create: false, env: { [MASTER_KEY_ENV]: text } });
      expect(loaded.key.equals(key)).toBe(true);
      expect(loaded.source).toBe('env');
      expect(loaded.id).toBe(keyIdOf(key));
    }
  });

  it.each([
    ['too short hex', randomBytes(16).toString('hex')],
    ['too long base64', randomBytes(48).toString('base64')],
    ['not an encoding', 'correct horse battery staple'],
  ])('refuses a key of the wrong form (%s), naming the expected form', (_label, text) => {
    expect(() => parseMasterKey(text, MASTER_KEY_ENV)).toThrow(
      /^TANIUM_BRIDGE_MASTER_KEY must be a 32-byte key written as 64 hex characters or 44 base64 characters/,
    );
  });

  it('creates the key file owner-only, then reuses it', () => {
    const dir = home();
    const first = loadMasterKey(dir, { create: true, env: {} });
    expect(first.source).toBe('file');
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(dir, { create: false, env: {} }).key.equals(first.key)).toBe(true);
    expect(readdirSync(dir)).toEqual(['master.key']);
  });

  it('does not create a key when asked only to read', () => {
    expect(() => loadMasterKey(home(), { create: false, env: {} })).toThrow(/^No master key:/);
  });

  it('refuses a key file readable by group or others', () => {
    const dir = home();
    loadMasterKey(dir, { create: true, env: {} });
    chmodSync(join(dir, 'master.key'), 0o644);
    expect(() => loadMasterKey(dir, { create: false, env: {} })).toThrow(
      /readable by others \(mode 644\): run `chmod 600 /,
    );
  });

  it('prefers the environment over the key file', () => {
    const dir = home();
    loadMasterKey(dir, { create: true, env: {} });
    const key = randomBytes(32);
    expect(
      loadMasterKey(dir, { create: true, env: { [MASTER_KEY_ENV]: key.toString('hex') } }).key.equals(key),
    ).toBe(true);
  });
});
