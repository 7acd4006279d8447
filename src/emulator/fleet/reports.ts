/**
 * When what an endpoint reports changes. A Tanium Client reports at every check-in, but its data moves only
 * at events: a vulnerability or compliance scan (findings, their dates, risk, disk use, applicable
 * patches) and a patch cycle (updates installed, applications upgraded, the machine rebooted). With
 * `checkIns: 'sparse'` the emulator keys what varies per report (placeholders, realism gaps) on the
 * check-in itself, so any check-in may change an answer; with `checkIns: 'frequent'` everything is keyed
 * on the last data event, so a check-in in between moves eidLastSeen and nothing else.
 */
import type { FleetContext } from './context.js';
import { below, h1, h2, unit } from './hash.js';
import { enrolledAt, isOnline, lastScan, lastSeen } from './lifecycle.js';
import { kindOf } from './profile.js';
import { DAY, gridFloor, HOUR } from './time.js';

/** Patch cycles: workstations weekly, servers monthly; each ends with a reboot (a few hours after). */
function cycle(c: FleetContext, i: number): { period: number; phase: number } {
  const period = kindOf(c, i).role === 'server' ? 30 * DAY : 7 * DAY;
  return { period, phase: unit(h1(c.k.sensor, i)) * period };
}

/** The index of the last patch cycle reported by a check-in at `seen`. */
export function patchCycle(c: FleetContext, i: number, seen: number): number {
  const { period, phase } = cycle(c, i);
  return Math.floor((seen - phase) / period);
}

/** The last reboot reported by a check-in at `seen` (the last patch cycle's; not before enrolment). */
export function lastRebootAt(c: FleetContext, i: number, seen: number): number {
  const { period, phase } = cycle(c, i);
  return Math.max(enrolledAt(c, i), gridFloor(seen, phase, period) - below(h2(c.k.sensor, i, 9), 3 * HOUR));
}

/**
 * The instant that keys what endpoint i reports at a check-in at `seen`: the check-in itself (sparse), or
 * its last data event, the later of its last scan and its last patch cycle (frequent). Monotonic in
 * `seen`, so two reports differ exactly when a data event came between them.
 */
export function reportKey(c: FleetContext, i: number, seen: number): number {
  if (c.checkIns !== 'frequent') return seen;
  const scan = lastScan(c, i, seen) ?? enrolledAt(c, i);
  const { phase, period } = cycle(c, i);
  return Math.max(scan, gridFloor(seen, phase, period));
}

/**
 * Whether anything endpoint i reports at t (other than eidLastSeen and the Online sensor) was updated
 * after `since`: it joined after `since`, or a data event reached the Gateway since. Answers Tanium's
 * `UPDATED_AFTER` filter operator.
 */
export function updatedSince(c: FleetContext, i: number, t: number, since: number): boolean {
  if (enrolledAt(c, i) > since) return true;
  return reportKey(c, i, lastSeen(c, i, t)) !== reportKey(c, i, lastSeen(c, i, since));
}

/**
 * Whether the Online sensor changed after `since`: coming online takes a check-in, going offline is
 * the server noticing the silence, so it changed when the endpoint checked in since or its status differs.
 */
export function onlineChangedSince(c: FleetContext, i: number, t: number, since: number): boolean {
  if (enrolledAt(c, i) > since) return true;
  return lastSeen(c, i, t) > since || isOnline(c, i, t) !== isOnline(c, i, since);
}
