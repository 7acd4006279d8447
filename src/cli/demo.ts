import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ensureHome, HOME_ENV } from '../common/home.js';
import { clientForConnection } from '../connections/client.js';
import { readToken, saveConnection } from '../connections/connections.js';
import { startEmulator } from '../emulator/index.js';
import { openStore } from '../store/open.js';
import { STREAM_NAMES, type StreamName } from '../streams/index.js';
import { formatSummary } from '../sync/format.js';
import { syncConnection } from '../sync/service.js';
import { serveDemo } from './demoServe.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseWhole } from './parseNumber.js';

/** The demo's own home unless --home or TANIUM_BRIDGE_HOME says otherwise: never the user's real one. */
export const DEMO_HOME = '.tanium-bridge-demo';
export const DEMO_CONNECTION = 'demo';
export const DEMO_SENSORS = 'Installed Applications,Applicable Patches,Online';

interface DemoOptions extends GlobalOptions {
  endpoints: string;
  serve?: boolean;
  once?: boolean;
}

/**
 * `tanium-bridge demo`: the embedded emulator, a connection to it, a health check, a sync of every stream
 * and what to try next; then the service and the web UI until Ctrl+C (demoServe.ts). --once exits after
 * the sync; --serve keeps only the emulator up.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the emulator, connect to it, sync every stream and show what to try next')
    .option('--endpoints <n>', 'endpoints in the emulated fleet', '3000')
    .option('--serve', 'keep the emulator running after the sync (Ctrl+C stops it)')
    .option('--once', 'sync and exit: no service and no web UI')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<DemoOptions>();
      const endpoints = parseWhole(options.endpoints, '--endpoints', 1, 100_000);
      const home = ensureHome(resolve(options.home ?? process.env[HOME_ENV] ?? DEMO_HOME));
      const say = (line: string) => {
        if (!options.json) process.stdout.write(`${line}\n`);
      };
      const started = performance.now();
      const emulator = await startEmulator({ endpoints, seed: 1 });
      say(`Emulator: ${emulator.url} with ${endpoints.toLocaleString('en-US')} endpoints (seed 1).`);
      const store = await openStore(home);
      const ctx = { store, home };
      try {
        await saveConnection(ctx, {
          name: DEMO_CONNECTION,
          target: { kind: 'server', address: emulator.url },
          token: emulator.token,
        });
        say(`Connection "${DEMO_CONNECTION}" saved in ${home} (token encrypted at rest).`);
        await readToken(ctx, DEMO_CONNECTION); // fails early, with the fix, when the token cannot be read
        const { client } = await clientForConnection(ctx, DEMO_CONNECTION);
        const session = await client.session.current().finally(() => client.close());
        say(`Check: the token works, it belongs to "${session.user.name}".`);
        const summary = await syncConnection(ctx, DEMO_CONNECTION, {
          streams: STREAM_NAMES,
          settings: { sensors: DEMO_SENSORS.split(',') },
        });
        const totals: Partial<Record<StreamName, number>> = {};
        for (const stream of Object.keys(summary.streams) as StreamName[])
          totals[stream] = await store.sync.count(DEMO_CONNECTION, stream);
        const flag = options.home || process.env[HOME_ENV] ? ` --home ${home}` : ` --home ${DEMO_HOME}`;
        const seconds = (performance.now() - started) / 1000;
        if (options.json) {
          printJson({ home, url: emulator.url, user: session.user.name, summary, totals, seconds });
        } else {
          say(formatSummary(summary, totals));
          say(`Done in ${seconds.toFixed(1)} s. Try next:`);
          say(`  npx tanium-bridge export assets --format csv --name demo${flag} | head`);
          say(`  npx tanium-bridge export vulnerabilities --out vulnerabilities.ndjson --name demo${flag}`);
          say(`  npx tanium-bridge status${flag}`);
          say(
            '  npx tanium-bridge demo --serve   (keeps the emulator up; then `sync --name demo` in another shell)',
          );
        }
        if (options.serve) {
          say(
            `Serving the emulator on ${emulator.url} until Ctrl+C: npx tanium-bridge sync --name demo${flag}`,
          );
          await store.close();
          await new Promise<void>((done) => {
            process.once('SIGINT', () => done());
            process.once('SIGTERM', () => done());
          });
          return;
        }
        if (!options.once) await serveDemo({ ctx, emulatorUrl: emulator.url, json: options.json, say });
      } finally {
        await store.close().catch(() => undefined);
        await emulator.close();
      }
    });
}
