import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathProblem } from './pathProblem.js';

/** The environment variable that says where tanium-bridge keeps its state. */
export const HOME_ENV = 'TANIUM_BRIDGE_HOME';

/**
 * Where state lives: an explicit `--home`, else `TANIUM_BRIDGE_HOME`, else `~/.tanium-bridge`.
 * The folder is created owner-only (0700) because it holds the vault and the database.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env[HOME_ENV] ?? join(homedir(), '.tanium-bridge');
  return resolve(chosen);
}

/** Creates the home folder (and missing parents) or throws a `home_unusable` problem saying why not. */
export function ensureHome(home: string): string {
  try {
    makeFolder(home);
  } catch (error) {
    throw pathProblem(error, { code: 'home_unusable', what: 'the home folder', path: home });
  }
  return home;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops forever under /proc (where mkdir answers
 * ENOENT for a parent that exists), so each level is created, and checked, by itself.
 */
function makeFolder(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (statSync(path).isDirectory()) return;
      throw error;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
  }
  makeFolder(dirname(path));
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    // The parent exists now, so ENOENT means this file system makes no folders (/proc, /sys).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      (error as NodeJS.ErrnoException).code = 'ENOCREATE';
    throw error;
  }
}
