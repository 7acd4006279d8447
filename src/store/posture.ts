/**
 * Reads for device posture (docs/posture.md): finding an endpoint by any identifier Tanium syncs, the
 * facts a decision needs, the connection's data age, and stored policies with every version kept.
 */

/** How a device is named: the identifiers Cloudflare, Tanium and people use. */
export type LookupKey = 'serial' | 'computer-id' | 'eid' | 'hostname' | 'mac' | 'ip';
export const LOOKUP_KEYS: readonly LookupKey[] = ['serial', 'computer-id', 'eid', 'hostname', 'mac', 'ip'];

/** The ids of one matched endpoint (the decision's `endpoint`). */
export interface EndpointIds {
  endpointId: string;
  computerId: string | null;
  serialNumber: string | null;
  hostname: string | null;
}

/** One failed-compliance count: findings in state `fail`, per rule category and standard. */
export interface FailedCompliance {
  category: string | null;
  standard: string | null;
  count: number;
}

/** What a decision reads about one endpoint: its asset row and the facts computed after each sync. */
export interface PostureEndpoint extends EndpointIds {
  /** eidLastSeen (RFC 3339), or null when Tanium never answered it. */
  lastSeen: string | null;
  osName: string | null;
  osGeneration: string | null;
  osPlatform: string | null;
  isEncrypted: boolean | null;
  isVirtual: boolean | null;
  riskScore: number | null;
  riskLevel: string | null;
  /** False when no complete sync has computed the finding facts below yet. */
  factsKnown: boolean;
  /** Highest CVSS (v3 where known, else v2) of open, non-excepted CVE findings; null: none. */
  maxCvss: number | null;
  /** Open, non-excepted CVE findings in CISA's Known Exploited Vulnerabilities catalogue. */
  kevCves: string[];
  failedCompliance: FailedCompliance[];
}

/** The computer groups read from the Gateway after a complete sync, and their members' endpoint ids. */
export interface GroupMembershipInput {
  /** Every group read (names), whether or not it has members. */
  groups: string[];
  /** True when the tenant had more groups than were read (docs/posture.md, "Computer groups"). */
  capped: boolean;
  /** Each group's member ids: any iterable (readGroups holds them compactly, src/posture/memberIds.ts). */
  members: { group: string; endpointIds: Iterable<string> }[];
}

/** One endpoint's membership, as a decision reads it. */
export interface EndpointGroups {
  /** When membership was last read from the Gateway. */
  refreshedAt: string;
  /** Every group that was read; a group not among them is not known (when `capped`). */
  groups: string[];
  capped: boolean;
  /** The groups the endpoint is a member of. */
  memberOf: string[];
}

export interface StoredPolicy {
  name: string;
  version: number;
  format: 'yaml' | 'json';
  source: string;
  createdBy: string;
  createdAt: string;
}

export type PolicyVersion = Omit<StoredPolicy, 'format' | 'source'>;

export interface PostureRepository {
  /** Endpoints the identifier names, read whole (at most `limit`); values are normalised by the caller. */
  find(
    connection: string,
    key: LookupKey,
    values: readonly string[],
    limit: number,
  ): Promise<PostureEndpoint[]>;
  endpoint(connection: string, endpointId: string): Promise<PostureEndpoint | undefined>;
  /** The rows of one synced sensor on one endpoint (`columns` objects), in row order. */
  sensorRows(connection: string, endpointId: string, sensor: string): Promise<Record<string, unknown>[]>;
  /** When the connection's last complete sync run finished (ISO), or null. */
  lastCompleteSync(connection: string): Promise<string | null>;
  /**
   * Recomputes `posture_facts` for every endpoint of the connection, or only for `endpointIds` (those an
   * incremental sync wrote: no other endpoint's findings changed); returns the endpoints covered.
   */
  refreshFacts(connection: string, now: string, endpointIds?: readonly string[]): Promise<number>;
  /** Whether any endpoint of the connection has posture facts. */
  hasFacts(connection: string): Promise<boolean>;
  /** Replaces the connection's computer group membership whole, in one transaction. */
  replaceGroups(connection: string, membership: GroupMembershipInput, now: string): Promise<void>;
  /** The endpoint's computer groups; undefined when membership was never read for the connection. */
  endpointGroups(connection: string, endpointId: string): Promise<EndpointGroups | undefined>;
  /** Saves a new version of the named policy; returns it. */
  savePolicy(policy: Omit<StoredPolicy, 'version'>): Promise<StoredPolicy>;
  /** The latest version (or the one asked for). */
  policy(name: string, version?: number): Promise<StoredPolicy | undefined>;
  policies(): Promise<PolicyVersion[]>;
  policyVersions(name: string): Promise<PolicyVersion[]>;
}
