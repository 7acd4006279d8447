import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../common/userError.js';

export const MASTER_KEY_ENV = 'TANIUM_BRIDGE_MASTER_KEY';
export const MASTER_KEY_FILE = 'master.key';

/** The key that wraps every data key. `id` is stored beside each secret to detect a wrong key. */
export interface MasterKey {
  key: Buffer;
  id: string;
  source: 'env' | 'file';
}

const KEY_FORM =
  'a 32-byte key written as 64 hex characters or 44 base64 characters (for example `openssl rand -base64 32`)';

/** A short, one-way fingerprint: enough to tell keys apart, useless for recovering the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('tanium-bridge master key id\0').update(key).digest('hex').slice(0, 16);
}

/** Reads a key given as hex or base64 (standard or URL-safe); anything not exactly 32 bytes is refused. */
export function parseMasterKey(text: string, origin: string): Buffer {
  const value = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) key = Buffer.from(value, 'base64');
  if (key?.length !== 32) throw new UserError(`${origin} must be ${KEY_FORM}.`);
  return key;
}

/**
 * The master key: `TANIUM_BRIDGE_MASTER_KEY` when set, else `HOME/master.key`. With `create`, a
 * missing key file is generated (only `connect` and `token replace` create; reading commands must not
 * silently start a new key beside secrets sealed by a lost one).
 */
export function loadMasterKey(
  home: string,
  options: { create: boolean; env?: NodeJS.ProcessEnv },
): MasterKey {
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = parseMasterKey(fromEnv, MASTER_KEY_ENV);
    return { key, id: keyIdOf(key), source: 'env' };
  }
  const file = join(home, MASTER_KEY_FILE);
  let key = readKeyFile(file);
  if (!key) {
    if (!options.create)
      throw new UserError(
        `No master key: ${file} does not exist and ${MASTER_KEY_ENV} is not set; restore the key file or set the variable.`,
      );
    key = createKeyFile(file);
  }
  return { key, id: keyIdOf(key), source: 'file' };
}

function readKeyFile(file: string): Buffer | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // POSIX permissions only; Windows reports synthetic modes.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new UserError(
      `The master key file ${file} is readable by others (mode ${(mode & 0o777).toString(8)}): run \`chmod 600 ${file}\`.`,
    );
  return parseMasterKey(readFileSync(file, 'utf8'), `The master key file ${file}`);
}

/**
 * Writes a new key to a private temporary file, flushes it, then hard-links it into place: the link
 * fails if another process got there first, in which case its key wins and ours is discarded, so two
 * processes never end up with different keys and nobody ever reads a half-written file.
 */
function createKeyFile(file: string): Buffer {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const key = readKeyFile(file);
  if (!key) throw new Error(`master key file ${file} vanished after it was created`);
  return key;
}
