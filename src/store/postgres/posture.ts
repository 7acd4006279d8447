import type { PoolClient } from 'pg';
import type {
  EndpointGroups,
  FailedCompliance,
  GroupMembershipInput,
  LookupKey,
  PolicyVersion,
  PostureEndpoint,
  PostureRepository,
  StoredPolicy,
} from '../posture.js';
import { jsonbText } from './jsonbText.js';
import type { PgSession } from './session.js';

const IDS = `a.endpoint_id AS "endpointId", a.computer_id AS "computerId", a.serial_number AS "serialNumber",
  a.name AS hostname`;

/** An endpoint's asset columns and its posture facts: what a decision reads. */
const FULL = `${IDS}, a.last_seen AS "lastSeen", a.os_name AS "osName", a.os_generation AS "osGeneration",
  a.os_platform AS "osPlatform", a.is_encrypted AS "isEncrypted", a.is_virtual AS "isVirtual",
  a.risk_score AS "riskScore", a.risk_level AS "riskLevel", f.endpoint_id IS NOT NULL AS "factsKnown",
  f.max_cvss AS "maxCvss", f.kev_cves AS "kevCves", f.failed_compliance AS "failedCompliance"`;
const FACTS = 'LEFT JOIN posture_facts f ON f.connection = a.connection AND f.endpoint_id = a.endpoint_id';

/**
 * One statement per key, each reaching rows through an index keyed by connection first (migration
 * 002_sync) and reading each match whole. Serial numbers, host names and addresses compare without
 * regard to ASCII case, as SQLite's NOCASE columns do; the indexes are on `lower()` of them. Matches
 * come in endpoint id order. `$1` is the connection, `$2`… the values, `$LIMIT` the limit.
 */
export const PG_FIND: Record<LookupKey, string> = {
  serial: `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND lower(a.serial_number) = lower($2)
    ORDER BY a.endpoint_id LIMIT $LIMIT`,
  'computer-id': `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND a.computer_id = $2
    ORDER BY a.endpoint_id LIMIT $LIMIT`,
  eid: `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND a.endpoint_id = $2 LIMIT $LIMIT`,
  // A short name also matches every `short.domain`: '/' sorts right after '.' in the "C" collation.
  hostname: `SELECT * FROM (SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND lower(a.name) = lower($2)
    UNION SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND lower(a.name) >= lower($3)
      AND lower(a.name) < lower($4)) m ORDER BY "endpointId" LIMIT $LIMIT`,
  // An IP address never reads as a MAC address, so the address alone picks the kind.
  mac: `SELECT DISTINCT ${FULL} FROM asset_addresses x JOIN assets a ON a.connection = x.connection
    AND a.endpoint_id = x.endpoint_id ${FACTS} WHERE x.connection = $1
      AND lower(x.address) IN (lower($2), lower($3), lower($4)) ORDER BY "endpointId" LIMIT $LIMIT`,
  ip: `SELECT DISTINCT ${FULL} FROM asset_addresses x JOIN assets a ON a.connection = x.connection
    AND a.endpoint_id = x.endpoint_id ${FACTS} WHERE x.connection = $1 AND lower(x.address) = lower($2)
    ORDER BY "endpointId" LIMIT $LIMIT`,
};

/** The lookup that runs and its parameters (the limit is the last one). */
export function pgFind(key: LookupKey, connection: string, values: readonly string[], limit: number) {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`lookup limit ${limit} is not a positive whole number`);
  const [v = '', v2 = v, v3 = v] = values;
  let params: unknown[] = [connection, v];
  // A name with a domain matches only itself: an empty range.
  if (key === 'hostname')
    params = [connection, v, v.includes('.') ? '' : `${v}.`, v.includes('.') ? '' : `${v}/`];
  if (key === 'mac') params = [connection, v, v2, v3];
  return { text: PG_FIND[key].replace('$LIMIT', `$${params.length + 1}`), values: [...params, limit] };
}

const ENDPOINT = `SELECT ${FULL} FROM assets a ${FACTS} WHERE a.connection = $1 AND a.endpoint_id = $2`;

interface EndpointRow extends Omit<PostureEndpoint, 'riskScore' | 'kevCves' | 'failedCompliance'> {
  riskScore: string | number | null;
  kevCves: string[] | null;
  failedCompliance: [string | null, string | null, number][] | null;
}

function toEndpoint(row: EndpointRow): PostureEndpoint {
  return {
    ...row,
    riskScore: row.riskScore === null ? null : Number(row.riskScore),
    kevCves: row.kevCves ?? [],
    failedCompliance: (row.failedCompliance ?? []).map(
      ([category, standard, count]): FailedCompliance => ({ category, standard, count }),
    ),
  };
}

/** One policy name saved at a time (its next version is read, then written). */
const policyLock = (client: PoolClient, name: string) =>
  client.query(`SELECT pg_advisory_xact_lock(hashtext('tanium-bridge:policy:' || $1))`, [name]);

/** Device posture reads on PostgreSQL, with the semantics of SqlitePosture (src/store/sqlite/posture.ts). */
export class PgPosture implements PostureRepository {
  constructor(private readonly session: PgSession) {}

  async find(
    connection: string,
    key: LookupKey,
    values: readonly string[],
    limit: number,
  ): Promise<PostureEndpoint[]> {
    const { text, values: params } = pgFind(key, connection, values, limit);
    const { rows } = await this.session.query<EndpointRow>(text, params);
    return rows.map(toEndpoint);
  }

  async endpoint(connection: string, endpointId: string): Promise<PostureEndpoint | undefined> {
    const { rows } = await this.session.query<EndpointRow>(ENDPOINT, [connection, endpointId]);
    return rows[0] && toEndpoint(rows[0]);
  }

  async sensorRows(
    connection: string,
    endpointId: string,
    sensor: string,
  ): Promise<Record<string, unknown>[]> {
    const { rows } = await this.session.query<{ columns: Record<string, unknown> }>(
      `SELECT columns FROM sensor_rows WHERE connection = $1 AND endpoint_id = $2 AND sensor = $3
       ORDER BY row_index`,
      [connection, endpointId, sensor],
    );
    return rows.map((r) => r.columns);
  }

  async lastCompleteSync(connection: string): Promise<string | null> {
    const { rows } = await this.session.query<{ at: string | null }>(
      `SELECT max(finished_at) AS at FROM sync_runs WHERE connection = $1 AND status = 'complete'`,
      [connection],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * The facts of every endpoint of the connection, replaced in one transaction. Excepted findings (a
   * Tanium exception granted for them) do not count; compliance counts findings in state `fail`.
   * Each finding table is read once, grouped by endpoint.
   * With `endpointIds`, only those endpoints' facts (an incremental sync changed no others).
   */
  refreshFacts(connection: string, now: string, endpointIds?: readonly string[]): Promise<number> {
    // $3: the endpoints to recompute, or null for all of the connection's.
    const only = endpointIds === undefined ? null : [...endpointIds];
    return this.session.atomic(async (client) => {
      await client.query(
        'DELETE FROM posture_facts WHERE connection = $1 AND ($2::text[] IS NULL OR endpoint_id = ANY($2::text[]))',
        [connection, only],
      );
      const result = await client.query(
        `WITH v AS (
           SELECT f.endpoint_id, max(coalesce(d.cvss_score_v3, d.cvss_score)) AS max_cvss,
             jsonb_agg(f.cve_id ORDER BY f.cve_id) FILTER (WHERE d.is_cisa_kev) AS kev
           FROM vulnerability_findings f JOIN cve_details d ON d.id = f.cve_ref
           WHERE f.connection = $1 AND NOT coalesce(f.excepted, false)
             AND ($3::text[] IS NULL OR f.endpoint_id = ANY($3::text[])) GROUP BY f.endpoint_id),
         c AS (
           SELECT endpoint_id, jsonb_agg(jsonb_build_array(category, standard, n)
             ORDER BY category NULLS FIRST, standard NULLS FIRST) AS failed
           FROM (SELECT f.endpoint_id, r.category, r.standard, count(*)::int AS n
                 FROM compliance_findings f JOIN compliance_rules r ON r.id = f.rule_ref
                 WHERE f.connection = $1 AND f.state = 'fail' AND NOT coalesce(f.excepted, false)
                   AND ($3::text[] IS NULL OR f.endpoint_id = ANY($3::text[]))
                 GROUP BY f.endpoint_id, r.category, r.standard) g
           GROUP BY endpoint_id)
         INSERT INTO posture_facts (connection, endpoint_id, max_cvss, kev_cves, failed_compliance, refreshed_at)
         SELECT a.connection, a.endpoint_id, v.max_cvss, coalesce(v.kev, '[]'), coalesce(c.failed, '[]'), $2
         FROM assets a LEFT JOIN v ON v.endpoint_id = a.endpoint_id LEFT JOIN c ON c.endpoint_id = a.endpoint_id
         WHERE a.connection = $1 AND ($3::text[] IS NULL OR a.endpoint_id = ANY($3::text[]))`,
        [connection, now, only],
      );
      return result.rowCount ?? 0;
    });
  }

  async hasFacts(connection: string): Promise<boolean> {
    const { rows } = await this.session.query('SELECT 1 FROM posture_facts WHERE connection = $1 LIMIT 1', [
      connection,
    ]);
    return rows.length > 0;
  }

  /**
   * The connection's membership, replaced in one transaction (a reader sees the old or the new): only
   * the rows that are no longer members are deleted, and inserting a row already stored writes nothing
   * (`ON CONFLICT DO NOTHING`), so an unchanged membership is not rewritten (docs/sync.md, "Computer
   * group membership: when it can change").
   */
  replaceGroups(connection: string, m: GroupMembershipInput, now: string): Promise<void> {
    return this.session.atomic(async (client) => {
      // One statement, the membership sent once: the delete and the insert touch different rows (those
      // not read and those read), so they need not see each other's writes.
      await client.query(
        `WITH m AS (SELECT p->>0 AS g, e FROM jsonb_array_elements($2::jsonb) AS p,
             jsonb_array_elements_text(p->1) AS e),
           gone AS (DELETE FROM posture_group_members p WHERE p.connection = $1
             AND NOT EXISTS (SELECT 1 FROM m WHERE m.e = p.endpoint_id AND m.g = p.group_name))
         INSERT INTO posture_group_members (connection, endpoint_id, group_name)
         SELECT $1, e, g FROM m ON CONFLICT DO NOTHING`,
        [connection, membershipJson(m)],
      );
      await client.query(
        `INSERT INTO posture_group_refreshes (connection, groups, capped, refreshed_at)
         VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT (connection) DO UPDATE SET groups = excluded.groups, capped = excluded.capped,
           refreshed_at = excluded.refreshed_at`,
        [connection, jsonbText(m.groups), m.capped, now],
      );
    });
  }

  async endpointGroups(connection: string, endpointId: string): Promise<EndpointGroups | undefined> {
    const refresh = await this.session.query<{ groups: string[]; capped: boolean; refreshedAt: string }>(
      `SELECT groups, capped, refreshed_at AS "refreshedAt" FROM posture_group_refreshes WHERE connection = $1`,
      [connection],
    );
    const row = refresh.rows[0];
    if (!row) return undefined;
    const members = await this.session.query<{ name: string }>(
      `SELECT group_name AS name FROM posture_group_members WHERE connection = $1 AND endpoint_id = $2
       ORDER BY group_name`,
      [connection, endpointId],
    );
    return { ...row, memberOf: members.rows.map((m) => m.name) };
  }

  savePolicy(policy: Omit<StoredPolicy, 'version'>): Promise<StoredPolicy> {
    return this.session.atomic(async (client) => {
      await policyLock(client, policy.name);
      const { rows } = await client.query<{ version: number }>(
        `INSERT INTO posture_policies (name, version, format, source, created_by, created_at)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM posture_policies WHERE name = $1
         RETURNING version`,
        [policy.name, policy.format, policy.source, policy.createdBy, policy.createdAt],
      );
      return { ...policy, version: rows[0]!.version };
    });
  }

  async policy(name: string, version?: number): Promise<StoredPolicy | undefined> {
    const { rows } = await this.session.query<StoredPolicy>(
      `SELECT name, version, format, source, created_by AS "createdBy", created_at AS "createdAt"
       FROM posture_policies WHERE name = $1 AND ($2::int IS NULL OR version = $2)
       ORDER BY version DESC LIMIT 1`,
      [name, version ?? null],
    );
    return rows[0];
  }

  async policies(): Promise<PolicyVersion[]> {
    const { rows } = await this.session.query<PolicyVersion>(
      `SELECT DISTINCT ON (name) name, version, created_by AS "createdBy", created_at AS "createdAt"
       FROM posture_policies ORDER BY name, version DESC`,
    );
    return rows;
  }

  async policyVersions(name: string): Promise<PolicyVersion[]> {
    const { rows } = await this.session.query<PolicyVersion>(
      `SELECT name, version, created_by AS "createdBy", created_at AS "createdAt" FROM posture_policies
       WHERE name = $1 ORDER BY version`,
      [name],
    );
    return rows;
  }
}

/**
 * The membership as one JSON text, `[[group, [id, …]], …]`, built one group at a time: the whole fleet's
 * ids and a group name per id, as two parameter arrays, were the largest transient allocation of a
 * 100,000-endpoint sync's end (325,633 ids in 8 groups). As jsonb accepts it (a lone surrogate or a
 * NUL in a name becomes U+FFFD, jsonbText.ts).
 */
function membershipJson(m: GroupMembershipInput): string {
  const groups = m.members.map(({ group, endpointIds }) => jsonbText([group, Array.from(endpointIds)]));
  return `[${groups.join(',')}]`;
}
