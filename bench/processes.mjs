// Child processes for the benchmarks: a server that announces itself on its first stdout line, a CLI
// command run to completion, and a process's memory from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const cli = fileURLToPath(new URL('../bin/tanium-bridge.js', import.meta.url));

/** Starts `node ...args`; `first` resolves with its first stdout line, parsed as JSON. */
export function start(args, env = {}) {
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const first = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)));
  });
  return { child, first };
}

/** Runs one CLI command to completion, feeding `input` on stdin; resolves with its stdout. */
export function run(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}: ${err}`)),
    );
    child.stdin.end(input);
  });
}

/** Peak and current resident memory of a process, from /proc (Linux). */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/** `serve` on a free port for a benchmark: no scheduler, warnings only; `first` resolves with `{url}`. */
export function startServe(home, extra = []) {
  return start([
    cli,
    'serve',
    '--port',
    '0',
    '--json',
    '--home',
    home,
    '--no-scheduler',
    '--log-level',
    'warn',
    ...extra,
  ]);
}
