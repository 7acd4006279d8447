import { createHash, randomBytes } from 'node:crypto';
import { Problem } from '../common/problem.js';
import type { Store } from '../store/store.js';
import { hashPassword, validatePassword, verifyPassword } from './password.js';

/** The web UI's session cookie: HttpOnly, SameSite=Strict, its value a random 256-bit id. */
export const SESSION_COOKIE = 'tb_session';

const idHash = (id: string) => createHash('sha256').update(id).digest('hex');

export async function setAdminPassword(store: Store, password: string, now: Date): Promise<void> {
  const hash = await hashPassword(validatePassword(password));
  await store.webAuth.setPasswordHash(hash, now.toISOString());
}

/** Signs in with the admin password; the new session's cookie value and expiry. */
export async function signIn(
  store: Store,
  password: string,
  ttlMs: number,
  now: Date,
): Promise<{ id: string; expiresAtMs: number }> {
  const stored = await store.webAuth.passwordHash();
  if (stored === undefined)
    throw new Problem({
      code: 'no_admin_password',
      kind: 'unauthorized',
      message: 'No admin password is set, so nobody can sign in.',
      fix: 'Set the admin password on the machine that runs the service (admin set-password).',
    });
  if (!(await verifyPassword(password, stored)))
    throw new Problem({
      code: 'wrong_password',
      kind: 'unauthorized',
      message: 'Wrong password.',
      fix: 'Check the admin password; after five wrong attempts in a minute, wait a minute.',
    });
  const id = randomBytes(32).toString('base64url');
  const expiresAtMs = now.getTime() + ttlMs;
  await store.webAuth.pruneSessions(now.getTime());
  await store.webAuth.createSession(idHash(id), now.toISOString(), expiresAtMs);
  return { id, expiresAtMs };
}

export async function sessionOf(store: Store, id: string, nowMs: number) {
  return store.webAuth.session(idHash(id), nowMs);
}

export async function signOut(store: Store, id: string): Promise<void> {
  await store.webAuth.deleteSession(idHash(id));
}
