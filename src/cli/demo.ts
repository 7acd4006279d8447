import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ensureHome, HOME_ENV } from '../common/home.js';
import { UserError } from '../common/userError.js';
import { clientForConnection } from '../connections/client.js';
import { readToken, saveConnection } from '../connections/connections.js';
import { startEmulator } from '../emulator/index.js';
import { openStore, resolveDb } from '../store/open.js';
import type { Store } from '../store/store.js';
import { STREAM_NAMES, type StreamName } from '../streams/index.js';
import { formatSummary } from '../sync/format.js';
import { syncConnection } from '../sync/service.js';
import { serveDemo } from './demoServe.js';
import { commandLine } from './hints.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseWhole } from './parseNumber.js';

/** The demo's own home unless --home or TANIUM_BRIDGE_HOME says otherwise: never the user's real one. */
export const DEMO_HOME = '.tanium-bridge-demo';
export const DEMO_CONNECTION = 'demo';
export const DEFAULT_ENDPOINTS = 3000;
export const DEMO_SENSORS = 'Installed Applications,Applicable Patches,Online';

interface DemoOptions extends GlobalOptions {
  endpoints: string;
  serve?: boolean;
  once?: boolean;
  fresh?: boolean;
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
    .option('--endpoints <n>', 'endpoints in the emulated fleet', String(DEFAULT_ENDPOINTS))
    .option('--serve', 'keep the emulator running after the sync (Ctrl+C stops it)')
    .option('--once', 'sync and exit: no service and no web UI')
    .option(
      '--fresh',
      "replace the rows of an earlier demo's fleet (a full pass removes what it no longer has)",
    )
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<DemoOptions>();
      const endpoints = parseWhole(options.endpoints, '--endpoints', 1, 100_000);
      const home = ensureHome(resolve(options.home ?? process.env[HOME_ENV] ?? DEMO_HOME));
      const say = (line: string) => {
        if (!options.json) process.stdout.write(`${line}\n`);
      };
      const started = performance.now();
      // Hints repeat the demo's home as given, or its default relative to here, and its --db (docs/cli.md).
      const hintHome: HintHome = {
        home: options.home || process.env[HOME_ENV] ? home : DEMO_HOME,
        ...(options.db ? { db: options.db } : {}),
      };
      const store = await openStore(home, { db: resolveDb(options.db) });
      await refuseAnotherFleet({ store, home }, endpoints, options.fresh === true, hintHome).catch(
        async (error) => {
          await store.close();
          throw error;
        },
      );
      const emulator = await startEmulator({ endpoints, seed: 1 });
      say(`Emulator: ${emulator.url} with ${endpoints.toLocaleString('en-US')} endpoints (seed 1).`);
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
          full: options.fresh === true,
          settings: { sensors: DEMO_SENSORS.split(',') },
        });
        const totals: Partial<Record<StreamName, number>> = {};
        for (const stream of Object.keys(summary.streams) as StreamName[])
          totals[stream] = await store.sync.count(DEMO_CONNECTION, stream);
        const seconds = (performance.now() - started) / 1000;
        if (options.json) {
          printJson({ home, url: emulator.url, user: session.user.name, summary, totals, seconds });
        } else {
          say(formatSummary(summary, totals));
          say(`Done in ${seconds.toFixed(1)} s. Try next:`);
          for (const hint of demoHints(hintHome, endpoints)) say(`  ${hint}`);
        }
        if (options.serve) {
          say(
            `Serving the emulator on ${emulator.url} until Ctrl+C; sync from another shell: ${commandLine(hintHome, `sync --name ${DEMO_CONNECTION}`)}`,
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

/** Where the demo's hints point: its home, and its database when one was given with --db. */
type HintHome = { home: string; db?: string };

/** What to try next, each a command that works pasted as is from where the demo ran. */
export function demoHints(hintHome: HintHome, endpoints: number): string[] {
  const name = `--name ${DEMO_CONNECTION}`;
  // The same fleet again, or the demo would refuse the store this one filled.
  const fleet = endpoints === DEFAULT_ENDPOINTS ? '' : ` --endpoints ${endpoints}`;
  return [
    `${commandLine(hintHome, `export assets --format csv ${name}`)} | head`,
    commandLine(hintHome, `export vulnerabilities --out vulnerabilities.ndjson ${name}`),
    commandLine(hintHome, 'status'),
    `${commandLine(hintHome, `demo${fleet} --serve`)}   # keeps the emulator up, to sync it from another shell`,
  ];
}

/**
 * Refuses to mix fleets: rows of an earlier demo with another fleet size would stay beside the new
 * fleet's until a full pass removes them, so the totals would describe neither. `--fresh` runs that
 * full pass.
 */
async function refuseAnotherFleet(
  { store, home }: { store: Store; home: string },
  endpoints: number,
  fresh: boolean,
  hintHome: HintHome,
): Promise<void> {
  if (fresh || !(await store.connections.get(DEMO_CONNECTION))) return;
  const stored = await store.sync.count(DEMO_CONNECTION, 'assets');
  if (stored === 0 || stored === endpoints) return;
  throw new UserError(
    `The demo store in ${home} holds another fleet (${stored.toLocaleString('en-US')} endpoints, this demo has ${endpoints.toLocaleString('en-US')}): run \`${commandLine(hintHome, `demo --endpoints ${endpoints} --fresh`)}\` to replace it.`,
    { code: 'demo_other_fleet' },
  );
}
