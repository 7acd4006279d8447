import { describe, expect, it } from 'vitest';
import { createFleet, type FleetView, UnknownSensorError } from './index.js';

const DAY = 86_400_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const big = createFleet({ size: 10_000, seed: 'acme' });
const small = createFleet({ size: 3_000, seed: 7 });

function bruteTruth(v: FleetView) {
  let endpoints = 0;
  let cve = 0;
  let compliance = 0;
  let stale7 = 0;
  let stale30 = 0;
  for (const i of v.indices()) {
    endpoints++;
    cve += v.cveFindings(i).length;
    compliance += v.complianceFindings(i).length;
    const age = v.at - Date.parse(v.endpoint(i).eidLastSeen);
    if (age > 7 * DAY) stale7++;
    if (age > 30 * DAY) stale30++;
  }
  return { endpoints, cve, compliance, stale7, stale30 };
}

describe('fleet generation', () => {
  it('gives the same endpoints and findings for the same seed, and different ones for another seed', () => {
    const a = createFleet({ size: 2_000, seed: 'acme' }).view(Date.UTC(2026, 0, 3));
    const b = createFleet({ size: 2_000, seed: 'acme' }).view(Date.UTC(2026, 0, 3));
    const other = createFleet({ size: 2_000, seed: 'other' }).view(Date.UTC(2026, 0, 3));
    for (const i of [0, 1, 17, 500, 1999]) {
      expect(a.endpoint(i)).toEqual(b.endpoint(i));
      expect(a.cveFindings(i)).toEqual(b.cveFindings(i));
      expect(a.complianceFindings(i)).toEqual(b.complianceFindings(i));
      expect(a.sensorReading(i, 'Installed Applications')).toEqual(
        b.sensorReading(i, 'Installed Applications'),
      );
    }
    expect(a.truth()).toEqual(b.truth());
    const differing = [0, 1, 17, 500, 1999].filter(
      (i) => JSON.stringify(a.endpoint(i)) !== JSON.stringify(other.endpoint(i)),
    );
    expect(differing.length).toBe(5);
    expect(a.truth().cveFindings).not.toBe(other.truth().cveFindings);
  });

  it('has exactly `size` endpoints at epoch and unique identities across 10,000', () => {
    const v = big.view(big.epoch);
    expect(v.count()).toBe(10_000);
    const seen = {
      id: new Set<string>(),
      computerID: new Set<string>(),
      name: new Set<string>(),
      serial: new Set<string>(),
    };
    const uuids = new Set<string>();
    let previousId = 0;
    for (const i of v.indices()) {
      const e = v.endpoint(i);
      expect(Number(e.id)).toBeGreaterThan(previousId);
      previousId = Number(e.id);
      expect(e.computerID).not.toBe(e.id);
      seen.id.add(e.id);
      seen.computerID.add(e.computerID);
      seen.name.add(e.name);
      seen.serial.add(e.serialNumber);
      uuids.add(e.systemUUID);
      expect(big.indexOfId(e.id)).toBe(i);
    }
    for (const set of Object.values(seen)) expect(set.size).toBe(10_000);
    expect(uuids.size).toBe(10_000);
    expect(big.indexOfId('123')).toBe(-1);
  });

  it("uses Tanium's field names and types", () => {
    const v = small.view(small.epoch + 2 * DAY);
    const platforms = new Set<string>();
    for (const i of [...v.indices()].slice(0, 300)) {
      const e = v.endpoint(i);
      platforms.add(e.os.platform);
      for (const key of [
        'id',
        'computerID',
        'name',
        'domainName',
        'serialNumber',
        'systemUUID',
        'manufacturer',
        'model',
        'chassisType',
        'ipAddress',
        'namespace',
        'lastLoggedInUser',
      ] as const) {
        expect(typeof e[key]).toBe('string');
      }
      expect(e.id).toMatch(/^\d+$/);
      expect(e.computerID).toMatch(/^\d+$/);
      expect(e.name).toMatch(/^(ws|srv|mac|lnx)-\d{5,}\.example\.com$/);
      expect(e.ipAddress).toMatch(/^10\.\d+\.\d+\.\d+$/);
      expect(e.macAddresses[0]).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(e.eidFirstSeen).toMatch(RFC3339);
      expect(e.eidLastSeen).toMatch(RFC3339);
      expect(e.eidFirstSeen <= e.eidLastSeen).toBe(true);
      expect(typeof e.isVirtual).toBe('boolean');
      expect(typeof e.isEncrypted).toBe('boolean');
      expect(['Windows', 'Mac', 'Linux']).toContain(e.os.platform);
      expect(e.os.windows === null).toBe(e.os.platform !== 'Windows');
      expect(e.memory.total).toMatch(/^\d+ MB$/);
      expect(e.processor.speed).toMatch(/^\d+ Mhz$/);
      expect(Number.isInteger(e.processor.logicalProcessors)).toBe(true);
      expect(e.disks[0]?.usedPercentage).toMatch(/^\d+%$/);
      expect(e.risk.totalScore).toBeGreaterThanOrEqual(1);
      expect(e.risk.totalScore).toBeLessThanOrEqual(1000);
      expect(['Low', 'Medium', 'High', 'Critical']).toContain(e.risk.riskLevel);
      expect(e.installedApplications.length).toBeGreaterThan(0);
      for (const f of v.cveFindings(i)) {
        expect(f.cveId).toMatch(/^CVE-\d{4}-\d{4,}$/);
        expect(f.cveId.slice(4, 8)).toBe(f.cveYear);
        expect(f.cvssScore === null || typeof f.cvssScore === 'number').toBe(true);
        expect(['Unscored', 'Low', 'Medium', 'High']).toContain(f.severity);
        expect(['Unscored', 'None', 'Low', 'Medium', 'High', 'Critical']).toContain(f.severityV3);
        if (f.cvssScoreV3 !== null && f.cvssScoreV3 >= 9) expect(f.severityV3).toBe('Critical');
        for (const d of [f.firstFound, f.lastFound, f.absoluteFirstFoundDate]) expect(d).toMatch(RFC3339);
        expect(f.absoluteFirstFoundDate <= f.firstFound && f.firstFound <= f.lastFound).toBe(true);
        expect(f.lastFound <= e.eidLastSeen).toBe(true);
        expect(typeof f.isCisaKev).toBe('boolean');
        expect(f.epssScore).toBeGreaterThanOrEqual(0);
        expect(f.epssScore).toBeLessThanOrEqual(1);
      }
      for (const f of v.complianceFindings(i)) {
        expect(['pass', 'fail', 'error', 'notapplicable']).toContain(f.state);
        expect(f.firstFoundDate <= f.lastScanDate).toBe(true);
        expect(f.lastScanDate).toMatch(RFC3339);
        expect(f.standard.length).toBeGreaterThan(0);
      }
    }
    expect(platforms).toEqual(new Set(['Windows', 'Mac', 'Linux']));
  });

  it('skews CVE counts: a small median, some endpoints with 100 or more', () => {
    const v = big.view(big.epoch);
    const counts = [...v.indices()].map((i) => v.cveFindings(i).length).sort((x, y) => x - y);
    const median = counts[counts.length >> 1] ?? 0;
    expect(median).toBeLessThanOrEqual(10);
    expect(counts.filter((n) => n >= 100).length).toBeGreaterThan(20);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(0);
  });

  it('starts with endpoints stale beyond 7 and beyond 30 days', () => {
    const t = big.view(big.epoch).truth();
    expect(t.staleOver7Days).toBeGreaterThan(100);
    expect(t.staleOver30Days).toBeGreaterThan(50);
    expect(t.staleOver30Days).toBeLessThan(t.staleOver7Days);
    expect(t.retired).toBe(0);
    expect(t.enrolled).toBe(0);
  });
});

describe('churn', () => {
  const t1 = small.epoch + DAY;
  const t2 = small.epoch + 6 * DAY;
  const v1 = small.view(t1);
  const v2 = small.view(t2);

  it('truth equals a brute-force count, before and after the clock moves', () => {
    for (const v of [v1, v2]) {
      const brute = bruteTruth(v);
      const truth = v.truth();
      expect(truth.endpoints).toBe(brute.endpoints);
      expect(truth.cveFindings).toBe(brute.cve);
      expect(truth.complianceFindings).toBe(brute.compliance);
      expect(truth.staleOver7Days).toBe(brute.stale7);
      expect(truth.staleOver30Days).toBe(brute.stale30);
      const byState = Object.values(truth.complianceByState).reduce((a, b) => a + b, 0);
      expect(byState).toBe(truth.complianceFindings);
    }
  });

  it('retires and enrolls endpoints, finds and remediates CVEs, flips compliance states, moves eidLastSeen', () => {
    const a = v1.truth();
    const b = v2.truth();
    expect(b.retired).toBeGreaterThan(a.retired);
    expect(b.enrolled).toBeGreaterThan(a.enrolled);
    expect(b.endpoints).toBe(3_000 + b.enrolled - b.retired);
    let moved = 0;
    let both = 0;
    let found = 0;
    let remediated = 0;
    let flipped = 0;
    for (const i of v1.indices()) {
      if (!v2.isLive(i)) continue;
      both++;
      if (v2.eidLastSeen(i) > v1.eidLastSeen(i)) moved++;
      const before = new Set(v1.cveFindings(i).map((f) => f.cveId));
      const after = new Set(v2.cveFindings(i).map((f) => f.cveId));
      for (const id of after) if (!before.has(id)) found++;
      for (const id of before) if (!after.has(id)) remediated++;
      const states1 = v1.complianceFindings(i);
      const states2 = v2.complianceFindings(i);
      states2.forEach((f, n) => {
        if (states1[n] !== undefined && states1[n].state !== f.state) flipped++;
      });
    }
    expect(moved / both).toBeGreaterThan(0.8);
    expect(found).toBeGreaterThan(0);
    expect(remediated).toBeGreaterThan(0);
    expect(flipped).toBeGreaterThan(0);
  });

  it('removes retired endpoints and their findings', () => {
    const retired = [...v1.indices()].filter((i) => !v2.isLive(i));
    expect(retired.length).toBeGreaterThan(0);
    const live2 = new Set(v2.live());
    for (const i of retired) {
      expect(live2.has(i)).toBe(false);
      expect(() => v2.endpoint(i)).toThrow(RangeError);
      expect(() => v2.cveFindings(i)).toThrow(RangeError);
      expect(() => v2.complianceFindings(i)).toThrow(RangeError);
      expect(v2.isMember(i, { name: 'All Computers' })).toBe(false);
    }
    const enrolled = [...v2.indices()].filter((i) => !v1.isLive(i));
    expect(enrolled.length).toBeGreaterThan(0);
    for (const i of enrolled) expect(Date.parse(v2.endpoint(i).eidFirstSeen)).toBeGreaterThan(t1);
  });

  it('selects endpoints by eidLastSeen exactly as a brute-force filter does', () => {
    for (const [ms, op] of [
      [t2 - 3 * DAY, 'GT'],
      [t2 - 40 * DAY, 'GT'],
      [t2 - 3_600_000, 'GTE'],
    ] as const) {
      const expected = [...v2.indices()].filter((i) =>
        op === 'GT' ? v2.eidLastSeen(i) > ms : v2.eidLastSeen(i) >= ms,
      );
      expect([...v2.seenSince(ms, op)]).toEqual(expected);
    }
    const seen = v2.eidLastSeen(v2.live()[5] as number);
    expect([...v2.seenSince(seen, 'GTE')]).toContain(v2.live()[5]);
    expect([...v2.seenSince(seen, 'GT')]).not.toContain(v2.live()[5]);
  });
});

describe('sensors and groups', () => {
  const v = small.view(small.epoch);

  it('reads single- and multi-column sensors with parallel values', () => {
    const i = v.live()[3] as number;
    const e = v.endpoint(i);
    expect(v.sensorReading(i, 'Computer Name').columns).toEqual([
      { name: 'Computer Name', values: [e.name] },
    ]);
    expect(v.sensorReading(i, 'computer serial number').columns[0]?.values).toEqual([e.serialNumber]);
    const apps = v.sensorReading(i, 'Installed Applications').columns;
    expect(apps.map((col) => col.name)).toEqual([
      'Name',
      'Version',
      'Silent Uninstall String',
      'Uninstallable',
    ]);
    const rows = apps[0]?.values.length;
    for (const col of apps) expect(col.values.length).toBe(rows);
    expect(() => v.sensorReading(i, 'No Such Sensor')).toThrow(UnknownSensorError);
    expect(() => v.sensorReading(i, 'No Such Sensor')).toThrow(/No Such Sensor/);
    expect(() => v.sensorReading(i, 'File Exists')).toThrow(/filePath/);
    expect(
      v.sensorReading(i, 'File Exists', [{ name: 'filePath', value: 'C:\\Tanium.txt' }]).columns[0]
        ?.values[0],
    ).toMatch(/^File exists/);
  });

  it("shows Tanium's placeholders and sentinel rows for a share of readings", () => {
    const values = new Set<string>();
    for (const i of v.live()) {
      for (const name of ['Applicable Patches', 'Installed Applications', 'Last Logged In User']) {
        for (const value of v.sensorReading(i, name).columns[0]?.values ?? []) values.add(value);
      }
    }
    expect(values).toContain('[no results]');
    expect(values).toContain('[current result unavailable]');
    expect(values).toContain('No Patches Required');
  });

  it('derives group membership from endpoint data', () => {
    const names = v.groups().map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(['All Computers', 'All Windows', 'All Mac', 'All Linux']));
    let windows = 0;
    for (const i of v.live()) {
      const platform = v.endpoint(i).os.platform;
      expect(v.isMember(i, { name: 'All Windows' })).toBe(platform === 'Windows');
      expect(v.isMember(i, { id: '1' })).toBe(true);
      if (platform === 'Windows') windows++;
    }
    expect(windows / v.count()).toBeGreaterThan(0.6);
    expect(windows / v.count()).toBeLessThan(0.8);
    expect(v.isMember(v.live()[0] as number, { name: 'No Such Group' })).toBe(false);
  });
});
