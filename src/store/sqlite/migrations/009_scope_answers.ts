import type { Migration } from '../../migration.js';

/**
 * How Tanium last answered each scope, so that kept rows are never stale without saying so. A scope is an
 * endpoint's CVE findings, its compliance checks, or one of its sensors. When Tanium answers `null`,
 * `[current result unavailable]` or `TSE-Error`, the scope's rows stay as they were and its status says
 * so; `answered_at` is the endpoint's `eidLastSeen` of the last real answer (Tanium's clock),
 * `checked_at` that of the latest answer, real or not.
 *
 * `vulnerabilities`, `compliance` and `sensor_readings` (now a view over `sensor_rows`) show the two as
 * columns `answered_at` and `status` after their own. Rows synced before have status `answered` and no
 * `answered_at` (not recorded then). `assets.unknown_fields` names the columns an asset row kept from an
 * earlier answer because Tanium answered them null this time (null for rows synced before).
 */
export const migration009: Migration = {
  version: 9,
  name: 'scope_answers',
  sql: `
    CREATE TABLE scope_answers (
      connection   TEXT NOT NULL,
      stream       TEXT NOT NULL,
      endpoint_id  TEXT NOT NULL,
      scope        TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('answered', 'unknown', 'unavailable', 'error')),
      answered_at  TEXT,
      checked_at   TEXT,
      seen_gen     INTEGER NOT NULL,
      PRIMARY KEY (connection, stream, endpoint_id, scope)
    ) STRICT, WITHOUT ROWID;

    INSERT INTO scope_answers (connection, stream, endpoint_id, scope, status, seen_gen)
      SELECT connection, 'vulnerabilities', endpoint_id, '', 'answered', max(seen_gen)
      FROM vulnerability_findings GROUP BY connection, endpoint_id;
    INSERT INTO scope_answers (connection, stream, endpoint_id, scope, status, seen_gen)
      SELECT connection, 'compliance', endpoint_id, '', 'answered', max(seen_gen)
      FROM compliance_findings GROUP BY connection, endpoint_id;
    INSERT INTO scope_answers (connection, stream, endpoint_id, scope, status, seen_gen)
      SELECT connection, 'sensors', endpoint_id, sensor, 'answered', max(seen_gen)
      FROM sensor_readings GROUP BY connection, endpoint_id, sensor;

    DROP VIEW vulnerabilities;
    CREATE VIEW vulnerabilities AS
      SELECT f.connection, f.endpoint_id, f.cve_id, d.cve_year, d.cvss_score, d.cvss_score_v3, d.severity,
        d.severity_v3, d.summary, f.first_found, f.last_found, f.absolute_first_found, d.is_cisa_kev,
        f.excepted, f.epss_score, a.answered_at, a.status, f.seen_gen, f.created_run, f.changed_run
      FROM vulnerability_findings f JOIN cve_details d ON d.id = f.cve_ref
      LEFT JOIN scope_answers a ON a.connection = f.connection AND a.stream = 'vulnerabilities'
        AND a.endpoint_id = f.endpoint_id AND a.scope = '';

    DROP VIEW compliance;
    CREATE VIEW compliance AS
      SELECT f.connection, f.endpoint_id, f.finding_id, r.rule_id, r.rule, r.category, f.state, r.standard,
        r.standard_version, r.profile, r.profile_version, f.first_found, f.last_scan, f.excepted,
        a.answered_at, a.status, f.seen_gen, f.created_run, f.changed_run
      FROM compliance_findings f JOIN compliance_rules r ON r.id = f.rule_ref
      LEFT JOIN scope_answers a ON a.connection = f.connection AND a.stream = 'compliance'
        AND a.endpoint_id = f.endpoint_id AND a.scope = '';

    ALTER TABLE sensor_readings RENAME TO sensor_rows;
    CREATE VIEW sensor_readings AS
      SELECT r.connection, r.endpoint_id, r.sensor, r.row_index, r.columns, a.answered_at, a.status,
        r.seen_gen, r.created_run, r.changed_run
      FROM sensor_rows r
      LEFT JOIN scope_answers a ON a.connection = r.connection AND a.stream = 'sensors'
        AND a.endpoint_id = r.endpoint_id AND a.scope = r.sensor;

    ALTER TABLE assets ADD COLUMN unknown_fields TEXT;
  `,
};
