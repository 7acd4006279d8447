import type { Migration } from '../../migration.js';

/** Text compared byte by byte, as SQLite's BINARY collation does, whatever the database's default. */
const T = 'text COLLATE "C"';
const MARKS = `seen_gen    integer NOT NULL,
      created_run integer NOT NULL,
      changed_run integer NOT NULL`;

/**
 * The sync engine on PostgreSQL (docs/sync.md, docs/store.md "PostgreSQL"): the layout of SQLite's
 * migrations 4, 5, 6, 8 and 9 in one step, with native types: booleans, JSON as `jsonb` (`json` where
 * the text is kept as written: a sensor's columns in Tanium's order, quarantined records as received),
 * stream integers as `bigint`. Times stay RFC 3339 text as Tanium wrote them, so comparisons and
 * cursors behave as on SQLite.
 *
 * Every stream row carries `seen_gen` (the collection generation that last saw it), `created_run` and
 * `changed_run`. CVE descriptions and compliance rules are kept once per distinct set of values
 * (`key`: an MD5 of the values as JSON, computed by the page writer) and the findings refer to them;
 * `shared_sweeps` counts the sweeps of those tables, so writers know when ids they remember may be
 * gone (src/store/postgres/sharedDetails.ts). The views
 * `vulnerabilities`, `compliance` and `sensor_readings` show the stream's columns, then `answered_at`
 * and `status` from `scope_answers`. Their joins are LATERAL with LIMIT 1 (which the planner cannot flatten)
 * on purpose: each row reaches its details and its answer by key, as SQLite does, whatever the
 * statistics say (tables filled by a first sync have none until analysed, and the planner then scanned
 * every answer once per row). Each complete pass analyses the tables it wrote (src/store/postgres/sync.ts). Host names, serial numbers and e-mail addresses compare without
 * regard to ASCII case where SQLite declares them NOCASE: lookups and sorts use `lower()`, indexed.
 */
export const migration002: Migration = {
  version: 2,
  name: 'sync',
  sql: `
    CREATE TABLE assets (
      connection          ${T} NOT NULL,
      endpoint_id         ${T} NOT NULL,
      computer_id         ${T},
      name                ${T},
      domain_name         ${T},
      serial_number       ${T},
      system_uuid         ${T},
      manufacturer        ${T},
      model               ${T},
      chassis_type        ${T},
      is_virtual          boolean,
      is_encrypted        boolean,
      os_name             ${T},
      os_generation       ${T},
      os_platform         ${T},
      os_language         ${T},
      ip_address          ${T},
      ip_addresses        jsonb,
      mac_addresses       jsonb,
      namespace           ${T},
      last_logged_in_user ${T},
      user_name           ${T},
      user_email          ${T},
      user_department     ${T},
      memory_total        ${T},
      processor_cpu       ${T},
      first_seen          ${T},
      last_seen           ${T},
      risk_score          bigint,
      risk_level          ${T},
      asset_criticality   ${T},
      unknown_fields      jsonb,
      ${MARKS},
      PRIMARY KEY (connection, endpoint_id)
    );
    CREATE INDEX assets_posture_serial ON assets (connection, lower(serial_number));
    CREATE INDEX assets_posture_computer ON assets (connection, computer_id);
    CREATE INDEX assets_posture_name ON assets (connection, lower(name));

    CREATE TABLE asset_addresses (
      connection  ${T} NOT NULL,
      endpoint_id ${T} NOT NULL,
      address     ${T} NOT NULL,
      kind        ${T} NOT NULL CHECK (kind IN ('ip', 'mac')),
      PRIMARY KEY (connection, endpoint_id, address)
    );
    CREATE INDEX asset_addresses_address ON asset_addresses (connection, lower(address));

    CREATE TABLE cve_details (
      id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key           ${T} NOT NULL UNIQUE,
      cve_id        ${T} NOT NULL,
      cve_year      ${T},
      cvss_score    double precision,
      cvss_score_v3 double precision,
      severity      ${T},
      severity_v3   ${T},
      summary       ${T},
      is_cisa_kev   boolean
    );

    CREATE SEQUENCE shared_sweeps;

    CREATE TABLE vulnerability_findings (
      connection           ${T} NOT NULL,
      endpoint_id          ${T} NOT NULL,
      cve_id               ${T} NOT NULL,
      first_found          ${T},
      last_found           ${T},
      absolute_first_found ${T},
      excepted             boolean,
      epss_score           double precision,
      cve_ref              integer NOT NULL,
      ${MARKS},
      PRIMARY KEY (connection, endpoint_id, cve_id)
    );

    CREATE TABLE compliance_rules (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key              ${T} NOT NULL UNIQUE,
      rule_id          ${T},
      rule             ${T},
      category         ${T},
      standard         ${T},
      standard_version ${T},
      profile          ${T},
      profile_version  ${T}
    );

    CREATE TABLE compliance_findings (
      connection  ${T} NOT NULL,
      endpoint_id ${T} NOT NULL,
      finding_id  ${T} NOT NULL,
      state       ${T},
      first_found ${T},
      last_scan   ${T},
      excepted    boolean,
      rule_ref    integer NOT NULL,
      ${MARKS},
      PRIMARY KEY (connection, endpoint_id, finding_id)
    );

    CREATE TABLE sensor_rows (
      connection  ${T} NOT NULL,
      endpoint_id ${T} NOT NULL,
      sensor      ${T} NOT NULL,
      row_index   bigint NOT NULL,
      columns     json NOT NULL,
      ${MARKS},
      PRIMARY KEY (connection, endpoint_id, sensor, row_index)
    );

    CREATE TABLE scope_answers (
      connection  ${T} NOT NULL,
      stream      ${T} NOT NULL,
      endpoint_id ${T} NOT NULL,
      scope       ${T} NOT NULL,
      status      ${T} NOT NULL CHECK (status IN ('answered', 'unknown', 'unavailable', 'error')),
      answered_at ${T},
      checked_at  ${T},
      seen_gen    integer NOT NULL,
      PRIMARY KEY (connection, stream, endpoint_id, scope)
    );

    CREATE VIEW vulnerabilities AS
      SELECT f.connection, f.endpoint_id, f.cve_id, d.cve_year, d.cvss_score, d.cvss_score_v3, d.severity,
        d.severity_v3, d.summary, f.first_found, f.last_found, f.absolute_first_found, d.is_cisa_kev,
        f.excepted, f.epss_score, a.answered_at, a.status, f.seen_gen, f.created_run, f.changed_run
      FROM vulnerability_findings f
      CROSS JOIN LATERAL (SELECT * FROM cve_details d WHERE d.id = f.cve_ref LIMIT 1) d
      LEFT JOIN LATERAL (SELECT answered_at, status FROM scope_answers a WHERE a.connection = f.connection
        AND a.stream = 'vulnerabilities' AND a.endpoint_id = f.endpoint_id AND a.scope = '' LIMIT 1) a ON true;

    CREATE VIEW compliance AS
      SELECT f.connection, f.endpoint_id, f.finding_id, r.rule_id, r.rule, r.category, f.state, r.standard,
        r.standard_version, r.profile, r.profile_version, f.first_found, f.last_scan, f.excepted,
        a.answered_at, a.status, f.seen_gen, f.created_run, f.changed_run
      FROM compliance_findings f
      CROSS JOIN LATERAL (SELECT * FROM compliance_rules r WHERE r.id = f.rule_ref LIMIT 1) r
      LEFT JOIN LATERAL (SELECT answered_at, status FROM scope_answers a WHERE a.connection = f.connection
        AND a.stream = 'compliance' AND a.endpoint_id = f.endpoint_id AND a.scope = '' LIMIT 1) a ON true;

    CREATE VIEW sensor_readings AS
      SELECT r.connection, r.endpoint_id, r.sensor, r.row_index, r.columns, a.answered_at, a.status,
        r.seen_gen, r.created_run, r.changed_run
      FROM sensor_rows r
      LEFT JOIN LATERAL (SELECT answered_at, status FROM scope_answers a WHERE a.connection = r.connection
        AND a.stream = 'sensors' AND a.endpoint_id = r.endpoint_id AND a.scope = r.sensor LIMIT 1) a ON true;

    CREATE TABLE sync_settings (
      connection         ${T} PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      sensors            jsonb NOT NULL DEFAULT '[]',
      margin_ms          bigint NOT NULL DEFAULT 600000,
      reconcile_every    integer NOT NULL DEFAULT 24,
      headers_timeout_ms integer,
      body_timeout_ms    integer,
      updated_at         ${T} NOT NULL
    );

    CREATE TABLE sync_checkpoints (
      connection    ${T} NOT NULL,
      stream        ${T} NOT NULL,
      generation    integer NOT NULL,
      mode          ${T} NOT NULL CHECK (mode IN ('full', 'incremental')),
      status        ${T} NOT NULL CHECK (status IN ('running', 'complete')),
      cursor        ${T},
      resume_key    ${T},
      since         ${T},
      pass_max_seen ${T},
      watermark     ${T},
      incrementals  integer NOT NULL DEFAULT 0,
      page_size     integer NOT NULL DEFAULT 100,
      pages         integer NOT NULL DEFAULT 0,
      run_id        integer NOT NULL,
      last_full_at  ${T},
      updated_at    ${T} NOT NULL,
      PRIMARY KEY (connection, stream)
    );

    CREATE TABLE sync_runs (
      id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      connection   ${T} NOT NULL,
      mode         ${T} NOT NULL,
      streams      jsonb NOT NULL,
      status       ${T} NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
      started_at   ${T} NOT NULL,
      finished_at  ${T},
      summary      jsonb,
      error        ${T},
      owner        ${T},
      pages        integer NOT NULL DEFAULT 0,
      heartbeat_at ${T}
    );
    CREATE INDEX sync_runs_connection ON sync_runs (connection, id);
    CREATE INDEX sync_runs_running ON sync_runs (connection) WHERE status = 'running';

    CREATE TABLE quarantine (
      connection ${T} NOT NULL,
      stream     ${T} NOT NULL,
      record_key ${T} NOT NULL,
      reason     ${T} NOT NULL,
      raw        json NOT NULL,
      run_id     integer NOT NULL,
      created_at ${T} NOT NULL,
      PRIMARY KEY (connection, stream, record_key)
    );
  `,
};
