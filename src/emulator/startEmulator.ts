import { buildEmulatorApp } from './app.js';
import { EmulatorState } from './emulatorState.js';

export interface EmulatorOptions {
  /** Address to listen on; loopback by default, since the emulator hands out admin tokens. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep users, tokens, settings and time in this file across restarts. */
  statePath?: string;
  /** Endpoints in the seeded fleet (default 1,000). */
  endpoints?: number;
  /** The fleet's seed: the same seed gives the same fleet (default 1). */
  seed?: number;
}

export interface RunningEmulator {
  url: string;
  /** An administrator token (persona "Default") trusted from 127.0.0.1 and ::1. */
  token: string;
  state: EmulatorState;
  close(): Promise<void>;
}

/** Starts the emulator as a real HTTP server (tests and the CLI use the same path). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = EmulatorState.open(options.statePath, {
    ...(options.endpoints === undefined ? {} : { size: options.endpoints }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const app = buildEmulatorApp(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    token: state.bootstrapToken(),
    state,
    async close() {
      await app.close();
      state.flush();
    },
  };
}
