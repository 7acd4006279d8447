import { describe, expect, it } from 'vitest';
import { assetsStream } from './assets.js';
import { complianceStream } from './compliance.js';
import { sensorsStream } from './sensors.js';
import { type EndpointNode, emptyBatch, type StreamBatch, type StreamDefinition } from './stream.js';
import { vulnerabilitiesStream } from './vulnerabilities.js';

/**
 * Contract of every stream with the shapes Tanium's schema allows: `null` or absent means "not known this
 * time" (the stored rows stay, the endpoint counts as unknown), `[]` means none (the stored rows go).
 */

const ID = '1000000042';
const SEEN = '2026-03-02T10:00:00Z';
const CVE = { cveId: 'CVE-2025-10001', cvssScoreV3: 7.5, lastFound: '2026-03-01T23:00:00Z' };
const CHECK = { id: 'oval:org.cisecurity:def:10100', ruleId: 'xccdf_rule_1.1.1', state: 'fail' };

function read(stream: StreamDefinition, node: EndpointNode, sensors: string[] = []): StreamBatch {
  const batch = emptyBatch();
  stream.read({ id: ID, eidLastSeen: SEEN, ...node }, ID, batch, { sensors });
  return batch;
}

const unknown = (scope: string[], status = 'unknown') => ({
  rows: [],
  replaced: [],
  kept: [{ scope, status, at: SEEN }],
  unknown: 1,
  quarantined: [],
});

describe.each([
  ['vulnerabilities', vulnerabilitiesStream, 'cveFindings', CVE],
  ['compliance', complianceStream, 'complianceFindings', CHECK],
] as const)('%s: null is not empty', (_name, stream, list, finding) => {
  it('compliance null or absent: not known, the stored findings stay', () => {
    expect(read(stream, { compliance: null })).toEqual(unknown([ID]));
    expect(read(stream, {})).toEqual(unknown([ID]));
  });

  it(`compliance.${list} null or absent: not known, the stored findings stay`, () => {
    expect(read(stream, { compliance: { [list]: null } })).toEqual(unknown([ID]));
    expect(read(stream, { compliance: {} })).toEqual(unknown([ID]));
  });

  it(`compliance.${list} []: answered, none (the stored findings are removed)`, () => {
    expect(read(stream, { compliance: { [list]: [] } })).toEqual({
      rows: [],
      replaced: [{ scope: [ID], status: 'answered', at: SEEN }],
      kept: [],
      unknown: 0,
      quarantined: [],
    });
  });

  it('a finding: answered, its row replaces the stored ones', () => {
    const batch = read(stream, { compliance: { [list]: [finding] } });
    expect(batch.rows).toHaveLength(1);
    expect(batch.replaced).toEqual([{ scope: [ID], status: 'answered', at: SEEN }]);
  });

  it('a quarantined finding removes nothing: the others are written, the scope kept', () => {
    const batch = read(stream, {
      compliance: {
        [list]: [finding, { cveId: 'CVE-2025-2', id: 'c2', lastFound: 'soon', lastScanDate: 'soon' }],
      },
    });
    expect(batch.rows).toHaveLength(1);
    expect(batch.quarantined).toHaveLength(1);
    expect(batch.replaced).toEqual([]);
    expect(batch.kept).toEqual([{ scope: [ID], status: 'answered', at: SEEN }]);
    expect(batch.unknown).toBe(0);
  });

  it('compliance of the wrong type: the record is quarantined, the stored findings stay', () => {
    const batch = read(stream, { compliance: 'n/a' });
    expect(batch.rows).toEqual([]);
    expect(batch.quarantined.map((q) => [q.key, q.reason])).toEqual([[ID, 'compliance is not an object']]);
    expect(batch.kept).toEqual([{ scope: [ID], status: 'unknown', at: SEEN }]);
  });
});

/** A reading as the Gateway answers it: one entry per column, parallel values. */
function reading(sensor: string, columns: Record<string, string[]>) {
  return Object.entries(columns).map(([name, values]) => ({ name, values, sensor: { name: sensor } }));
}

const PATCHES = 'Applicable Patches';
const patches = (title: string[], kb: string[], severity = title.map(() => ''), date = severity) =>
  reading(PATCHES, { Title: title, 'KB Articles': kb, Severity: severity, 'Release Date': date });

function readSensors(columns: unknown, sensors = [PATCHES]): StreamBatch {
  return read(sensorsStream, { sensorReadings: columns === undefined ? undefined : { columns } }, sensors);
}

describe('sensors: placeholders and missing answers', () => {
  it('sensorReadings null or absent, or the sensor missing from it: every sensor unknown, counted once', () => {
    for (const shape of [null, undefined]) {
      const batch = read(sensorsStream, { sensorReadings: shape }, [PATCHES, 'Online']);
      expect(batch.kept).toEqual([
        { scope: [ID, PATCHES], status: 'unknown', at: SEEN },
        { scope: [ID, 'Online'], status: 'unknown', at: SEEN },
      ]);
      expect(batch.unknown).toBe(1);
      expect(batch.rows).toEqual([]);
    }
    expect(readSensors([])).toEqual(unknown([ID, PATCHES]));
  });

  it('TSE-Error in the first column, the others empty (what a server records): error, rows kept', () => {
    const batch = readSensors(patches(['TSE-Error: Sensor script timed out'], [''], [''], ['']));
    expect(batch).toEqual(unknown([ID, PATCHES], 'error'));
  });

  it('[current result unavailable] in the first column only, or in every column: unavailable, rows kept', () => {
    const first = patches(['[current result unavailable]'], [''], [''], ['']);
    expect(readSensors(first)).toEqual(unknown([ID, PATCHES], 'unavailable'));
    const every = patches(['[current result unavailable]'], ['[current result unavailable]']);
    expect(readSensors(every)).toEqual(unknown([ID, PATCHES], 'unavailable'));
  });

  it('a placeholder in any cell of any row: no answer, nothing of the reading is stored', () => {
    const batch = readSensors(patches(['KB1 title', 'KB2 title'], ['1', 'TSE-Error: access denied']));
    expect(batch).toEqual(unknown([ID, PATCHES], 'error'));
    const online = readSensors(reading('Online', { Online: ['[current result unavailable]'] }), ['Online']);
    expect(online).toEqual(unknown([ID, 'Online'], 'unavailable'));
  });

  it('[no results] everywhere, or first with empty cells: answered, none (stored rows removed)', () => {
    const none = { rows: [], replaced: [{ scope: [ID, PATCHES], status: 'answered', at: SEEN }] };
    expect(readSensors(patches(['[no results]'], ['[no results]']))).toMatchObject(none);
    expect(readSensors(patches(['[no results]'], [''], [''], ['']))).toMatchObject(none);
  });

  it('real rows: written, [no results] in one cell is null, sentinel rows are data', () => {
    const batch = readSensors(patches(['A title', 'No Patches Required'], ['[no results]', '']));
    const scope = { endpoint_id: ID, sensor: PATCHES };
    expect(batch.rows).toEqual([
      {
        ...scope,
        row_index: 0,
        columns: { title: 'A title', kb_articles: null, severity: '', release_date: '' },
      },
      {
        ...scope,
        row_index: 1,
        columns: { title: 'No Patches Required', kb_articles: '', severity: '', release_date: '' },
      },
    ]);
    expect(batch.replaced).toEqual([{ scope: [ID, PATCHES], status: 'answered', at: SEEN }]);
    expect(batch.unknown).toBe(0);
  });
});

describe('assets: a null field keeps its stored value and is named', () => {
  const full: EndpointNode = {
    computerID: '1',
    name: 'ws-00042.example.com',
    domainName: 'example.com',
    serialNumber: 'S',
    systemUUID: 'U',
    manufacturer: 'Dell Inc.',
    model: 'Latitude',
    chassisType: 'Notebook',
    isVirtual: false,
    isEncrypted: true,
    os: { name: 'Windows 11 Enterprise', generation: 'Windows 11', platform: 'Windows', language: 'English' },
    ipAddress: '10.0.0.42',
    ipAddresses: ['10.0.0.42'],
    macAddresses: ['aa:bb:cc:dd:ee:ff'],
    namespace: '',
    lastLoggedInUser: 'EXAMPLE\\jsmith',
    primaryUser: { name: 'J Smith', email: 'j@example.com', department: 'Sales' },
    memory: { total: '16384 MB' },
    processor: { cpu: 'Intel' },
    eidFirstSeen: '2025-01-01T00:00:00Z',
    risk: { totalScore: 10, riskLevel: 'Low', assetCriticality: 'Low' },
  };
  const row = (batch: StreamBatch) => batch.rows[0]!;

  it('every field answered: unknown_fields is [], not counted', () => {
    const batch = read(assetsStream, full);
    expect(row(batch)['unknown_fields']).toEqual([]);
    expect(batch.unknown).toBe(0);
  });

  it('nullable fields null, lists null, parent objects null: null values, named in unknown_fields', () => {
    const batch = read(assetsStream, {
      ...full,
      isEncrypted: null,
      ipAddresses: null,
      macAddresses: undefined,
      risk: null,
      eidFirstSeen: null,
    });
    expect(row(batch)).toMatchObject({
      is_encrypted: null,
      ip_addresses: null,
      mac_addresses: null,
      risk_score: null,
    });
    expect(row(batch)['unknown_fields']).toEqual([
      'is_encrypted',
      'ip_addresses',
      'mac_addresses',
      'first_seen',
      'risk_score',
      'risk_level',
      'asset_criticality',
    ]);
    expect(batch.unknown).toBe(1);
    expect(assetsStream.keepWhenNull).toContain('ip_addresses');
  });

  it('an empty list is an answer: [], not unknown', () => {
    const batch = read(assetsStream, { ...full, macAddresses: [] });
    expect(row(batch)).toMatchObject({ mac_addresses: [], unknown_fields: [] });
  });

  it('risk not asked for (the tenant has no such field) is not unknown', () => {
    const batch = emptyBatch();
    const { risk: _risk, ...noRisk } = full;
    assetsStream.read({ id: ID, eidLastSeen: SEEN, ...noRisk }, ID, batch, { sensors: [], risk: false });
    expect(row(batch)['unknown_fields']).toEqual([]);
  });
});
