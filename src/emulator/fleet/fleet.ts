/**
 * The fleet: `createFleet({ size, seed, epoch })` and views of it at an instant. Nothing per endpoint is
 * stored; a view computes what it is asked for from (seed, index, time) and caches only its own list of
 * live indices and its truth.
 */

import { complianceFindings, countComplianceFindings } from './complianceFindings.js';
import { type CheckInModel, type FleetContext, type FleetOptions, makeContext } from './context.js';
import { countCveFindings, cveFindings, forEachCveFinding } from './cveFindings.js';
import { computerGroups, groupsOf, isMember } from './groups.js';
import {
  disksOf,
  endpointId,
  identityOf,
  indexOfId,
  installedApplicationsOf,
  networkingOf,
  servicesOf,
} from './identity.js';
import { enrolledAt, isOnline, lastScan, lastSeen, retiredAt } from './lifecycle.js';
import { profileOf } from './profile.js';
import { type AnswerGaps, answerGaps } from './realism.js';
import { onlineChangedSince, patchCycle, reportKey, updatedSince } from './reports.js';
import { findingWeight, riskLevel, totalScore } from './risk.js';
import { answerSensor, readSensor, SENSORS, type SensorDefinition } from './sensors.js';
import { DAY, rfc3339 } from './time.js';
import type {
  ComplianceState,
  ComputerGroup,
  Endpoint,
  EndpointComplianceComplianceFinding,
  EndpointComplianceCveFinding,
  FleetAnswers,
  FleetTruth,
  SensorParam,
  SensorReading,
} from './types.js';

export type SensorInfo = Omit<SensorDefinition, 'read' | 'volatile'>;

export interface Fleet {
  readonly size: number;
  readonly capacity: number;
  readonly epoch: number;
  /** the seed as a 32-bit integer */
  readonly seed: number;
  /** see `FleetOptions.realism` */
  readonly realism: number;
  /** see `FleetOptions.checkIns` */
  readonly checkIns: CheckInModel;
  /** a view of the fleet at time t (ms); views are cached for the few most recent instants */
  view(t: number): FleetView;
  /** the index of an endpoint id, or -1 (whether or not the endpoint is live at a given time) */
  indexOfId(id: string): number;
  groups(): ComputerGroup[];
  sensors(): SensorInfo[];
}

export interface FleetView {
  readonly at: number;
  count(): number;
  /** live indices in ascending id order (cached; do not modify) */
  live(): Int32Array;
  indices(): IterableIterator<number>;
  isLive(i: number): boolean;
  /** whether endpoint i is connected (checked in within two check-in intervals) */
  isOnline(i: number): boolean;
  /** eidLastSeen of endpoint i, in ms */
  eidLastSeen(i: number): number;
  /** the Gateway id of endpoint i (without building the endpoint) */
  endpointId(i: number): string;
  /** eidFirstSeen of endpoint i (its enrolment), in ms */
  eidFirstSeen(i: number): number;
  /**
   * Whether anything endpoint i reports, other than eidLastSeen and the Online sensor, was updated after
   * `ms` (Tanium's `UPDATED_AFTER`; with `checkIns: 'sparse'` every check-in counts as an update)
   */
  updatedSince(i: number, ms: number): boolean;
  /** whether the Online sensor of endpoint i changed after `ms` */
  onlineChangedSince(i: number, ms: number): boolean;
  /** live indices whose eidLastSeen is after `ms` (GT) or at/after it (GTE), in id order */
  seenSince(ms: number, op?: 'GT' | 'GTE'): Int32Array;
  endpoint(i: number): Endpoint;
  cveFindings(i: number): EndpointComplianceCveFinding[];
  complianceFindings(i: number): EndpointComplianceComplianceFinding[];
  /** the reading as the endpoint has it */
  sensorReading(i: number, sensorName: string, params?: readonly SensorParam[]): SensorReading;
  /** the reading as the Gateway answers it (with realism, sometimes `TSE-Error` or unavailable) */
  sensorAnswer(i: number, sensorName: string, params?: readonly SensorParam[]): SensorReading;
  /** what the Gateway leaves null in endpoint i's answer now (realism) */
  gaps(i: number): AnswerGaps;
  groups(): ComputerGroup[];
  isMember(i: number, group: { id?: string; name?: string }): boolean;
  groupsOf(i: number): string[];
  truth(): FleetTruth;
}

const VIEW_CACHE = 4;

export function createFleet(options: FleetOptions): Fleet {
  const c = makeContext(options);
  const views = new Map<number, FleetView>();
  return {
    size: c.size,
    capacity: c.capacity,
    epoch: c.epoch,
    seed: c.seed,
    realism: c.realism,
    checkIns: c.checkIns,
    view(t: number): FleetView {
      let v = views.get(t);
      if (v === undefined) {
        v = makeView(c, t);
        views.set(t, v);
        if (views.size > VIEW_CACHE) views.delete(views.keys().next().value as number);
      }
      return v;
    },
    indexOfId: (id) => indexOfId(c, id),
    groups: computerGroups,
    sensors: () => SENSORS.map(({ read: _read, volatile: _volatile, ...info }) => ({ ...info })),
  };
}

function makeView(c: FleetContext, t: number): FleetView {
  let liveCache: Int32Array | null = null;
  let truthCache: FleetTruth | null = null;
  const updated = new Map<number, Int8Array>();
  const live = (): Int32Array => {
    if (liveCache === null) {
      const out = new Int32Array(c.capacity);
      let n = 0;
      for (let i = 0; i < c.capacity; i++) if (enrolledAt(c, i) <= t && t < retiredAt(c, i)) out[n++] = i;
      liveCache = out.slice(0, n);
    }
    return liveCache;
  };
  const isLive = (i: number): boolean =>
    Number.isInteger(i) && i >= 0 && i < c.capacity && enrolledAt(c, i) <= t && t < retiredAt(c, i);
  const requireLive = (i: number): void => {
    if (!isLive(i)) throw new RangeError(`endpoint index ${i} is not in the fleet at ${rfc3339(t)}`);
  };
  const scanOf = (i: number): number | null => lastScan(c, i, lastSeen(c, i, t));
  return {
    at: t,
    count: () => live().length,
    live,
    *indices() {
      yield* live();
    },
    isLive,
    isOnline: (i) => isLive(i) && isOnline(c, i, t),
    eidLastSeen(i) {
      requireLive(i);
      return lastSeen(c, i, t);
    },
    endpointId(i) {
      requireLive(i);
      return endpointId(c, i);
    },
    eidFirstSeen(i) {
      requireLive(i);
      return enrolledAt(c, i);
    },
    updatedSince(i, ms) {
      requireLive(i);
      // Memoised per instant: a change filter asks it once per field for the same endpoints.
      let memo = updated.get(ms);
      if (memo === undefined) {
        memo = new Int8Array(c.capacity);
        updated.set(ms, memo);
        if (updated.size > 4) updated.delete(updated.keys().next().value as number);
      }
      if (memo[i] === 0) memo[i] = updatedSince(c, i, t, ms) ? 2 : 1;
      return memo[i] === 2;
    },
    onlineChangedSince(i, ms) {
      requireLive(i);
      return onlineChangedSince(c, i, t, ms);
    },
    seenSince(ms, op = 'GT') {
      const all = live();
      const out = new Int32Array(all.length);
      let n = 0;
      for (const i of all) {
        const seen = lastSeen(c, i, t);
        if (seen > ms || (op === 'GTE' && seen === ms)) out[n++] = i;
      }
      return out.slice(0, n);
    },
    endpoint(i) {
      requireLive(i);
      return buildEndpoint(c, i, t);
    },
    cveFindings(i) {
      requireLive(i);
      return cveFindings(c, i, scanOf(i));
    },
    complianceFindings(i) {
      requireLive(i);
      return complianceFindings(c, i, scanOf(i));
    },
    sensorReading(i, sensorName, params = []) {
      requireLive(i);
      return readSensor(c, i, t, sensorName, params);
    },
    sensorAnswer(i, sensorName, params = []) {
      requireLive(i);
      return answerSensor(c, i, t, sensorName, params);
    },
    gaps(i) {
      requireLive(i);
      return answerGaps(c, i, reportKey(c, i, lastSeen(c, i, t)));
    },
    groups: computerGroups,
    isMember: (i, group) => isLive(i) && isMember(c, i, group),
    groupsOf(i) {
      requireLive(i);
      return groupsOf(c, i);
    },
    truth() {
      truthCache ??= computeTruth(c, t);
      return truthCache;
    },
  };
}

function buildEndpoint(c: FleetContext, i: number, t: number): Endpoint {
  const p = profileOf(c, i);
  const seen = lastSeen(c, i, t);
  const scan = lastScan(c, i, seen);
  // What moves with the report: the check-in (sparse) or the last data event (frequent check-ins).
  const key = reportKey(c, i, seen);
  const cycle = c.checkIns === 'frequent' ? patchCycle(c, i, seen) : undefined;
  let weight = 0;
  forEachCveFinding(c, i, scan, (cve) => {
    weight += findingWeight(cve);
  });
  const score = totalScore(weight, p.criticality);
  const id = identityOf(c, i, p);
  // An explicit literal (not a spread): one hidden class for every endpoint, noticeably faster to build.
  return {
    id: id.id,
    computerID: id.computerID,
    name: id.name,
    domainName: id.domainName,
    serialNumber: id.serialNumber,
    systemUUID: id.systemUUID,
    manufacturer: id.manufacturer,
    model: id.model,
    chassisType: id.chassisType,
    ipAddress: id.ipAddress,
    ipAddresses: id.ipAddresses,
    macAddresses: id.macAddresses,
    namespace: id.namespace,
    eidFirstSeen: rfc3339(enrolledAt(c, i)),
    eidLastSeen: rfc3339(seen),
    lastLoggedInUser: id.lastLoggedInUser,
    primaryUser: id.primaryUser,
    isVirtual: id.isVirtual,
    isEncrypted: id.isEncrypted,
    os: id.os,
    memory: id.memory,
    processor: id.processor,
    disks: disksOf(c, i, Math.floor((scan ?? key) / DAY), p),
    networking: networkingOf(id, p),
    services: servicesOf(c, i, p),
    installedApplications: installedApplicationsOf(c, i, p, cycle),
    risk: {
      totalScore: score,
      riskLevel: riskLevel(score),
      assetCriticality: p.criticality,
      lastUpdated: rfc3339(scan ?? key),
    },
  };
}

function computeTruth(c: FleetContext, t: number): FleetTruth {
  const byState: Record<ComplianceState, number> = { pass: 0, fail: 0, error: 0, notapplicable: 0 };
  let endpoints = 0;
  let cve = 0;
  let compliance = 0;
  let stale7 = 0;
  let stale30 = 0;
  let retired = 0;
  let enrolled = 0;
  const answers: FleetAnswers = {
    realism: c.realism,
    complianceNull: 0,
    cveFindingsNull: 0,
    complianceFindingsNull: 0,
    endpointFieldsNull: 0,
    cveFindings: 0,
    complianceFindings: 0,
  };
  for (let i = 0; i < c.capacity; i++) {
    const en = enrolledAt(c, i);
    if (en > t) continue;
    if (i >= c.size) enrolled++;
    if (retiredAt(c, i) <= t) {
      retired++;
      continue;
    }
    endpoints++;
    const seen = lastSeen(c, i, t);
    if (t - seen > 7 * DAY) stale7++;
    if (t - seen > 30 * DAY) stale30++;
    const scan = lastScan(c, i, seen);
    const cves = countCveFindings(c, i, scan);
    const checks = countComplianceFindings(c, i, scan, byState);
    cve += cves;
    compliance += checks;
    countAnswers(answers, answerGaps(c, i, reportKey(c, i, seen)), cves, checks);
  }
  return {
    at: rfc3339(t),
    endpoints,
    cveFindings: cve,
    complianceFindings: compliance,
    complianceByState: byState,
    staleOver7Days: stale7,
    staleOver30Days: stale30,
    retired,
    enrolled,
    answers,
  };
}

/** Adds one endpoint's answer to `answers`: its findings count only where their list is answered. */
function countAnswers(answers: FleetAnswers, gaps: AnswerGaps, cves: number, checks: number): void {
  const cvesNull = gaps.compliance || gaps.cveFindings;
  const checksNull = gaps.compliance || gaps.complianceFindings;
  if (gaps.compliance) answers.complianceNull++;
  if (cvesNull) answers.cveFindingsNull++;
  else answers.cveFindings += cves;
  if (checksNull) answers.complianceFindingsNull++;
  else answers.complianceFindings += checks;
  if (gaps.endpointFields.length > 0) answers.endpointFieldsNull++;
}
