import { GATEWAY_PATH } from '../gateway/graphqlRoute.js';
import { EmulatorStats } from './emulatorStats.js';
import { type Fault, type FaultRule, parseFault, pathMatches } from './faultRules.js';
import type { GatewayRequestInfo } from './gatewayOperation.js';
import { DEFAULT_SEED, seededRandom, streamSeed } from './prng.js';

/** What a fault decision looks at: the request line, and (only if a rule needs it) the Gateway document. */
export interface FaultRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Parses the Gateway body on demand; undefined when it is not a Gateway request or does not parse. */
  gateway: () => GatewayRequestInfo | undefined;
}

export interface FaultDecision {
  rule: FaultRule;
  fault: Fault;
}

interface ActiveRule {
  rule: FaultRule;
  fault: Fault;
  random: () => number;
  remaining: number | undefined;
  applied: number;
}

/**
 * The installed fault rules and the request statistics of one emulator. Off by default (no rules).
 * Rules are tried in order and the first that fires wins: a `count` rule fires for the first n
 * matching requests; a `rate` rule fires when a draw from its own seeded stream (derived from the
 * seed and the rule's position) falls under the rate, and otherwise lets the next rule try. So the
 * same seed and the same sequence of requests give the same faults, and several rate rules on one
 * path each fire at about their rate. Installing rules restarts every stream and count.
 */
export class EmulatorFaults {
  readonly stats = new EmulatorStats();
  #rules: ActiveRule[] = [];

  constructor(readonly seed: number = DEFAULT_SEED) {}

  /** Replaces the rule set (already validated by `parseFaultRules`). */
  install(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule, index) => {
      const parsed = parseFault(rule.fault);
      const fault: Fault =
        parsed.kind === 'status' ? { ...parsed, retryAfter: rule.retryAfter ?? parsed.retryAfter } : parsed;
      return {
        rule,
        fault,
        random: seededRandom(streamSeed(this.seed, index)),
        remaining: rule.count,
        applied: 0,
      };
    });
  }

  clear(): void {
    this.#rules = [];
  }

  get active(): boolean {
    return this.#rules.length > 0;
  }

  /** The installed rules, each with how many times it has applied so far. */
  view(): { seed: number; rules: (FaultRule & { applied: number })[] } {
    return { seed: this.seed, rules: this.#rules.map((r) => ({ ...r.rule, applied: r.applied })) };
  }

  /** Decides the fault for one request (at most one), and counts it in the stats. */
  decide(request: FaultRequest): FaultDecision | undefined {
    for (const active of this.#rules) {
      const { rule, fault } = active;
      if (rule.method !== '*' && rule.method !== request.method) continue;
      if (!pathMatches(rule.path, request.path)) continue;
      const onGateway = request.path === GATEWAY_PATH;
      if (rule.operation !== undefined && !request.gateway()?.names.has(rule.operation)) continue;
      // An expired cursor needs a cursor: Gateway requests without `after`/`before` do not use up the rule.
      if (fault.kind === 'expire-cursor' && onGateway && !request.gateway()?.presentsCursor) continue;
      if (active.remaining !== undefined) {
        if (active.remaining === 0) continue;
        active.remaining -= 1;
      } else if (active.random() >= (rule.rate ?? 0)) {
        continue;
      }
      active.applied += 1;
      this.stats.fault(rule.fault);
      return { rule, fault };
    }
    return undefined;
  }
}
