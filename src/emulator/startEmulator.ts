import { buildEmulatorApp } from './app.js';
import { EmulatorState } from './emulatorState.js';
import { EmulatorFaults, type FaultRule } from './faults/index.js';
import type { CheckInModel } from './fleet/index.js';
import type { GatewayFeature } from './gateway/gatewaySchema.js';
import type { GatewayLimits } from './gateway/queryLimits.js';
import type { GatewaySlices } from './gateway/slicedExecution.js';
import { IdentityKey, startIdentityListener } from './identity/identityListener.js';

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
  /**
   * How endpoints check in: `sparse` (default, every 5 min to 4 h) or `frequent` (every 1-5 minutes, data
   * changing only at scans and patch cycles, as a real fleet; docs/emulator-fleet.md).
   */
  checkIns?: CheckInModel;
  /** Fault rules to install at start (validated with `parseFaultRules`); none by default. */
  faultRules?: readonly FaultRule[];
  /** Gateway request limits: document size, depth, aliases, fields (defaults in docs/emulator.md). */
  gatewayLimits?: Partial<GatewayLimits>;
  /**
   * Optional parts of Tanium's Gateway schema to leave out, modelling a tenant without them:
   * `['risk']` answers as a tenant whose schema has no `Endpoint.risk` (docs/emulator.md).
   */
  without?: readonly GatewayFeature[];
  /** Edges per slice of a large `endpoints` answer (250 by default; 0 answers in one piece; docs/emulator.md). */
  gatewaySlices?: GatewaySlices;
  /**
   * Also listen as the emulated Tanium Client identity listener on this port (Tanium's client port is
   * 17472), answering for the endpoint with `identityComputerId` or the first (docs/posture.md).
   */
  identityPort?: number;
  identityComputerId?: string;
}

export interface RunningEmulator {
  url: string;
  /** An administrator token (persona "Default") trusted from 127.0.0.1 and ::1. */
  token: string;
  state: EmulatorState;
  /** Fault rules and request statistics, also reachable over `/__emulator/faults` and `/__emulator/stats`. */
  faults: EmulatorFaults;
  /** The identity key's certificate (PEM), also served at `/__emulator/identity/certificate`. */
  identityCertificate: string;
  /** The identity listener's port, when one was asked for. */
  identityPort?: number;
  close(): Promise<void>;
}

/** Starts the emulator as a real HTTP server (tests and the CLI use the same path). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = EmulatorState.open(options.statePath, {
    ...(options.endpoints === undefined ? {} : { size: options.endpoints }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.realism === undefined ? {} : { realism: options.realism }),
    ...(options.checkIns === undefined ? {} : { checkIns: options.checkIns }),
  });
  // Fault rates draw from the same seed as the fleet (the stored one under --state).
  const faults = new EmulatorFaults(state.fleetSettings.seed);
  if (options.faultRules) faults.install(options.faultRules);
  const app = buildEmulatorApp(state, undefined, {
    faults,
    ...(options.gatewayLimits === undefined ? {} : { gatewayLimits: options.gatewayLimits }),
    ...(options.without === undefined ? {} : { without: options.without }),
    ...(options.gatewaySlices === undefined ? {} : { gatewaySlices: options.gatewaySlices }),
  });
  const identity = new IdentityKey(state.now());
  app.get('/__emulator/identity/certificate', async (_request, reply) =>
    reply.type('application/x-pem-file').send(identity.certificate),
  );
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const listener =
    options.identityPort === undefined
      ? undefined
      : await startIdentityListener(state, identity, {
          host,
          port: options.identityPort,
          ...(options.identityComputerId === undefined ? {} : { computerId: options.identityComputerId }),
        }).catch(async (error: unknown) => {
          await app.close();
          throw error;
        });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    token: state.bootstrapToken(),
    state,
    faults,
    identityCertificate: identity.certificate,
    ...(listener ? { identityPort: listener.port } : {}),
    async close() {
      await listener?.close();
      await app.close();
      state.flush();
    },
  };
}
