import type { Problem } from '../common/problem.js';
import type { GlobalOptions } from './output.js';

/**
 * How the CLI says "do this next" for a service's problem code: a command to paste, spelled with the
 * same `--home` as the command that failed, so the hint acts on the same state.
 */
export function commandLine(global: Pick<GlobalOptions, 'home'>, args: string): string {
  const home = global.home === undefined ? '' : ` --home ${shellWord(global.home)}`;
  return `tanium-bridge ${args}${home}`;
}

/** `--name x` to repeat in hints, or nothing for the default connection. */
export function nameArg(name: unknown): string {
  return typeof name === 'string' && name !== 'default' ? ` --name ${name}` : '';
}

function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

type Hint = (details: Record<string, unknown>, global: Pick<GlobalOptions, 'home'>) => string;

const HINTS: Record<string, Hint> = {
  connection_not_found: (d, g) =>
    `Run \`${commandLine(g, `connect${nameArg(d['name'])} --domain <customer>-api.cloud.tanium.com`)}\` first.`,
  connection_target_required: () => 'Give --domain <customer>-api.cloud.tanium.com or --server URL.',
  token_missing: (d, g) => `Run \`${commandLine(g, `token replace${nameArg(d['name'])}`)}\`.`,
  sync_running: (d, g) =>
    `wait for it with \`${commandLine(g, `sync${nameArg(d['connection'])} --wait`)}\`, or try again later.`,
  sync_failed: (d, g) =>
    `Pages already stored are kept; run \`${commandLine(g, `sync${nameArg(d['name'])}`)}\` again to resume.`,
  token_unreadable: (d, g) =>
    `Use the original master key, or store a new token with \`${commandLine(g, `token replace${nameArg(d['name'])}`)}\`.`,
};

/** The CLI's hint for a problem, or its interface-neutral fix when the CLI has nothing better. */
export function hintFor(problem: Problem, global: Pick<GlobalOptions, 'home'>): string {
  const hint = HINTS[problem.code];
  return hint ? hint(problem.details, global) : problem.fix;
}
