import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './spawnCli.js';

/** The built CLI entry point. */
export const BIN = CLI;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  home: string;
  /** Written to stdin, then stdin is closed (so stdin is never a TTY here). */
  input?: string;
  env?: Record<string, string>;
}

/**
 * Suites that start dozens of Node processes: generous, because the machine running the suite may be
 * shared (CI, parallel workers) and each process start then takes seconds instead of 150 ms.
 */
export const CLI_SUITE_TIMEOUT_MS = 180_000;

/** Everything any CLI run printed, for the secret search. */
export const transcript: string[] = [];

/** The environment each home's CLI runs get (its dialect's store: test/helpers/dialectHomes.ts). */
const homeEnv = new Map<string, Record<string, string>>();

/** Every later CLI run with `home` gets `env` too (the call's own `env` wins). */
export function bindHome(home: string, env: Record<string, string>): void {
  homeEnv.set(home, env);
}

/** The environment bound to `home` (none for a home bindHome never saw). */
export function boundEnv(home: string): Record<string, string> {
  return homeEnv.get(home) ?? {};
}

/** Runs the built CLI to completion as a real child process with `--home`, feeding `input` on stdin. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/**
 * Starts the built CLI as a real child process and answers at once: `child` (to kill it) and `done`
 * (its result once it has exited; a killed process resolves with code -1). Output joins `transcript`.
 */
export function startCli(
  args: readonly string[],
  options: CliOptions,
): { child: ChildProcess; done: Promise<CliResult> } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...homeEnv.get(options.home), ...options.env };
  if (!options.env?.['TANIUM_BRIDGE_MASTER_KEY']) delete env['TANIUM_BRIDGE_MASTER_KEY'];
  delete env['TANIUM_BRIDGE_HOME'];
  const child = spawn(process.execPath, [BIN, ...args, '--home', options.home], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      transcript.push(stdout, stderr);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
  return { child, done };
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'tanium-bridge-test-'));
}

/** Runs tasks with at most `limit` at once (each spawns a Node process). */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
