import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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

export function ensureHome(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}
