import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/tanium-bridge.js', import.meta.url));

/** Starts the built CLI as a real process (in `env`, default this one's), and resolves with its first stdout line. */
export async function startCliUntilFirstLine(
  args: string[],
  timeoutMs = 10_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; firstLine: string; elapsedMs: number; stderr: () => string }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${stderr}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a line; stderr: ${stderr}`));
    });
  });
  return { child, firstLine, elapsedMs: Date.now() - started, stderr: () => stderr };
}

export async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}
