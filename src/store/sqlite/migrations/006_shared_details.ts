import type { Migration } from '../../migration.js';

/**
 * CVE descriptions and compliance rules stored once (the sync's speed target, docs/sync.md). A CVE's year, scores,
 * severities, summary and KEV flag, and a rule's id, text, category, standard and profile, repeated on
 * every endpoint: two thirds of the bytes a sync wrote. They move to `cve_details` and
 * `compliance_rules`, one row per distinct set of values (`key` is the JSON array of those values, as
 * the sync computes it), and the findings refer to them. `vulnerabilities` and `compliance` become
 * views with the same columns in the same order, so readers see no change.
 *
 * EPSS stays on the finding: it changes daily, and would otherwise add a CVE row a day. Existing rows
 * are carried over; a key written here may differ from the sync's for the same values (SQLite prints
 * 5.0 where JavaScript prints 5), which only leaves a duplicate that the next full pass sweeps.
 */
export const migration006: Migration = {
  version: 6,
  name: 'shared_details',
  sql: `
    CREATE TABLE cve_details (
      id            INTEGER PRIMARY KEY,
      key           TEXT NOT NULL UNIQUE,
      cve_id        TEXT NOT NULL,
      cve_year      TEXT,
      cvss_score    REAL,
      cvss_score_v3 REAL,
      severity      TEXT,
      severity_v3   TEXT,
      summary       TEXT,
      is_cisa_kev   INTEGER
    ) STRICT;

    CREATE TABLE vulnerability_findings (
      connection             TEXT NOT NULL,
      endpoint_id            TEXT NOT NULL,
      cve_id                 TEXT NOT NULL,
      first_found            TEXT,
      last_found             TEXT,
      absolute_first_found   TEXT,
      excepted               INTEGER,
      epss_score             REAL,
      cve_ref                INTEGER NOT NULL,
      seen_gen               INTEGER NOT NULL,
      created_run            INTEGER NOT NULL,
      changed_run            INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id, cve_id)
    ) STRICT, WITHOUT ROWID;

    INSERT OR IGNORE INTO cve_details (key, cve_id, cve_year, cvss_score, cvss_score_v3, severity,
        severity_v3, summary, is_cisa_kev)
      SELECT json_array(cve_id, cve_year, cvss_score, cvss_score_v3, severity, severity_v3, summary,
          is_cisa_kev), cve_id, cve_year, cvss_score, cvss_score_v3, severity, severity_v3, summary,
          is_cisa_kev
      FROM vulnerabilities;
    INSERT INTO vulnerability_findings
      SELECT v.connection, v.endpoint_id, v.cve_id, v.first_found, v.last_found, v.absolute_first_found,
        v.excepted, v.epss_score, d.id, v.seen_gen, v.created_run, v.changed_run
      FROM vulnerabilities v JOIN cve_details d ON d.key = json_array(v.cve_id, v.cve_year, v.cvss_score,
        v.cvss_score_v3, v.severity, v.severity_v3, v.summary, v.is_cisa_kev);
    DROP TABLE vulnerabilities;
    CREATE VIEW vulnerabilities AS
      SELECT f.connection, f.endpoint_id, f.cve_id, d.cve_year, d.cvss_score, d.cvss_score_v3, d.severity,
        d.severity_v3, d.summary, f.first_found, f.last_found, f.absolute_first_found, d.is_cisa_kev,
        f.excepted, f.epss_score, f.seen_gen, f.created_run, f.changed_run
      FROM vulnerability_findings f JOIN cve_details d ON d.id = f.cve_ref;

    CREATE TABLE compliance_rules (
      id               INTEGER PRIMARY KEY,
      key              TEXT NOT NULL UNIQUE,
      rule_id          TEXT,
      rule             TEXT,
      category         TEXT,
      standard         TEXT,
      standard_version TEXT,
      profile          TEXT,
      profile_version  TEXT
    ) STRICT;

    CREATE TABLE compliance_findings (
      connection       TEXT NOT NULL,
      endpoint_id      TEXT NOT NULL,
      finding_id       TEXT NOT NULL,
      state            TEXT,
      first_found      TEXT,
      last_scan        TEXT,
      excepted         INTEGER,
      rule_ref         INTEGER NOT NULL,
      seen_gen         INTEGER NOT NULL,
      created_run      INTEGER NOT NULL,
      changed_run      INTEGER NOT NULL,
      PRIMARY KEY (connection, endpoint_id, finding_id)
    ) STRICT, WITHOUT ROWID;

    INSERT OR IGNORE INTO compliance_rules (key, rule_id, rule, category, standard, standard_version,
        profile, profile_version)
      SELECT json_array(rule_id, rule, category, standard, standard_version, profile, profile_version),
        rule_id, rule, category, standard, standard_version, profile, profile_version
      FROM compliance;
    INSERT INTO compliance_findings
      SELECT c.connection, c.endpoint_id, c.finding_id, c.state, c.first_found, c.last_scan, c.excepted,
        r.id, c.seen_gen, c.created_run, c.changed_run
      FROM compliance c JOIN compliance_rules r ON r.key = json_array(c.rule_id, c.rule, c.category,
        c.standard, c.standard_version, c.profile, c.profile_version);
    DROP TABLE compliance;
    CREATE VIEW compliance AS
      SELECT f.connection, f.endpoint_id, f.finding_id, r.rule_id, r.rule, r.category, f.state, r.standard,
        r.standard_version, r.profile, r.profile_version, f.first_found, f.last_scan, f.excepted,
        f.seen_gen, f.created_run, f.changed_run
      FROM compliance_findings f JOIN compliance_rules r ON r.id = f.rule_ref;
  `,
};
