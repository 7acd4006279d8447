import { buildEmulatorApp } from './app.js';
import { EmulatorState } from './emulatorState.js';
import { EmulatorFaults, type FaultRule } from './faults/index.js';
import type { GatewayFeature } from './gateway/gatewaySchema.js';
import type { GatewayLimits } from './gateway/queryLimits.js';

export interface EmulatorOptions {
  /** Address to listen on; loopback by default, since the emulator hands out admin tokens. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep users, tokens, settings and time in this file across restarts. */
  statePath?: string;
  /** Endpoints in the seeded fleet (default 1,000). */
  endpoints?: number;
  /** The seed of the fleet and of fault rates: the same seed gives the same fleet and faults (default 1). */
  seed?: number;
  /**
   * Share of gaps Tanium may give (fields answered null, `TSE-Error` and unavailable readings), per
   * endpoint, check-in and kind of gap, drawn from the seed; 0 (the default) answers everything.
   */
  realism?: number;
  /** Fault rules to install at start (validated with `parseFaultRules`); none by default. */
  faultRules?: readonly FaultRule[];
  /** Gateway request limits: document size, depth, aliases, fields (defaults in docs/emulator.md). */
  gatewayLimits?: Partial<GatewayLimits>;
  /**
   * Optional parts of Tanium's Gateway schema to leave out, modelling a tenant without them:
   * `['risk']` answers as a tenant whose schema has no `Endpoint.risk` (docs/emulator.md).
   */
  without?: readonly GatewayFeature[];
}

export interface RunningEmulator {
  url: string;
  /** An administrator token (persona "Default") trusted from 127.0.0.1 and ::1. */
  token: string;
  state: EmulatorState;
  /** Fault rules and request statistics, also reachable over `/__emulator/faults` and `/__emulator/stats`. */
  faults: EmulatorFaults;
  close(): Promise<void>;
}

/** Starts the emulator as a real HTTP server (tests and the CLI use the same path). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = EmulatorState.open(options.statePath, {
    ...(options.endpoints === undefined ? {} : { size: options.endpoints }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.realism === undefined ? {} : { realism: options.realism }),
  });
  // Fault rates draw from the same seed as the fleet (the stored one under --state).
  const faults = new EmulatorFaults(state.fleetSettings.seed);
  if (options.faultRules) faults.install(options.faultRules);
  const app = buildEmulatorApp(state, undefined, {
    faults,
    ...(options.gatewayLimits === undefined ? {} : { gatewayLimits: options.gatewayLimits }),
    ...(options.without === undefined ? {} : { without: options.without }),
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    token: state.bootstrapToken(),
    state,
    faults,
    async close() {
      await app.close();
      state.flush();
    },
  };
}
