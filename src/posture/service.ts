import type { LookupKey, PostureEndpoint } from '../store/posture.js';
import type { Store } from '../store/store.js';
import { FreshnessCache } from './dataAge.js';
import { decide, idsOf, staleSentence } from './decide.js';
import type { Decision } from './decision.js';
import { lookupsFor } from './identifier.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';

/** How many matches an ambiguous answer lists (enough to see the duplicates; more is noise). */
const MAX_MATCHES = 10;

export interface PostureQuery {
  connection: string;
  device: string;
  by?: LookupKey;
  policy?: Policy;
  /** Set by identity verification: whether the endpoint proved who it is. */
  identityVerified?: boolean;
}

/**
 * Posture decisions from a connection's synced store: find the device (never guessing between
 * several), read its facts, apply the policy (docs/posture.md).
 */
export class PostureService {
  readonly #freshness: FreshnessCache;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.#freshness = new FreshnessCache(store);
  }

  /** The endpoints an identifier names (deduplicated, at most MAX_MATCHES + 1). */
  async find(connection: string, device: string, by?: LookupKey): Promise<PostureEndpoint[]> {
    const found = new Map<string, PostureEndpoint>();
    for (const lookup of lookupsFor(device, by))
      for (const ids of await this.store.posture.find(connection, lookup.key, lookup.values, MAX_MATCHES + 1))
        found.set(ids.endpointId, ids);
    return [...found.values()];
  }

  async decide(query: PostureQuery): Promise<Decision> {
    const policy = query.policy ?? DEFAULT_POLICY;
    const now = this.now();
    const matches = await this.find(query.connection, query.device, query.by);
    const dataAge = await this.#freshness.dataAge(query.connection, policy, now);
    if (matches.length > 1)
      return {
        verdict: 'ambiguous',
        rule: null,
        checks: [],
        endpoint: null,
        dataAge,
        reason: `"${query.device}" matches ${matches.length > MAX_MATCHES ? `more than ${MAX_MATCHES}` : matches.length} endpoints; name it by a unique key`,
        matches: matches.slice(0, MAX_MATCHES).map(idsOf),
      };
    // The lookup reads each match whole: the one match is the endpoint the decision needs.
    const endpoint = matches[0];
    if (!endpoint) {
      const reason = dataAge.stale ? staleSentence(dataAge) : `no synced endpoint has ${describe(query)}`;
      return { verdict: 'deny', rule: null, checks: [], endpoint: null, dataAge, reason };
    }
    const sensors = new Map<string, Record<string, unknown>[]>();
    for (const name of sensorNames(policy))
      sensors.set(name, await this.store.posture.sensorRows(query.connection, endpoint.endpointId, name));
    const groups = namesGroups(policy)
      ? await this.store.posture.endpointGroups(query.connection, endpoint.endpointId)
      : undefined;
    return decide(
      policy,
      {
        endpoint,
        now,
        managedWithinMs: policy.managedWithinMs,
        sensors,
        ...(groups ? { groups } : {}),
        ...(query.identityVerified === undefined ? {} : { identityVerified: query.identityVerified }),
      },
      dataAge,
    );
  }
}

function describe(query: PostureQuery): string {
  const what: Record<LookupKey, string> = {
    serial: 'the serial number',
    'computer-id': 'the computer ID',
    eid: 'the endpoint id',
    hostname: 'the host name',
    mac: 'the MAC address',
    ip: 'the IP address',
  };
  return `${query.by ? what[query.by] : 'the identifier'} "${query.device.trim()}"`;
}

const sensorCache = new WeakMap<Policy, string[]>();

/** The sensors a policy's checks read (computed once per policy). */
function sensorNames(policy: Policy): string[] {
  let names = sensorCache.get(policy);
  if (!names) {
    const all = policy.rules.flatMap((r) => [...r.include, ...r.require, ...r.exclude]);
    names = [
      ...new Set(
        all.flatMap((c) =>
          c.kind === 'sensor' ? [c.name] : c.kind === 'osVersion' && c.sensor ? [c.sensor] : [],
        ),
      ),
    ];
    sensorCache.set(policy, names);
  }
  return names;
}

/** Whether any check of the policy reads computer group membership. */
function namesGroups(policy: Policy): boolean {
  return policy.rules.some((r) =>
    [...r.include, ...r.require, ...r.exclude].some((c) => c.kind === 'computerGroup'),
  );
}
