import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandLine, invocation } from './hints.js';

const clone = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/tanium-bridge.js', import.meta.url));

describe('how hints spell the CLI', () => {
  it('relative to the current folder inside the clone, absolute outside it', () => {
    expect(invocation(clone)).toBe('node bin/tanium-bridge.js');
    expect(invocation(`${clone}/bin`)).toBe('node tanium-bridge.js');
    expect(invocation('/')).toBe(`node ${bin.slice(1)}`);
    expect(invocation('/nowhere/else')).toBe(`node ${bin}`);
  });

  it('repeats --home, quoted for the shell when it needs to be', () => {
    expect(commandLine({ home: "/tmp/my home's" }, 'status')).toBe(
      `${invocation()} status --home '/tmp/my home'\\''s'`,
    );
    expect(commandLine({}, 'status')).toBe(`${invocation()} status`);
  });

  it('repeats --db with its password masked (a hint is printed, so it never carries the password)', () => {
    expect(commandLine({ db: 'postgres://tb:hunter2@db:5432/bridge?schema=a' }, 'sync')).toBe(
      `${invocation()} sync --db 'postgres://tb:***@db:5432/bridge?schema=a'`,
    );
    expect(commandLine({ home: '/h', db: 'postgres://tb@db/bridge' }, 'sync')).toBe(
      `${invocation()} sync --home /h --db postgres://tb@db/bridge`,
    );
  });
});
