import type { Command } from 'commander';

/** One top-level command: its name and summary for `--help`, and how to load its module when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every command, in the order `--help` lists them. A command's module (and everything it imports, such
 * as the emulator's server stack) is loaded only when that command runs, so that `--help` and `status`
 * start fast (docs/cli.md). The summary repeats the command's own description; a test keeps them equal.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'emulator',
    summary: 'serve the local Tanium Cloud emulator (prints its URL and an administrator token)',
    load: async () => (await import('./emulator.js')).registerEmulator,
  },
  {
    name: 'connect',
    summary: 'save a connection; the token is read from standard input or a hidden prompt',
    load: async () => (await import('./connect.js')).registerConnect,
  },
  {
    name: 'status',
    summary: 'show connections, with their tokens masked',
    load: async () => (await import('./status.js')).registerStatus,
  },
  {
    name: 'token',
    summary: 'manage the stored API token',
    load: async () => (await import('./token.js')).registerToken,
  },
  {
    name: 'remove',
    summary: 'delete a connection, its stored token and its synced data',
    load: async () => (await import('./remove.js')).registerRemove,
  },
  {
    name: 'check',
    summary: 'test the stored token: look up the current session, and say why it failed',
    load: async () => (await import('./check.js')).registerCheck,
  },
  {
    name: 'request',
    summary:
      "call a module's API and print the JSON answer; module: platform, asset, comply, connect, deploy, enforce, integrity-monitor, patch, reputation, threat-response",
    load: async () => (await import('./request.js')).registerRequest,
  },
  {
    name: 'rotate',
    summary: "rotate the connection's API token (recovering an interrupted rotation first)",
    load: async () => (await import('./rotate.js')).registerRotate,
  },
  {
    name: 'rotations',
    summary: 'show the rotation audit trail: time, method, old and new token ids, outcome, error',
    load: async () => (await import('./rotations.js')).registerRotations,
  },
  {
    name: 'sync',
    summary: 'sync assets, vulnerabilities, compliance findings and chosen sensors into the store',
    load: async () => (await import('./sync.js')).registerSync,
  },
  {
    name: 'export',
    summary: "write a synced stream's rows as NDJSON or CSV (assets, vulnerabilities, compliance, sensors)",
    load: async () => (await import('./export.js')).registerExport,
  },
  {
    name: 'posture',
    summary: 'decide a device posture from the synced store (exit 0 allow, 3 deny, 4 ambiguous)',
    load: async () => (await import('./posture.js')).registerPosture,
  },
  {
    name: 'demo',
    summary: 'start the emulator, connect to it, sync every stream and show what to try next',
    load: async () => (await import('./demo.js')).registerDemo,
  },
  {
    name: 'serve',
    summary: 'run the HTTP API and the scheduler (rotation, incremental and full syncs)',
    load: async () => (await import('./serve.js')).registerServe,
  },
  {
    name: 'worker',
    summary: 'run the scheduled jobs from PostgreSQL, sharing them with other workers (pg-boss)',
    load: async () => (await import('./worker.js')).registerWorker,
  },
  {
    name: 'apikey',
    summary: 'manage API keys for the HTTP API of serve',
    load: async () => (await import('./apikey.js')).registerApiKey,
  },
  {
    name: 'admin',
    summary: "manage the web UI's administrator",
    load: async () => (await import('./admin.js')).registerAdmin,
  },
];

/**
 * The command a command line runs: the first word that is not an option (or the value of `--home` or `--db`),
 * or the word after `help`. Undefined for `--help`, `--version` or no command at all.
 */
export function invokedCommand(args: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--home' || arg === '--db') i++;
    else if (!arg.startsWith('-')) words.push(arg);
    if (words.length === 2) break;
  }
  return words[0] === 'help' ? words[1] : words[0];
}
