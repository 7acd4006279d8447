import { describe, expect, it } from 'vitest';
import { createFleet } from './fleet.js';
import { MINUTE } from './time.js';

/** What an endpoint reports at an instant: everything a sync reads, except eidLastSeen. */
function report(fleet: ReturnType<typeof createFleet>, t: number, i: number) {
  const v = fleet.view(t);
  const { eidLastSeen: _seen, ...endpoint } = v.endpoint(i);
  return JSON.stringify({
    endpoint,
    gaps: v.gaps(i),
    cves: v.cveFindings(i),
    checks: v.complianceFindings(i),
    apps: v.sensorAnswer(i, 'Installed Applications'),
    patches: v.sensorAnswer(i, 'Applicable Patches'),
    reboot: v.sensorAnswer(i, 'Last Reboot'),
    disks: v.sensorAnswer(i, 'Disk Used Percentage'),
  });
}

describe('check-ins and data events (checkIns: frequent)', () => {
  const epoch = Date.UTC(2026, 0, 1);
  const fleet = createFleet({ size: 1500, seed: 9, epoch, realism: 0.05, checkIns: 'frequent' });
  const t0 = epoch + 40 * 24 * 60 * MINUTE;
  const t1 = t0 + 17 * MINUTE;

  it('online endpoints check in every few minutes; about 1% has a data event in 17 minutes', () => {
    const v = fleet.view(t1);
    let checkedIn = 0;
    let updated = 0;
    for (const i of v.live()) {
      // Every 1-5 minutes, each check-in jittered by up to half an interval.
      if (v.isOnline(i)) expect(t1 - v.eidLastSeen(i)).toBeLessThanOrEqual(7.5 * MINUTE);
      if (v.eidLastSeen(i) > t0) checkedIn++;
      if (v.updatedSince(i, t0)) updated++;
    }
    expect(checkedIn / v.count()).toBeGreaterThan(0.75);
    expect(updated / v.count()).toBeGreaterThan(0.003);
    expect(updated / v.count()).toBeLessThan(0.03);
  });

  it('a report changes exactly when updatedSince says so (check-ins alone change nothing)', () => {
    const v = fleet.view(t1);
    let same = 0;
    let changed = 0;
    for (const i of v.live()) {
      if (!fleet.view(t0).isLive(i)) continue;
      const differs = report(fleet, t0, i) !== report(fleet, t1, i);
      // A data event may leave a report as it was (a scan with the same results moves its dates, though).
      if (differs) expect(v.updatedSince(i, t0)).toBe(true);
      if (v.updatedSince(i, t0)) changed++;
      else if (v.eidLastSeen(i) > t0) same++;
    }
    expect(same).toBeGreaterThan(1000);
    expect(changed).toBeGreaterThan(0);
  });

  it('the sparse model (the default) counts every check-in as an update', () => {
    const sparse = createFleet({ size: 500, seed: 9, epoch });
    const v = sparse.view(t1);
    for (const i of v.live()) expect(v.updatedSince(i, t0)).toBe(v.eidLastSeen(i) > t0);
  });
});
