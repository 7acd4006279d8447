// A plain reference client, of the kind open-source Tanium integrations ship: Gateway
// `endpoints(first: N)` pages fetched one after another (no sort, no filter), every row upserted with
// its own statement, one transaction per page, a full re-download every run. It selects the same
// fields as tanium-bridge's sync, so both move the same bytes. Used by bench/sideBySide.mjs.
import Database from 'better-sqlite3';

const QUERY = `query Plain($first: Int, $after: Cursor) {
  endpoints(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id computerID name domainName serialNumber systemUUID manufacturer model chassisType
      isVirtual isEncrypted os { name generation platform language } ipAddress ipAddresses macAddresses namespace
      lastLoggedInUser primaryUser { name email department } memory { total } processor { cpu }
      eidFirstSeen eidLastSeen risk { totalScore riskLevel assetCriticality }
      compliance {
        cveFindings { cveId cveYear cvssScore cvssScoreV3 severity severityV3 summary firstFound lastFound
          absoluteFirstFoundDate isCisaKev excepted epssScore }
        complianceFindings { id ruleId rule category state standard standardVersion profile profileVersion
          firstFoundDate lastScanDate excepted } } } }
  }
}`;

const SCHEMA = `
CREATE TABLE endpoints (id TEXT PRIMARY KEY, computer_id TEXT, name TEXT, domain_name TEXT, serial_number TEXT,
  system_uuid TEXT, manufacturer TEXT, model TEXT, chassis_type TEXT, is_virtual INTEGER, is_encrypted INTEGER,
  os_name TEXT, os_generation TEXT, os_platform TEXT, os_language TEXT, ip_address TEXT, ip_addresses TEXT,
  mac_addresses TEXT, namespace TEXT, last_logged_in_user TEXT, user_name TEXT, user_email TEXT,
  user_department TEXT, memory_total TEXT, processor_cpu TEXT, first_seen TEXT, last_seen TEXT,
  risk_score INTEGER, risk_level TEXT, asset_criticality TEXT);
CREATE TABLE cve_findings (endpoint_id TEXT, cve_id TEXT, cve_year INTEGER, cvss_score REAL, cvss_score_v3 REAL,
  severity TEXT, severity_v3 TEXT, summary TEXT, first_found TEXT, last_found TEXT, absolute_first_found TEXT,
  is_cisa_kev INTEGER, excepted INTEGER, epss_score REAL, PRIMARY KEY (endpoint_id, cve_id));
CREATE TABLE compliance_findings (endpoint_id TEXT, id TEXT, rule_id TEXT, rule TEXT, category TEXT, state TEXT,
  standard TEXT, standard_version TEXT, profile TEXT, profile_version TEXT, first_found TEXT, last_scan TEXT,
  excepted INTEGER, PRIMARY KEY (endpoint_id, id));`;

/** An INSERT … ON CONFLICT DO UPDATE of every column but the key. */
function upsert(db, table, columns, key) {
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  return db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`,
  );
}

const flag = (v) => (v === null || v === undefined ? null : v ? 1 : 0);

function endpointRow(n) {
  return [
    n.id,
    n.computerID,
    n.name,
    n.domainName,
    n.serialNumber,
    n.systemUUID,
    n.manufacturer,
    n.model,
    n.chassisType,
    flag(n.isVirtual),
    flag(n.isEncrypted),
    n.os?.name ?? null,
    n.os?.generation ?? null,
    n.os?.platform ?? null,
    n.os?.language ?? null,
    n.ipAddress,
    JSON.stringify(n.ipAddresses ?? null),
    JSON.stringify(n.macAddresses ?? null),
    n.namespace,
    n.lastLoggedInUser,
    n.primaryUser?.name ?? null,
    n.primaryUser?.email ?? null,
    n.primaryUser?.department ?? null,
    n.memory?.total ?? null,
    n.processor?.cpu ?? null,
    n.eidFirstSeen,
    n.eidLastSeen,
    n.risk?.totalScore ?? null,
    n.risk?.riskLevel ?? null,
    n.risk?.assetCriticality ?? null,
  ];
}

/** Downloads the whole fleet into a fresh SQLite file at `file`; answers what it read. */
export async function plainSync({ url, token, pageSize, file }) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const endpoint = upsert(
    db,
    'endpoints',
    SCHEMA.split('CREATE TABLE endpoints (')[1]
      .split(');')[0]
      .split(',')
      .map((c) => c.trim().split(' ')[0]),
    ['id'],
  );
  const cve = db.prepare(
    `INSERT INTO cve_findings VALUES (${new Array(14).fill('?').join(', ')})
     ON CONFLICT (endpoint_id, cve_id) DO UPDATE SET cvss_score = excluded.cvss_score, cvss_score_v3 = excluded.cvss_score_v3,
       severity = excluded.severity, severity_v3 = excluded.severity_v3, summary = excluded.summary,
       first_found = excluded.first_found, last_found = excluded.last_found, is_cisa_kev = excluded.is_cisa_kev,
       excepted = excluded.excepted, epss_score = excluded.epss_score`,
  );
  const rule = db.prepare(
    `INSERT INTO compliance_findings VALUES (${new Array(13).fill('?').join(', ')})
     ON CONFLICT (endpoint_id, id) DO UPDATE SET state = excluded.state, rule = excluded.rule,
       category = excluded.category, last_scan = excluded.last_scan, excepted = excluded.excepted`,
  );
  const store = db.transaction((edges) => {
    let rows = 0;
    for (const { node: n } of edges) {
      endpoint.run(endpointRow(n));
      rows++;
      for (const f of n.compliance?.cveFindings ?? []) {
        cve.run(
          n.id,
          f.cveId,
          f.cveYear,
          f.cvssScore,
          f.cvssScoreV3,
          f.severity,
          f.severityV3,
          f.summary,
          f.firstFound,
          f.lastFound,
          f.absoluteFirstFoundDate,
          flag(f.isCisaKev),
          flag(f.excepted),
          f.epssScore,
        );
        rows++;
      }
      for (const f of n.compliance?.complianceFindings ?? []) {
        rule.run(
          n.id,
          f.id,
          f.ruleId,
          f.rule,
          f.category,
          f.state,
          f.standard,
          f.standardVersion,
          f.profile,
          f.profileVersion,
          f.firstFoundDate,
          f.lastScanDate,
          flag(f.excepted),
        );
        rows++;
      }
    }
    return rows;
  });
  let after = null;
  let endpoints = 0;
  let rows = 0;
  let pages = 0;
  for (;;) {
    const reply = await fetch(`${url}/plugin/products/gateway/graphql`, {
      method: 'POST',
      headers: { session: token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { first: pageSize, after } }),
    });
    const body = await reply.json();
    if (!body.data?.endpoints)
      throw new Error(`Gateway answered ${reply.status}: ${JSON.stringify(body.errors)}`);
    const page = body.data.endpoints;
    rows += store(page.edges);
    endpoints += page.edges.length;
    pages++;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  db.close();
  return { endpoints, rows, pages };
}
