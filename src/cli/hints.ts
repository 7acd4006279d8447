import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOME_ENV } from '../common/home.js';
import type { NextStep } from '../common/nextStep.js';
import type { Problem } from '../common/problem.js';
import { redactUrl } from '../store/postgres/redactUrl.js';
import type { GlobalOptions } from './output.js';

/** The CLI's entry point in this clone (hints.js is dist/cli/hints.js). */
const BIN = fileURLToPath(new URL('../../bin/tanium-bridge.js', import.meta.url));

/**
 * How a user runs the CLI from `cwd`, pasted as is: `node` and the entry point, relative to `cwd` when
 * the clone is under it, absolute otherwise. Never `npx tanium-bridge`, which outside the clone asks the
 * npm registry for a package of that name (docs/cli.md).
 */
export function invocation(cwd: string = process.cwd()): string {
  const path = relative(cwd, BIN);
  const shown = path === '' || path.startsWith('..') || isAbsolute(path) ? BIN : path;
  return `node ${shellWord(shown)}`;
}

/**
 * How the CLI says "do this next" for a service's problem code: a command to paste, spelled with the
 * invocation that works from here and the same `--home` (and `--db`, its password masked) as the
 * command that failed, so the hint acts on the same state.
 */
export function commandLine(global: Pick<GlobalOptions, 'home' | 'db'>, args: string): string {
  const home = global.home === undefined ? '' : ` --home ${shellWord(global.home)}`;
  const db = global.db === undefined || global.db === '' ? '' : ` --db ${shellWord(redactUrl(global.db))}`;
  return `${invocation()} ${args}${home}${db}`;
}

/** `--name x` to repeat in hints, or nothing for the default connection. */
export function nameArg(name: unknown): string {
  return typeof name === 'string' && name !== 'default' ? ` --name ${name}` : '';
}

export function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

type Hint = (details: Record<string, unknown>, global: Pick<GlobalOptions, 'home' | 'db'>) => string;

const HINTS: Record<string, Hint> = {
  connection_not_found: (d, g) =>
    `Run \`${commandLine(g, `connect${nameArg(d['name'])} --domain <customer>-api.cloud.tanium.com`)}\` first.`,
  connection_target_required: () => 'Give --domain <customer>-api.cloud.tanium.com or --server URL.',
  token_missing: (d, g) => `Run \`${commandLine(g, `token replace${nameArg(d['name'])}`)}\`.`,
  sync_running: (d, g) =>
    `wait for it with \`${commandLine(g, `sync${nameArg(d['connection'])} --wait`)}\`, or try again later.`,
  home_unusable: () => `Choose another with --home DIR (or ${HOME_ENV}).`,
  output_unusable: () => 'Choose another file with --out, or leave --out out to write to standard output.',
  state_unusable: () => 'Choose another file with --state.',
  database_unreadable: (d) =>
    `Move it aside (\`mv ${shellWord(String(d['path']))} ${shellWord(`${String(d['path'])}.damaged`)}\`) and connect again, or restore it from a backup.`,
  sync_failed: (d, g) => syncFailedHint(d, g),
};

/**
 * A failed sync: a sensor Tanium refuses is named by the error, so the hint offers the demo's sensors
 * instead; another permanent error is not fixed by trying again; a transient one resumes.
 */
function syncFailedHint(d: Record<string, unknown>, g: Pick<GlobalOptions, 'home' | 'db'>): string {
  const name = nameArg(d['name']);
  if (typeof d['sensor'] === 'string')
    return `Choose other sensors, e.g. \`${commandLine(g, `sync${name} --sensors 'Installed Applications,Online'`)}\`.`;
  if (d['retryable'] === false)
    return 'Pages already stored are kept; trying again will not help until what Tanium refused is fixed.';
  return `Pages already stored are kept; run \`${commandLine(g, `sync${name}`)}\` again to resume.`;
}

/** Problems whose fix names the Replace step. */
const REPLACE_CODES = new Set(['token_unreadable']);

/** The CLI's hint for a problem, or its interface-neutral fix (steps spelled) when it has nothing better. */
export function hintFor(problem: Problem, global: Pick<GlobalOptions, 'home' | 'db'>): string {
  const hint = HINTS[problem.code];
  if (hint) return hint(problem.details, global);
  const name = typeof problem.details['name'] === 'string' ? problem.details['name'] : undefined;
  if (REPLACE_CODES.has(problem.code) && name !== undefined)
    return spellStep(problem.fix, { step: 'replace_token', connection: name }, global);
  return problem.fix;
}

/** The command line of a step, as the CLI spells it. */
export function stepCommand(next: NextStep, global: Pick<GlobalOptions, 'home' | 'db'>): string {
  const name = nameArg(next.connection);
  switch (next.step) {
    case 'replace_token':
      return commandLine(global, `token replace${name}`);
    case 'rotate':
      return commandLine(global, `rotate${name}${next.via ? ` --via ${next.via}` : ''}`);
    case 'rotate_if_due':
      return commandLine(global, `rotate --if-due${name}`);
    case 'sync':
      return commandLine(global, `sync${name}`);
    case 'edit_connection':
      return commandLine(
        global,
        `connect${name} ${next.kind === 'cloud' ? '--domain <customer>-api.cloud.tanium.com' : '--server https://…'}`,
      );
  }
}

/**
 * A service's words with its step spelled as a command: "(Replace)" becomes "with `tanium-bridge token
 * replace`", "edit the connection" names the connect command, any other step is appended as "Run …".
 */
export function spellStep(
  text: string,
  next: NextStep | null | undefined,
  global: Pick<GlobalOptions, 'home' | 'db'>,
): string {
  if (!next) return text;
  const command = `\`${stepCommand(next, global)}\``;
  if (next.step === 'replace_token' && text.includes('(Replace)'))
    return text.replaceAll('(Replace)', `with ${command}`);
  if (next.step === 'edit_connection' && text.includes('edit the connection'))
    return text.replaceAll('edit the connection', `edit the connection with ${command}`);
  return `${text} Run ${command}.`;
}
