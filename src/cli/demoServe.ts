import { randomBytes } from 'node:crypto';
import { createLogger } from '../common/logger.js';
import type { ConnectionContext } from '../connections/connections.js';
import { startService } from '../server/service.js';
import { setAdminPassword } from '../server/sessions.js';
import { JOB_KINDS } from '../store/jobs.js';
import { printJson } from './output.js';

export interface DemoServeOptions {
  ctx: ConnectionContext;
  emulatorUrl: string;
  json: boolean | undefined;
  say: (line: string) => void;
}

const HOUR_MS = 3_600_000;

/**
 * The demo's second half: the service with the web UI on a free loopback port, signed in with a fresh
 * admin password printed here (a local demo home, never the user's own), until Ctrl+C. The scheduler
 * runs as under `serve`, so the token's rotation check and the hourly sync run too.
 */
export async function serveDemo(options: DemoServeOptions): Promise<void> {
  const { ctx, say } = options;
  const password = `demo-${randomBytes(12).toString('base64url')}`;
  await setAdminPassword(ctx.store, password, new Date());
  const service = await startService({
    ctx,
    log: createLogger({ level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
    scheduler: true,
    jobs: JOB_KINDS,
    every: { sync: HOUR_MS, reconcile: 24 * HOUR_MS, rotate: HOUR_MS },
    tickMs: 15_000,
  });
  if (options.json) printJson({ ui: service.url, password, emulator: options.emulatorUrl });
  else {
    say(`Web UI: ${service.url}  (sign in with the admin password ${password})`);
    say(`Emulator console (Tanium's API Tokens page): ${options.emulatorUrl}/console`);
    say('Serving until Ctrl+C.');
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await service.close();
}
