import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BIN, CLI_SUITE_TIMEOUT_MS, runCli, tempHome } from '../helpers/runCli.js';

/** util-linux `script` gives the CLI a real pseudo-terminal, so stdin is a TTY. */
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI on a pty; types `keys` once the prompt is shown. */
function onTerminal(args: string[], keys: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args]
    .map((part) => `'${part.replaceAll("'", "'\\''")}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (!typed && output.includes('(input hidden')) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasScript)('hidden prompt on a terminal', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('reads the token without echoing it, honouring Backspace', async () => {
    const home = tempHome();
    const token = `token-${randomBytes(20).toString('hex')}`;
    const run = await onTerminal(
      ['connect', '--domain', 'acme-api.cloud.tanium.com', '--home', home],
      `oops\u007f\u007f\u007f\u007f${token}\r`,
    );
    expect(run.code).toBe(0);
    expect(run.output).toContain('API token (input hidden): ');
    expect(run.output).not.toContain(token.slice(6, 20));
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout).connections[0].token.masked).toBe(`••••••••${token.slice(-4)}`);
  });

  it('cancels on Ctrl-C and stores nothing', async () => {
    const home = tempHome();
    const run = await onTerminal(
      ['connect', '--domain', 'acme-api.cloud.tanium.com', '--home', home],
      'abc\u0003',
    );
    expect(run.code).toBe(130);
    expect(run.output).toContain('Cancelled.');
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });
});
