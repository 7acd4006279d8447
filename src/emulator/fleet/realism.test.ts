import { describe, expect, it } from 'vitest';
import { createFleet, NO_RESULTS, UNAVAILABLE } from './index.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 1, 10, 12);
const fleet = (seed: number | string, realism: number) =>
  createFleet({ size: 3_000, seed, epoch: Date.UTC(2026, 0, 1), realism });

/** Live endpoints of the view and their gaps. */
function gapsOf(seed: number | string, realism: number, t = T) {
  const v = fleet(seed, realism).view(t);
  return [...v.indices()].map((i) => ({ i, gaps: v.gaps(i), seen: v.eidLastSeen(i) }));
}

describe('realism: gaps Tanium may give', () => {
  it('is off by default: no gap, and the answers hold everything the endpoints have', () => {
    const v = createFleet({ size: 1_000, seed: 3 }).view(T);
    for (const i of v.indices()) expect(v.gaps(i).endpointFields).toEqual([]);
    const truth = v.truth();
    expect(truth.answers).toMatchObject({
      realism: 0,
      cveFindingsNull: 0,
      complianceFindingsNull: 0,
      cveFindings: truth.cveFindings,
      complianceFindings: truth.complianceFindings,
    });
  });

  it('each kind of gap happens for about the share of endpoints, the same for the same seed', () => {
    const a = gapsOf('acme', 0.1);
    expect(gapsOf('acme', 0.1)).toEqual(a);
    expect(gapsOf('other', 0.1)).not.toEqual(a);
    type Gaps = (typeof a)[number]['gaps'];
    const kinds: ((g: Gaps) => boolean)[] = [
      (g) => g.compliance,
      (g) => g.cveFindings,
      (g) => g.complianceFindings,
      (g) => g.endpointFields.length > 0,
      (g) => g.findingFields,
    ];
    for (const kind of kinds) {
      const share = a.filter((e) => kind(e.gaps)).length / a.length;
      expect(share).toBeGreaterThan(0.07);
      expect(share).toBeLessThan(0.13);
    }
  });

  it('changes only when the endpoint checks in again: per pass, not per request', () => {
    const f = fleet('acme', 0.2);
    const early = f.view(T);
    const later = f.view(T + 3 * DAY);
    let moved = 0;
    let changed = 0;
    for (const i of early.indices()) {
      if (!later.isLive(i)) continue;
      const same = early.eidLastSeen(i) === later.eidLastSeen(i);
      if (same) expect(later.gaps(i)).toEqual(early.gaps(i));
      else {
        moved++;
        if (JSON.stringify(later.gaps(i)) !== JSON.stringify(early.gaps(i))) changed++;
      }
    }
    expect(moved).toBeGreaterThan(1_000);
    // An endpoint answered in one pass may have a gap in the next, and the reverse.
    expect(changed / moved).toBeGreaterThan(0.3);
  });

  it('truth counts what the answers hold: findings of the lists not answered are left out', () => {
    const v = fleet(9, 0.1).view(T);
    let cves = 0;
    let cveNull = 0;
    for (const i of v.indices()) {
      const g = v.gaps(i);
      if (g.compliance || g.cveFindings) cveNull++;
      else cves += v.cveFindings(i).length;
    }
    expect(v.truth().answers).toMatchObject({ cveFindingsNull: cveNull, cveFindings: cves, realism: 0.1 });
    expect(v.truth().cveFindings).toBeGreaterThan(cves);
  });

  it('sensors read TSE-Error or unavailable in the first column, the others empty; virtual sensors never', () => {
    const v = fleet('acme', 0.2).view(T);
    const shapes = new Map<string, number>();
    for (const i of v.indices()) {
      const answer = v.sensorAnswer(i, 'Applicable Patches');
      const first = answer.columns[0]!.values;
      if (
        first[0]!.startsWith('TSE-Error') ||
        (first[0] === UNAVAILABLE && answer.columns[1]!.values[0] === '')
      ) {
        const kind = first[0]!.startsWith('TSE-Error') ? 'error' : 'unavailable';
        shapes.set(kind, (shapes.get(kind) ?? 0) + 1);
        expect(first).toHaveLength(1);
        expect(answer.columns.slice(1).map((c) => c.values)).toEqual([[''], [''], ['']]);
        expect(answer.columns.map((c) => c.name)).toEqual([
          'Title',
          'KB Articles',
          'Severity',
          'Release Date',
        ]);
      } else expect(answer).toEqual(v.sensorReading(i, 'Applicable Patches'));
      const online = v.sensorAnswer(i, 'Online').columns[0]!.values[0]!;
      expect(['True', UNAVAILABLE]).toContain(online);
      expect(v.sensorAnswer(i, 'Online')).toEqual(v.sensorReading(i, 'Online'));
    }
    expect(shapes.get('error')).toBeGreaterThan(100);
    expect(shapes.get('unavailable')).toBeGreaterThan(100);
    expect(NO_RESULTS).toBe('[no results]');
  });

  it('refuses a share outside 0 to 1', () => {
    expect(() => fleet(1, 1.5)).toThrow(/realism must be a share from 0 to 1/);
    expect(() => fleet(1, -0.1)).toThrow(RangeError);
  });
});
