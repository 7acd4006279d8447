import { describe, expect, it } from 'vitest';
import { assetsStream } from './assets.js';
import { complianceStream } from './compliance.js';
import { sensorsStream, snakeCase } from './sensors.js';
import { type EndpointNode, emptyBatch } from './stream.js';
import { vulnerabilitiesStream } from './vulnerabilities.js';

/** A node as the emulator's Gateway answers it (trimmed). */
function node(): EndpointNode {
  return {
    id: '1000000011',
    computerID: '1725383359',
    name: 'srv-00000.example.com',
    domainName: 'example.com',
    serialNumber: '1LX6DUF',
    systemUUID: 'D0C0D097-B57C-47DD-AF78-5115036D39CB',
    manufacturer: 'Dell Inc.',
    model: 'PowerEdge R750',
    chassisType: 'Server',
    isVirtual: false,
    isEncrypted: true,
    os: {
      name: 'Windows Server 2019 Datacenter',
      generation: 'Windows Server 2019',
      platform: 'Windows',
      language: 'English',
    },
    ipAddress: '10.0.0.2',
    ipAddresses: ['10.0.0.2'],
    macAddresses: ['f4:02:70:89:90:c0'],
    namespace: '',
    lastLoggedInUser: '',
    primaryUser: { name: '', email: '', department: '' },
    memory: { total: '131072 MB' },
    processor: { cpu: 'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz' },
    eidFirstSeen: '2025-04-02T04:01:55Z',
    eidLastSeen: '2026-11-23T09:40:18Z',
    risk: { totalScore: 416, riskLevel: 'Medium', assetCriticality: 'Critical' },
    compliance: {
      cveFindings: [
        {
          cveId: 'CVE-2024-41739',
          cvssScore: 5.5,
          cvssScoreV3: 5.5,
          severity: 'Medium',
          severityV3: 'Medium',
          summary: 'x',
          firstFound: '2026-07-09T23:05:24Z',
          lastFound: '2026-11-22T23:05:24Z',
          absoluteFirstFoundDate: '2026-07-09T23:05:24Z',
          isCisaKev: false,
          excepted: false,
          epssScore: 0.01,
        },
        { cveYear: '2024', cvssScoreV3: 7.3 },
        { cveId: 'CVE-2023-47712', cvssScore: null, cvssScoreV3: 6.6, lastFound: 'last tuesday' },
      ],
      complianceFindings: [
        {
          id: 'oval:org.cisecurity:def:10400',
          ruleId: 'xccdf_rule_1.1.1',
          rule: 'Ensure history',
          category: 'Account Policies',
          state: 'pass',
          standard: 'CIS',
          standardVersion: '3.0.1',
          profile: 'Level 1',
          profileVersion: '3.0.1',
          firstFoundDate: '2026-09-06T23:05:24Z',
          lastScanDate: '2026-11-22T23:05:24Z',
          excepted: false,
        },
        { ruleId: 'xccdf_rule_1.1.2', state: 'fail' },
        { state: 'fail' },
      ],
    },
    sensorReadings: {
      columns: [
        { name: 'Title', values: ['KB5034441', 'KB5034439'], sensor: { name: 'Applicable Patches' } },
        { name: 'KB Articles', values: ['5034441', '[no results]'], sensor: { name: 'Applicable Patches' } },
        { name: 'Online', values: ['[current result unavailable]'], sensor: { name: 'Online' } },
        { name: 'Name', values: ['[no results]'], sensor: { name: 'Installed Applications' } },
        { name: 'Version', values: ['[no results]'], sensor: { name: 'Installed Applications' } },
        { name: 'A', values: ['1', '2'], sensor: { name: 'Broken' } },
        { name: 'B', values: ['1'], sensor: { name: 'Broken' } },
      ],
    },
  };
}

describe('stream mappings', () => {
  it('assets: one record with every field, native values (booleans, lists)', () => {
    const batch = emptyBatch();
    assetsStream.read(node(), '1000000011', batch, { sensors: [] });
    expect(batch.rows).toHaveLength(1);
    const row = batch.rows[0]!;
    expect(Object.keys(row)).toEqual(assetsStream.fields.map((f) => f.name));
    expect(row).toMatchObject({
      endpoint_id: '1000000011',
      serial_number: '1LX6DUF',
      is_virtual: false,
      is_encrypted: true,
      ip_addresses: ['10.0.0.2'],
      mac_addresses: ['f4:02:70:89:90:c0'],
      unknown_fields: [],
      last_seen: '2026-11-23T09:40:18Z',
      risk_score: 416,
    });
  });

  it("assets: a risk score with a fraction (Tanium's totalScore is an Int) quarantines the record", () => {
    const bad = { ...node(), risk: { totalScore: 41.5, riskLevel: 'Medium', assetCriticality: 'Critical' } };
    const batch = emptyBatch();
    assetsStream.read(bad, '1000000011', batch, { sensors: [] });
    expect(batch.rows).toEqual([]);
    expect(batch.quarantined.map((q) => q.reason)).toEqual(['totalScore is not a whole number']);
  });

  it('assets: a malformed time quarantines the record and keeps the stored asset', () => {
    const bad = { ...node(), eidFirstSeen: 'yesterday' };
    const batch = emptyBatch();
    assetsStream.read(bad, '1000000011', batch, { sensors: [] });
    expect(batch.rows).toEqual([]);
    expect(batch.quarantined.map((q) => [q.stream, q.key, q.reason])).toEqual([
      ['assets', '1000000011', 'eidFirstSeen is not an RFC 3339 time: "yesterday"'],
    ]);
    expect(batch.kept).toEqual([{ scope: ['1000000011'], status: 'unknown', at: '2026-11-23T09:40:18Z' }]);
  });

  it('vulnerabilities: a finding without cveId or with a malformed time is quarantined, the others kept', () => {
    const batch = emptyBatch();
    vulnerabilitiesStream.read(node(), '1000000011', batch, { sensors: [] });
    expect(batch.rows).toEqual([
      {
        endpoint_id: '1000000011',
        cve_id: 'CVE-2024-41739',
        cve_year: null,
        cvss_score: 5.5,
        cvss_score_v3: 5.5,
        severity: 'Medium',
        severity_v3: 'Medium',
        summary: 'x',
        first_found: '2026-07-09T23:05:24Z',
        last_found: '2026-11-22T23:05:24Z',
        absolute_first_found: '2026-07-09T23:05:24Z',
        is_cisa_kev: false,
        excepted: false,
        epss_score: 0.01,
      },
    ]);
    expect(Object.keys(batch.rows[0]!)).toEqual(vulnerabilitiesStream.fields.map((f) => f.name));
    // A refused finding may be a stored one: the scope is answered but nothing is removed.
    expect(batch.replaced).toEqual([]);
    expect(batch.kept).toEqual([{ scope: ['1000000011'], status: 'answered', at: '2026-11-23T09:40:18Z' }]);
    expect(batch.quarantined.map((q) => [q.key, q.reason])).toEqual([
      ['1000000011/?', 'cveId is missing'],
      ['1000000011/CVE-2023-47712', 'lastFound is not an RFC 3339 time: "last tuesday"'],
    ]);
  });

  it('compliance: the check id is the key, ruleId when id is absent; neither is quarantined', () => {
    const batch = emptyBatch();
    complianceStream.read(node(), '1000000011', batch, { sensors: [] });
    expect(batch.rows.map((r) => r['finding_id'])).toEqual([
      'oval:org.cisecurity:def:10400',
      'xccdf_rule_1.1.2',
    ]);
    expect(batch.rows[0]).toMatchObject({ rule_id: 'xccdf_rule_1.1.1', state: 'pass', excepted: false });
    expect(Object.keys(batch.rows[1]!)).toEqual(complianceStream.fields.map((f) => f.name));
    expect(batch.quarantined).toHaveLength(1);
    expect(batch.quarantined[0]!.reason).toBe('id and ruleId are missing');
  });

  it('sensors: multi-row readings, snake_case columns and explicit placeholders', () => {
    const sensors = ['Applicable Patches', 'Online', 'Installed Applications', 'Broken', 'Missing'];
    const batch = emptyBatch();
    sensorsStream.read(node(), '1000000011', batch, { sensors });
    const patches = { endpoint_id: '1000000011', sensor: 'Applicable Patches' };
    expect(batch.rows).toEqual([
      { ...patches, row_index: 0, columns: { title: 'KB5034441', kb_articles: '5034441' } },
      { ...patches, row_index: 1, columns: { title: 'KB5034439', kb_articles: null } },
    ]);
    // [no results] everywhere: the sensor has no rows now; unavailable or absent: keep what we had.
    const at = '2026-11-23T09:40:18Z';
    expect(batch.replaced).toEqual([
      { scope: ['1000000011', 'Applicable Patches'], status: 'answered', at },
      { scope: ['1000000011', 'Installed Applications'], status: 'answered', at },
    ]);
    expect(batch.kept).toEqual([
      { scope: ['1000000011', 'Online'], status: 'unavailable', at },
      { scope: ['1000000011', 'Broken'], status: 'unknown', at },
      { scope: ['1000000011', 'Missing'], status: 'unknown', at },
    ]);
    expect(batch.unknown).toBe(1);
    expect(batch.quarantined.map((q) => [q.key, q.reason])).toEqual([
      ['1000000011/Broken', 'columns have different numbers of rows'],
    ]);
    expect(sensorsStream.selection({ sensors: ['Online'] })).toContain('{ name: "Online" }');
  });

  it('snake_case column names', () => {
    expect(snakeCase('KB Articles')).toBe('kb_articles');
    expect(snakeCase('Silent Uninstall String')).toBe('silent_uninstall_string');
    expect(snakeCase('computerID')).toBe('computer_id');
    expect(snakeCase(' Disk Used %')).toBe('disk_used');
  });
});
