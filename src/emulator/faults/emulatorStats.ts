import type { AuthFailure } from '../authenticate.js';

export interface StatsView {
  requests: { total: number; byRoute: Record<string, number> };
  faults: { total: number; byKind: Record<string, number> };
  authFailures: Record<AuthFailure, number>;
}

/**
 * Counts what the emulator served, for `GET /__emulator/stats`: requests per route (method and
 * route pattern, so `/api/v2/api_tokens/:id` is one key), injected faults per kind (the rule's
 * `fault` string, e.g. `status:503`), and authentication failures per reason. `/__emulator/*`
 * requests are not counted, so reading the stats does not change them.
 */
export class EmulatorStats {
  #requests = new Map<string, number>();
  #faults = new Map<string, number>();
  #auth: Record<AuthFailure, number> = emptyAuth();

  request(method: string, route: string | undefined): void {
    bump(this.#requests, `${method} ${route ?? '(no route)'}`);
  }

  fault(kind: string): void {
    bump(this.#faults, kind);
  }

  authFailure(reason: AuthFailure): void {
    this.#auth[reason] += 1;
  }

  reset(): void {
    this.#requests.clear();
    this.#faults.clear();
    this.#auth = emptyAuth();
  }

  view(): StatsView {
    return {
      requests: { total: sum(this.#requests), byRoute: Object.fromEntries(this.#requests) },
      faults: { total: sum(this.#faults), byKind: Object.fromEntries(this.#faults) },
      authFailures: { ...this.#auth },
    };
  }
}

const emptyAuth = (): Record<AuthFailure, number> => ({ missing: 0, unknown: 0, expired: 0, untrusted: 0 });

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}
