/**
 * CVE findings. Endpoint i has a skewed number of finding slots (Pareto: most have a few, some hundreds);
 * slot s is one CVE applicable to its platform (distinct per endpoint). A slot first appears at a derived
 * time (most before epoch, some later: new findings as the clock moves), is remediated after a while (a
 * quarter never are) and may come back up to twice. What an endpoint reports is the state at its last
 * scan, which moves only with its eidLastSeen.
 */
import { CVES, type CveRecord, cvesForPlatform } from './catalogue/cves.js';
import type { FleetContext } from './context.js';
import { below, gcd, h2, h3, unit } from './hash.js';
import { enrolledAt, lastScan, lastSeen, scanAtOrAfter } from './lifecycle.js';
import { kindOf } from './profile.js';
import { DAY, rfc3339 } from './time.js';
import type { EndpointComplianceCveFinding } from './types.js';

export const CVE_MODEL = {
  /** share of endpoints with no CVE finding slot at all */
  cleanShare: 0.05,
  /** Pareto scale and shape of the slot count; capped at `maxSlots` */
  paretoScale: 3,
  paretoShape: 0.9,
  maxSlots: 600,
  /** share of slots that first appear after epoch (or after enrolment), mean delay */
  lateShare: 0.2,
  lateMeanDays: 60,
  /** how far before epoch slots appear (at most), for endpoints enrolled long enough ago */
  historyDays: 540,
  /** share of episodes never remediated; mean time to remediate the others */
  persistentShare: 0.35,
  remediateMeanDays: 150,
  /** chance a remediated finding comes back (at most twice), mean gap */
  recurShare: 0.3,
  recurMeanDays: 60,
  exceptedShare: 0.02,
} as const;

/** Number of finding slots of endpoint i (an upper bound on its findings at any time). */
export function slotCount(c: FleetContext, i: number, catalogueSize: number): number {
  if (unit(h2(c.k.cveCount, i, 0)) < CVE_MODEL.cleanShare) return 0;
  const u = unit(h2(c.k.cveCount, i, 1));
  const n = Math.floor(CVE_MODEL.paretoScale * (1 - u) ** (-1 / CVE_MODEL.paretoShape)) - 1;
  return Math.min(n, CVE_MODEL.maxSlots, catalogueSize);
}

/** Catalogue index of slot s: an affine walk over the platform list visits distinct CVEs. */
export interface SlotWalk {
  list: Int32Array;
  start: number;
  stride: number;
}

export function slotWalk(c: FleetContext, i: number, list: Int32Array): SlotWalk {
  const n = list.length;
  const start = below(h2(c.k.cveSlot, i, 0), n);
  let stride = 1 + below(h2(c.k.cveSlot, i, 1), Math.max(1, n - 1));
  while (gcd(stride, n) !== 1) stride++;
  return { list, start, stride };
}

export function slotCve(walk: SlotWalk, s: number): number {
  return walk.list[(walk.start + s * walk.stride) % walk.list.length] as number;
}

/**
 * The episode of slot s covering the scan time, as [start of episode, first appearance], or null when
 * the finding is not present at that scan. Writes into `out` to stay allocation-free in counting loops.
 */
export function slotEpisode(
  c: FleetContext,
  i: number,
  s: number,
  enrolled: number,
  scan: number,
  out: number[],
): boolean {
  // One hash per decision: the low byte draws the yes/no, the upper 24 bits the amount.
  const base = Math.max(enrolled, c.epoch);
  const found = h2(c.k.cveFound, i, s);
  const first =
    (found & 255) < LATE_BYTE
      ? base + exponential24(found, CVE_MODEL.lateMeanDays * DAY)
      : base - fraction24(found) ** 2 * Math.min(CVE_MODEL.historyDays * DAY, base - enrolled);
  if (first > scan) return false;
  let start = first;
  for (let e = 0; ; e++) {
    const fix = h3(c.k.cveFix, i, s, e);
    if ((fix & 255) < PERSISTENT_BYTE) break;
    const end = start + exponential24(fix, CVE_MODEL.remediateMeanDays * DAY);
    if (scan < end) break;
    const again = h3(c.k.cveAgain, i, s, e);
    if (e >= 2 || (again & 255) >= RECUR_BYTE) return false;
    start = end + exponential24(again, CVE_MODEL.recurMeanDays * DAY);
    if (start > scan) return false;
  }
  out[0] = start;
  out[1] = first;
  return true;
}

const LATE_BYTE = Math.round(CVE_MODEL.lateShare * 256);
const PERSISTENT_BYTE = Math.round(CVE_MODEL.persistentShare * 256);
const RECUR_BYTE = Math.round(CVE_MODEL.recurShare * 256);

function fraction24(x: number): number {
  return (x >>> 8) / 16777216;
}

function exponential24(x: number, mean: number): number {
  return -mean * Math.log(1 - fraction24(x));
}

const scratch = [0, 0];

/** The scan whose results endpoint i shows at t, or null before its first scan. */
export function reportedScan(c: FleetContext, i: number, t: number): number | null {
  return lastScan(c, i, lastSeen(c, i, t));
}

/** Number of CVE findings endpoint i reports at a given scan, without building them. */
export function countCveFindings(c: FleetContext, i: number, scan: number | null): number {
  if (scan === null) return 0;
  const list = cvesForPlatform(kindOf(c, i).platform);
  const slots = slotCount(c, i, list.length);
  const enrolled = enrolledAt(c, i);
  let count = 0;
  for (let s = 0; s < slots; s++) if (slotEpisode(c, i, s, enrolled, scan, scratch)) count++;
  return count;
}

/** Visits each finding present at the scan: (catalogue record, slot, episode start, first appearance). */
export function forEachCveFinding(
  c: FleetContext,
  i: number,
  scan: number | null,
  visit: (cve: CveRecord, slot: number, start: number, first: number) => void,
): void {
  if (scan === null) return;
  const list = cvesForPlatform(kindOf(c, i).platform);
  const slots = slotCount(c, i, list.length);
  if (slots === 0) return;
  const walk = slotWalk(c, i, list);
  const enrolled = enrolledAt(c, i);
  const out = [0, 0];
  for (let s = 0; s < slots; s++) {
    if (!slotEpisode(c, i, s, enrolled, scan, out)) continue;
    visit(CVES[slotCve(walk, s)] as CveRecord, s, out[0] as number, out[1] as number);
  }
}

/** The CVE findings endpoint i reports at a scan, with Tanium's field names. */
export function cveFindings(c: FleetContext, i: number, scan: number | null): EndpointComplianceCveFinding[] {
  const findings: EndpointComplianceCveFinding[] = [];
  const lastFound = scan === null ? '' : rfc3339(scan);
  forEachCveFinding(c, i, scan, (cve, s, start, first) => {
    findings.push({
      cveId: cve.cveId,
      cveYear: cve.cveYear,
      cvssScore: cve.cvssScore,
      cvssScoreV3: cve.cvssScoreV3,
      severity: cve.severity,
      severityV3: cve.severityV3,
      summary: cve.summary,
      firstFound: rfc3339(scanAtOrAfter(c, i, start)),
      lastFound,
      absoluteFirstFoundDate: rfc3339(scanAtOrAfter(c, i, first)),
      excepted: unit(h2(c.k.cveExcepted, i, s)) < CVE_MODEL.exceptedShare,
      isCisaKev: cve.isCisaKev,
      epssScore: cve.epssScore,
    });
  });
  return findings;
}
