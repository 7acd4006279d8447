import { type EmulatorOptions, type RunningEmulator, startEmulator } from './startEmulator.js';

/** Tenants one process can serve: one loopback address each, 127.0.0.1 to 127.0.0.254. */
export const MAX_TENANTS = 254;

export interface TenantsOptions
  extends Omit<EmulatorOptions, 'host' | 'statePath' | 'identityPort' | 'identityComputerId'> {
  /** How many tenants, each with its own fleet, tokens, settings, clock, faults and truth. */
  tenants: number;
}

export interface RunningTenants {
  /** Tenant 1 first; tenant k answers at http://127.0.0.k:PORT. */
  tenants: RunningEmulator[];
  /** The port every tenant listens on. */
  port: number;
  close(): Promise<void>;
}

/** The loopback address of tenant `k` (1-based). */
export const tenantHost = (k: number) => `127.0.0.${k}`;

/**
 * Serves N emulated tenants from one process. Tanium Cloud tells tenants apart by host name
 * (`<customer>-api.cloud.tanium.com`), so the emulator does too: tenant k listens on the loopback address
 * 127.0.0.k, all on one port. A connection names its tenant by host like a real one, needs no change of
 * path or header, and its token reaches only that tenant's host. Linux routes all of 127.0.0.0/8 to
 * the loopback interface, so no setup is needed. Tenant k's fleet is seeded with `seed + k - 1`: the
 * fleets differ, and each is the same on every start.
 */
export async function startTenants(options: TenantsOptions): Promise<RunningTenants> {
  const { tenants: count, ...each } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TENANTS)
    throw new RangeError(`tenants must be a whole number from 1 to ${MAX_TENANTS}`);
  // A free port on 127.0.0.1 may be taken on another loopback address: with port 0, try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnOnePort(count, each);
    } catch (error) {
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!taken || (each.port ?? 0) !== 0 || attempt === 5) throw error;
    }
  }
}

async function startOnOnePort(count: number, each: Omit<TenantsOptions, 'tenants'>): Promise<RunningTenants> {
  const seed = each.seed ?? 1;
  const started: RunningEmulator[] = [];
  // Every tenant is closed even when one fails to, and a start-up error is not replaced by a close's.
  const closeAll = () => Promise.allSettled(started.map((t) => t.close())).then(() => undefined);
  try {
    const first = await startEmulator({ ...each, host: tenantHost(1), seed });
    started.push(first);
    const port = Number(new URL(first.url).port);
    for (let k = 2; k <= count; k++)
      started.push(await startEmulator({ ...each, host: tenantHost(k), port, seed: seed + k - 1 }));
    return { tenants: started, port, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
