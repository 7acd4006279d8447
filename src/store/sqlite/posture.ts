import type { Database } from 'better-sqlite3';
import type {
  EndpointGroups,
  EndpointIds,
  FailedCompliance,
  GroupMembershipInput,
  LookupKey,
  PolicyVersion,
  PostureEndpoint,
  PostureRepository,
  StoredPolicy,
} from '../posture.js';
import { replaceGroups } from './groupMembership.js';
import { limitClause } from './limitClause.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

const IDS = `a.endpoint_id AS endpointId, a.computer_id AS computerId, a.serial_number AS serialNumber,
  a.name AS hostname`;

/** An endpoint's asset columns and its posture facts: what a decision reads. */
const FULL = `${IDS}, a.last_seen AS lastSeen, a.os_name AS osName, a.os_generation AS osGeneration,
  a.os_platform AS osPlatform, a.is_encrypted AS isEncrypted, a.is_virtual AS isVirtual,
  a.risk_score AS riskScore, a.risk_level AS riskLevel, f.endpoint_id IS NOT NULL AS factsKnown,
  f.max_cvss AS maxCvss, f.kev_cves AS kevCves, f.failed_compliance AS failedCompliance`;
const FACTS = 'LEFT JOIN posture_facts f ON f.connection = a.connection AND f.endpoint_id = a.endpoint_id';

/**
 * One statement per key, each reaching rows through an index keyed by connection first, and reading
 * each match whole (asset row and facts) so a decision needs no second read
 * (test/store/posturePlans.test.ts). Values come normalised: MAC addresses in every common spelling.
 */
export const FIND: Record<LookupKey, string> = {
  serial: `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = @c AND a.serial_number = @v LIMIT @limit`,
  'computer-id': `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = @c AND a.computer_id = @v LIMIT @limit`,
  eid: `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = @c AND a.endpoint_id = @v LIMIT @limit`,
  // A short name also matches every `short.domain`: '/' sorts right after '.' (the index's NOCASE order).
  hostname: `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = @c AND a.name = @v
    UNION SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = @c AND a.name >= @lo AND a.name < @hi
    LIMIT @limit`,
  // Through the address index, then each endpoint by key: CROSS JOIN fixes that order (SQLite
  // otherwise chose to walk the connection's assets; an IN subquery scanned its addresses).
  // An IP address never reads as a MAC address, so the address alone picks the kind.
  mac: `SELECT DISTINCT ${FULL} FROM asset_addresses x CROSS JOIN assets a ON a.connection = x.connection
    AND a.endpoint_id = x.endpoint_id ${FACTS} WHERE x.connection = @c AND x.address IN (@v, @v2, @v3) LIMIT @limit`,
  ip: `SELECT DISTINCT ${FULL} FROM asset_addresses x CROSS JOIN assets a ON a.connection = x.connection
    AND a.endpoint_id = x.endpoint_id ${FACTS} WHERE x.connection = @c AND x.address = @v LIMIT @limit`,
};

/** The lookup that runs, its limit in the SQL text (limitClause.ts says why). */
export function findSql(key: LookupKey, limit: number): string {
  return FIND[key].replace('LIMIT @limit', limitClause('lookup', limit));
}

export const ENDPOINT = `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = ? AND a.endpoint_id = ?`;

/** The membership a decision reads: the refresh row and the endpoint's member rows, both by key. */
export const GROUP_REFRESH = `SELECT groups, capped, refreshed_at AS refreshedAt FROM posture_group_refreshes
  WHERE connection = ?`;
export const GROUP_MEMBERS = `SELECT group_name AS name FROM posture_group_members
  WHERE connection = ? AND endpoint_id = ? ORDER BY group_name`;

interface EndpointRow extends EndpointIds {
  lastSeen: string | null;
  osName: string | null;
  osGeneration: string | null;
  osPlatform: string | null;
  isEncrypted: number | null;
  isVirtual: number | null;
  riskScore: number | null;
  riskLevel: string | null;
  factsKnown: number;
  maxCvss: number | null;
  kevCves: string | null;
  failedCompliance: string | null;
}

const bool = (value: number | null) => (value === null ? null : value !== 0);

function toEndpoint(row: EndpointRow): PostureEndpoint {
  return {
    ...row,
    isEncrypted: bool(row.isEncrypted),
    isVirtual: bool(row.isVirtual),
    factsKnown: row.factsKnown === 1,
    kevCves: row.kevCves ? (JSON.parse(row.kevCves) as string[]) : [],
    failedCompliance: row.failedCompliance ? failed(row.failedCompliance) : [],
  };
}

export class SqlitePosture implements PostureRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  find(
    connection: string,
    key: LookupKey,
    values: readonly string[],
    limit: number,
  ): Promise<PostureEndpoint[]> {
    return this.run(() => {
      const [v = '', v2 = v, v3 = v] = values;
      const params: Record<string, unknown> = { c: connection, v };
      if (key === 'hostname') {
        // A name with a domain matches only itself: an empty range.
        params['lo'] = v.includes('.') ? '' : `${v}.`;
        params['hi'] = v.includes('.') ? '' : `${v}/`;
      }
      if (key === 'mac') Object.assign(params, { v2, v3 });
      return (prepared(this.db, findSql(key, limit)).all(params) as EndpointRow[]).map(toEndpoint);
    });
  }

  endpoint(connection: string, endpointId: string): Promise<PostureEndpoint | undefined> {
    return this.run(() => {
      const row = prepared(this.db, ENDPOINT).get(connection, endpointId) as EndpointRow | undefined;
      return row ? toEndpoint(row) : undefined;
    });
  }

  sensorRows(connection: string, endpointId: string, sensor: string): Promise<Record<string, unknown>[]> {
    return this.run(() =>
      (
        prepared(
          this.db,
          `SELECT columns FROM sensor_rows WHERE connection = ? AND endpoint_id = ? AND sensor = ?
           ORDER BY row_index`,
        ).all(connection, endpointId, sensor) as { columns: string }[]
      ).map((r) => JSON.parse(r.columns) as Record<string, unknown>),
    );
  }

  lastCompleteSync(connection: string): Promise<string | null> {
    return this.run(
      () =>
        (
          prepared(
            this.db,
            `SELECT max(finished_at) AS at FROM sync_runs WHERE connection = ? AND status = 'complete'`,
          ).get(connection) as { at: string | null }
        ).at,
    );
  }

  refreshFacts(connection: string, now: string, endpointIds?: readonly string[]): Promise<number> {
    return this.run(() => refreshFacts(this.db, connection, now, endpointIds));
  }

  hasFacts(connection: string): Promise<boolean> {
    return this.run(
      () =>
        prepared(this.db, 'SELECT 1 FROM posture_facts WHERE connection = ? LIMIT 1').get(connection) !==
        undefined,
    );
  }

  replaceGroups(connection: string, membership: GroupMembershipInput, now: string): Promise<void> {
    return this.run(() => replaceGroups(this.db, connection, membership, now));
  }

  endpointGroups(connection: string, endpointId: string): Promise<EndpointGroups | undefined> {
    return this.run(() => {
      const refresh = prepared(this.db, GROUP_REFRESH).get(connection) as
        | { groups: string; capped: number; refreshedAt: string }
        | undefined;
      if (!refresh) return undefined;
      const members = prepared(this.db, GROUP_MEMBERS).all(connection, endpointId) as { name: string }[];
      return {
        refreshedAt: refresh.refreshedAt,
        groups: JSON.parse(refresh.groups) as string[],
        capped: refresh.capped === 1,
        memberOf: members.map((m) => m.name),
      };
    });
  }

  savePolicy(policy: Omit<StoredPolicy, 'version'>): Promise<StoredPolicy> {
    return this.run(() => {
      const saved = prepared(
        this.db,
        `INSERT INTO posture_policies (name, version, format, source, created_by, created_at)
         SELECT @name, coalesce(max(version), 0) + 1, @format, @source, @createdBy, @createdAt
         FROM posture_policies WHERE name = @name RETURNING version`,
      ).get(policy) as { version: number };
      return { ...policy, version: saved.version };
    });
  }

  policy(name: string, version?: number): Promise<StoredPolicy | undefined> {
    return this.run(
      () =>
        prepared(
          this.db,
          `SELECT name, version, format, source, created_by AS createdBy, created_at AS createdAt
           FROM posture_policies WHERE name = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1`,
        ).get(name, version ?? null, version ?? null) as StoredPolicy | undefined,
    );
  }

  policies(): Promise<PolicyVersion[]> {
    return this.run(
      () =>
        prepared(
          this.db,
          `SELECT name, max(version) AS version, created_by AS createdBy, created_at AS createdAt
           FROM posture_policies GROUP BY name ORDER BY name`,
        ).all() as PolicyVersion[],
    );
  }

  policyVersions(name: string): Promise<PolicyVersion[]> {
    return this.run(
      () =>
        prepared(
          this.db,
          `SELECT name, version, created_by AS createdBy, created_at AS createdAt FROM posture_policies
           WHERE name = ? ORDER BY version`,
        ).all(name) as PolicyVersion[],
    );
  }
}

function failed(text: string): FailedCompliance[] {
  return (JSON.parse(text) as [string | null, string | null, number][]).map(
    ([category, standard, count]) => ({
      category,
      standard,
      count,
    }),
  );
}

/**
 * The facts of every endpoint of the connection, replaced in one transaction. Excepted findings (a
 * Tanium exception granted for them) do not count; compliance counts findings in state `fail`.
 */
function refreshFacts(
  db: Database,
  connection: string,
  now: string,
  endpointIds?: readonly string[],
): number {
  // Only some endpoints: the same statements, restricted to the ids (an IN list over json_each).
  const only = endpointIds === undefined ? '' : 'AND endpoint_id IN (SELECT value FROM json_each(@ids))';
  const ids = JSON.stringify(endpointIds ?? []);
  const replace = db.transaction(() => {
    prepared(db, `DELETE FROM posture_facts WHERE connection = @connection ${only}`).run({
      connection,
      ...(only ? { ids } : {}),
    });
    return prepared(
      db,
      `INSERT INTO posture_facts (connection, endpoint_id, max_cvss, kev_cves, failed_compliance, refreshed_at)
       SELECT a.connection, a.endpoint_id,
         (SELECT max(coalesce(d.cvss_score_v3, d.cvss_score)) FROM vulnerability_findings v
            JOIN cve_details d ON d.id = v.cve_ref
            WHERE v.connection = a.connection AND v.endpoint_id = a.endpoint_id AND coalesce(v.excepted, 0) = 0),
         (SELECT coalesce(json_group_array(v.cve_id), '[]') FROM vulnerability_findings v
            JOIN cve_details d ON d.id = v.cve_ref
            WHERE v.connection = a.connection AND v.endpoint_id = a.endpoint_id AND coalesce(v.excepted, 0) = 0
              AND d.is_cisa_kev = 1),
         (SELECT coalesce(json_group_array(json_array(category, standard, n)), '[]') FROM
            (SELECT r.category, r.standard, count(*) AS n FROM compliance_findings c
               JOIN compliance_rules r ON r.id = c.rule_ref
               WHERE c.connection = a.connection AND c.endpoint_id = a.endpoint_id AND c.state = 'fail'
                 AND coalesce(c.excepted, 0) = 0
               GROUP BY r.category, r.standard)),
         @now
       FROM assets a WHERE a.connection = @connection ${only.replace('endpoint_id', 'a.endpoint_id')}`,
    ).run({ connection, now, ...(only ? { ids } : {}) }).changes;
  });
  return replace.immediate();
}
