import { createHash } from 'node:crypto';
import { EmulatorClock } from '../../src/emulator/clock.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createTaniumClient, type TaniumClient } from '../../src/sdk/index.js';
import type { Store } from '../../src/store/store.js';
import type { SyncSettings } from '../../src/store/sync.js';
import { STREAM_NAMES, type StreamName } from '../../src/streams/index.js';
import { type RunSyncOptions, runSync } from '../../src/sync/runner.js';
import { DIALECTS, type DialectUnderTest } from '../store/dialects.js';
import { tempDir } from './emulatorHarness.js';

export const ALL: StreamName[] = [...STREAM_NAMES];
export const SETTINGS: SyncSettings = {
  sensors: ['IP Address', 'Applicable Patches', 'Online'],
  marginMs: 10 * 60_000,
  reconcileEvery: 24,
};

/**
 * Stops the emulator's clock at the current instant (it still moves with `/__emulator/clock`), so two
 * syncs seconds apart see the same fleet and can be compared row for row.
 */
export function freezeClock(emulator: RunningEmulator): void {
  const at = Date.now();
  const frozen = new EmulatorClock(emulator.state.clock.offsetMs, () => at);
  Object.defineProperty(emulator.state, 'clock', { value: frozen, configurable: true });
}

/**
 * A sync test's time limit on a dialect: a PostgreSQL page is several network round trips (COPY, upsert,
 * checkpoint), and on the shared 2-core box its syncs took 4 to 20 times as long as into SQLite.
 */
export function timeLimit(dialect: DialectUnderTest, ms: number): number {
  return dialect.name === 'postgres' ? 5 * ms : ms;
}

export interface SyncTarget {
  /** A home the CLI can use with `--home` (with `env`: SQLite keeps `bridge.db` there). */
  home: string;
  /** The environment a CLI run against this target's store needs (`TANIUM_BRIDGE_DB`). */
  env: Record<string, string>;
  store: Store;
  /** A second handle on the same store, as another process would open it (close it yourself). */
  reopen(): Promise<Store>;
  client: TaniumClient;
  sync(options?: Partial<RunSyncOptions>): ReturnType<typeof runSync>;
  close(): Promise<void>;
}

/**
 * A fresh store of `dialect` (SQLite by default: a file in a new home) with a connection `default` to
 * the emulator (or another URL, e.g. a proxy).
 */
export async function syncTarget(
  emulator: RunningEmulator,
  url = emulator.url,
  dialect: DialectUnderTest = DIALECTS[0]!,
): Promise<SyncTarget> {
  const home = tempDir('tb-sync-');
  const cli = await dialect.cliEnv();
  const store = await cli.open(home);
  await store.connections.upsert({ name: 'default', kind: 'server', address: url }, new Date().toISOString());
  const client = createTaniumClient({ baseUrl: url, token: emulator.token, retry: { baseDelayMs: 20 } });
  return {
    home,
    env: cli.env,
    store,
    reopen: () => cli.open(home),
    client,
    sync: (options = {}) =>
      runSync({ store, client, connection: 'default', streams: ALL, settings: SETTINGS, ...options }),
    async close() {
      await client.close();
      await store.close();
      await cli.drop();
    },
  };
}

/** A digest of every stream's rows (stream columns only, key order), to compare two stores. */
export async function digest(store: Store, connection = 'default'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const stream of ALL) {
    const hash = createHash('sha256');
    let n = 0;
    for await (const row of store.sync.rows(connection, stream)) {
      hash.update(JSON.stringify(row));
      n++;
    }
    out[stream] = `${n}:${hash.digest('hex').slice(0, 16)}`;
  }
  return out;
}

export interface Truth {
  endpoints: number;
  cveFindings: number;
  complianceFindings: number;
  retired: number;
  enrolled: number;
  /** what the Gateway's answers hold (realism leaves some lists null) */
  answers: {
    realism: number;
    cveFindingsNull: number;
    complianceFindingsNull: number;
    endpointFieldsNull: number;
    cveFindings: number;
    complianceFindings: number;
  };
}

/** The emulator's truth now, or at a past instant `at` (RFC 3339). */
export async function truth(url: string, at?: string): Promise<Truth> {
  const reply = await fetch(`${url}/__emulator/truth${at ? `?at=${encodeURIComponent(at)}` : ''}`);
  return (await reply.json()) as Truth;
}

export async function counts(store: Store, connection = 'default') {
  return {
    endpoints: await store.sync.count(connection, 'assets'),
    cveFindings: await store.sync.count(connection, 'vulnerabilities'),
    complianceFindings: await store.sync.count(connection, 'compliance'),
  };
}
