import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Problem } from '../common/problem.js';
import type { ApiKeyRecord, Role } from '../store/apiKeys.js';
import { ROLES } from '../store/apiKeys.js';
import type { Store } from '../store/store.js';

/**
 * API keys for the HTTP API: `tbk_<id>_<secret>`, sent as `Authorization: Bearer <key>`. The id finds
 * the row; only SHA-256 of the 256-bit random secret is stored (a slow hash adds nothing to a secret
 * that cannot be guessed), compared in constant time. The prefix is not token-shaped, so logs never
 * confuse a key with a Tanium token, and secret scanners can recognise it.
 */
const KEY = /^tbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;

export interface CreatedApiKey {
  name: string;
  role: Role;
  /** Shown once; only a hash is kept. */
  key: string;
}

export interface ApiKeyView {
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function validateRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new Problem({
      code: 'invalid_role',
      kind: 'invalid',
      message: `Unknown role "${role.slice(0, 40)}".`,
      fix: `Use one of ${ROLES.join(', ')}.`,
    });
  return role as Role;
}

export async function createApiKey(
  store: Store,
  input: { name: string; role: Role },
  now: Date,
): Promise<CreatedApiKey> {
  if (!NAME.test(input.name))
    throw new Problem({
      code: 'invalid_key_name',
      kind: 'invalid',
      message: `Invalid API key name "${input.name.slice(0, 64)}".`,
      fix: 'Use 1 to 64 letters, digits, spaces or . _ @ -, starting with a letter or digit.',
    });
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const created = await store.apiKeys.create({
    id,
    name: input.name,
    role: input.role,
    secretHash: hashOf(secret),
    createdAt: now.toISOString(),
  });
  if (!created)
    throw new Problem({
      code: 'key_name_taken',
      kind: 'conflict',
      message: `An API key named "${input.name}" exists already.`,
      fix: 'Choose another name (names stay taken after a key is revoked, so the audit log stays unambiguous).',
      details: { name: input.name },
    });
  return { name: input.name, role: input.role, key: `tbk_${id}_${secret}` };
}

export async function listApiKeys(store: Store): Promise<ApiKeyView[]> {
  return (await store.apiKeys.list()).map((k) => ({
    name: k.name,
    role: k.role,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  }));
}

export async function revokeApiKey(store: Store, name: string, now: Date): Promise<void> {
  if (!(await store.apiKeys.revoke(name, now.toISOString())))
    throw new Problem({
      code: 'key_not_found',
      kind: 'not_found',
      message: `No active API key named "${name.slice(0, 64)}".`,
      fix: 'List the keys to see their names; a revoked key stays revoked.',
      details: { name },
    });
}

/** The key's record when `presented` is a valid, unrevoked key; undefined otherwise. */
export async function verifyApiKey(store: Store, presented: string): Promise<ApiKeyRecord | undefined> {
  const match = KEY.exec(presented);
  if (!match) return undefined;
  const record = await store.apiKeys.byId(match[1]!);
  if (!record || record.revokedAt !== null) return undefined;
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashOf(match[2]!), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : undefined;
}
