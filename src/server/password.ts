import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Problem } from '../common/problem.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * The admin password as stored: `scrypt$N$r$p$salt$hash` (base64). N = 2^15, r = 8, p = 1 is the
 * interactive-login cost OWASP's password storage guidance gives for scrypt; the parameters travel with
 * the hash so a later cost can be read beside this one.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const MIN_LENGTH = 12;
const MAX_LENGTH = 1024;

export function validatePassword(password: string): string {
  if (password.length < MIN_LENGTH || password.length > MAX_LENGTH)
    throw new Problem({
      code: 'weak_password',
      kind: 'invalid',
      message: `The password must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long.`,
      fix: `Choose a longer password (at least ${MIN_LENGTH} characters; a passphrase of four or more words is easy to type).`,
    });
  return password;
}

const options = (cost: typeof COST) => ({ ...cost, maxmem: 128 * cost.N * cost.r * 2 });

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_BYTES, options(COST));
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (password.length > MAX_LENGTH) return false;
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, options(cost));
  return timingSafeEqual(actual, expected);
}
