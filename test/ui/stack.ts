import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli, tempHome } from '../helpers/runCli.js';
import { type Served, serve } from '../helpers/serveHarness.js';

export const PASSWORD = 'correct-horse-battery-staple';

/** The emulator, a home with the connection `default` to it and the admin password, and a real serve. */
export interface Stack {
  emulator: Harness;
  home: string;
  served: Served;
  close(): Promise<void>;
}

export async function startStack(endpoints = 300, serveArgs: string[] = ['--no-scheduler']): Promise<Stack> {
  const emulator = await startHarness({ endpoints, realism: 0 });
  const home = tempHome();
  const saved = await runCli(['connect', '--server', emulator.url], { home, input: `${emulator.token}\n` });
  if (saved.code !== 0) throw new Error(`connect failed: ${saved.stderr}`);
  const password = await runCli(['admin', 'set-password'], { home, input: `${PASSWORD}\n` });
  if (password.code !== 0) throw new Error(`set-password failed: ${password.stderr}`);
  const served = await serve(home, null, serveArgs);
  return {
    emulator,
    home,
    served,
    async close() {
      await served.stop();
      await emulator.close();
    },
  };
}
