import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './runCli.js';

export interface DemoRun {
  child: ChildProcess;
  /** Resolves with the exit code and everything printed once the demo has exited. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  /** Resolves with stdout so far once a line matching `pattern` has been printed. */
  printed(pattern: RegExp): Promise<string>;
}

/**
 * The one way tests start `demo` (a real process, in `cwd`, with `env`): the demo's options that every
 * test needs (for example one that makes it exit after its sync) belong here, in one place.
 */
export function startDemo(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): DemoRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env['TANIUM_BRIDGE_HOME'];
  delete env['TANIUM_BRIDGE_MASTER_KEY'];
  // `--once`: the demo syncs and exits, instead of serving the web UI until Ctrl+C.
  const child = spawn(process.execPath, [BIN, 'demo', '--once', ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(stdout);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return {
    child,
    done,
    printed: (pattern) =>
      pattern.test(stdout)
        ? Promise.resolve(stdout)
        : new Promise((resolve, reject) => {
            waiters.push({ pattern, resolve });
            void done.then(() => reject(new Error(`demo exited before printing ${pattern}: ${stderr}`)));
          }),
  };
}

/** Runs the demo to completion. */
export function runDemo(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return startDemo(args, options).done;
}
