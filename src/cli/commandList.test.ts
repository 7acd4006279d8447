import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, invokedCommand } from './commandList.js';

describe('the command list', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s: its summary is the description its module registers',
    async (name, entry) => {
      const program = new Command('tanium-bridge');
      (await entry.load())(program);
      const registered = program.commands.find((command) => command.name() === name);
      expect(registered?.description()).toBe(entry.summary);
    },
  );

  it('finds the command a command line runs, past --home or --db and its value and after help', () => {
    expect(invokedCommand(['--home', 'status', 'sync', '--full'])).toBe('sync');
    expect(invokedCommand(['--json', 'help', 'export'])).toBe('export');
    expect(invokedCommand(['--home=x', 'status'])).toBe('status');
    expect(invokedCommand(['--db', 'postgres://u@h/db', 'rotate'])).toBe('rotate');
    expect(invokedCommand(['--help'])).toBeUndefined();
  });
});
