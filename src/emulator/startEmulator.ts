import { buildEmulatorApp } from './app.js';
import { EmulatorState } from './emulatorState.js';

export interface EmulatorOptions {
  /** Address to listen on; loopback by default, since the emulator hands out admin tokens. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep users, tokens, settings and time in this file across restarts. */
  statePath?: string;
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
  const state = EmulatorState.open(options.statePath);
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
