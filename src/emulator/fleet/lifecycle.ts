/**
 * When each endpoint exists and when it checks in. Endpoint i is enrolled at `enrolledAt(i)`, retired at
 * `retiredAt(i)` (it leaves the fleet then), and checks in on its own jittered schedule except while silent:
 * one long silence per endpoint (some before epoch, so the fleet starts with stale endpoints; some come back)
 * and short outages in some 14-day windows. `lastSeen(i, t)` is the last check-in at or before t.
 */
import { CHURN, type FleetContext } from './context.js';
import { exponential, h1, h2, unit } from './hash.js';
import { DAY, HOUR, MINUTE, SECOND, toSecond } from './time.js';

const INTERVALS = [5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR];
const INTERVAL_CUMULATIVE = [0.35, 0.6, 0.85, 1];
/** `checkIns: 'frequent'`: Tanium Clients register every minute or so; a few take longer. */
const FREQUENT_INTERVALS = [MINUTE, 2 * MINUTE, 5 * MINUTE];
const FREQUENT_CUMULATIVE = [0.4, 0.8, 1];
const WINDOW = CHURN.outageWindowDays * DAY;

/**
 * Each endpoint's enrolment and retirement times, computed once per fleet (NaN: not yet): they depend on
 * the endpoint alone, and every view asks them of every endpoint (which are live, and each accessor's
 * check), so a Gateway request over a 20,000-endpoint fleet hashed them 40,000 times. 16 bytes each.
 */
const lifespans = new WeakMap<FleetContext, Lifespans>();

interface Lifespans {
  enrolled: Float64Array;
  retired: Float64Array;
}

/** `compute(c, i)`, kept in `c`'s `which` array the first time (any other `i` is computed each time). */
function remembered(
  c: FleetContext,
  which: keyof Lifespans,
  i: number,
  compute: (c: FleetContext, i: number) => number,
): number {
  if (!(Number.isInteger(i) && i >= 0 && i < c.capacity)) return compute(c, i);
  let spans = lifespans.get(c);
  if (spans === undefined) {
    spans = {
      enrolled: new Float64Array(c.capacity).fill(Number.NaN),
      retired: new Float64Array(c.capacity).fill(Number.NaN),
    };
    lifespans.set(c, spans);
  }
  const times = spans[which];
  let at = times[i]!;
  if (Number.isNaN(at)) {
    at = compute(c, i);
    times[i] = at;
  }
  return at;
}

export function enrolledAt(c: FleetContext, i: number): number {
  return remembered(c, 'enrolled', i, computeEnrolledAt);
}

function computeEnrolledAt(c: FleetContext, i: number): number {
  const u = unit(h1(c.k.enrol, i));
  if (i < c.size) return toSecond(c.epoch - HOUR - u * 1095 * DAY);
  return toSecond(c.epoch + (i - c.size + u) * c.enrolEveryMs);
}

/** Retirement time; always after epoch and after enrolment. */
export function retiredAt(c: FleetContext, i: number): number {
  return remembered(c, 'retired', i, computeRetiredAt);
}

function computeRetiredAt(c: FleetContext, i: number): number {
  const start = Math.max(c.epoch, enrolledAt(c, i));
  return toSecond(start + SECOND + exponential(h1(c.k.retire, i), CHURN.retireMeanDays * DAY));
}

export function isLive(c: FleetContext, i: number, t: number): boolean {
  return enrolledAt(c, i) <= t && t < retiredAt(c, i);
}

export function checkInInterval(c: FleetContext, i: number): number {
  const u = unit(h1(c.k.interval, i));
  const [intervals, cumulative] =
    c.checkIns === 'frequent' ? [FREQUENT_INTERVALS, FREQUENT_CUMULATIVE] : [INTERVALS, INTERVAL_CUMULATIVE];
  let n = 0;
  while (u >= (cumulative[n] as number)) n++;
  return intervals[n] as number;
}

/** The long silence [start, end) of an endpoint; `end` is Infinity when it never comes back. */
export function silence(c: FleetContext, i: number): { start: number; end: number } {
  const before = unit(h1(c.k.silent, i)) < CHURN.silentBeforeEpoch && i < c.size;
  const at = h1(c.k.silentAt, i);
  const start = before
    ? toSecond(c.epoch - unit(at) * CHURN.silentBeforeEpochWindowDays * DAY)
    : toSecond(Math.max(c.epoch, enrolledAt(c, i)) + exponential(at, CHURN.silentMeanDays * DAY));
  const back = h1(c.k.comeBack, i);
  const end =
    unit(back) < CHURN.comeBackShare
      ? toSecond(start + (5 + (unit(back) / CHURN.comeBackShare) * 40) * DAY)
      : Infinity;
  return { start, end };
}

/** The largest scheduled check-in at or before x (ignoring silences). */
function scheduledCheckIn(c: FleetContext, i: number, interval: number, x: number): number {
  const phase = toSecond(unit(h1(c.k.phase, i)) * interval);
  let k = Math.floor((x - phase) / interval);
  for (;;) {
    const at = phase + k * interval + toSecond(unit(h2(c.k.jitter, i, k)) * (interval / 2));
    if (at <= x) return at;
    k--;
  }
}

/** The short outage of the 14-day window holding x, if any: [start, end). */
function outageAround(c: FleetContext, i: number, x: number): { start: number; end: number } | null {
  const w = Math.floor(x / WINDOW);
  const roll = h2(c.k.outage, i, w);
  if (unit(roll) >= CHURN.outageShare) return null;
  const start = toSecond(w * WINDOW + unit(h2(c.k.outageAt, i, w)) * (WINDOW / 2));
  const length = toSecond(2 * HOUR + unit(h2(c.k.outageLength, i, w)) * (6 * DAY - 2 * HOUR));
  return { start, end: start + length };
}

/**
 * eidLastSeen at time t: the last check-in at or before t outside silences, or the enrolment time
 * (enrolment is the first check-in). Monotonic in t and never after t.
 */
export function lastSeen(c: FleetContext, i: number, t: number): number {
  const enrolled = enrolledAt(c, i);
  if (t <= enrolled) return enrolled;
  const interval = checkInInterval(c, i);
  const quiet = silence(c, i);
  let x = t;
  for (;;) {
    const at = scheduledCheckIn(c, i, interval, x);
    if (at <= enrolled) return enrolled;
    if (at >= quiet.start && at < quiet.end) {
      x = quiet.start - 1;
      continue;
    }
    const outage = outageAround(c, i, at);
    if (outage !== null && at >= outage.start && at < outage.end) {
      x = outage.start - 1;
      continue;
    }
    return at;
  }
}

/** Whether the endpoint answers live questions: checked in within two intervals (at least 15 minutes). */
export function isOnline(c: FleetContext, i: number, t: number): boolean {
  return t - lastSeen(c, i, t) <= Math.max(2 * checkInInterval(c, i), 15 * MINUTE);
}

/** The endpoint's daily scan phase (vulnerability and compliance scans). */
export function scanPhase(c: FleetContext, i: number): number {
  return toSecond(unit(h1(c.k.scanPhase, i)) * CHURN.scanIntervalMs);
}

/**
 * The last scan whose results the endpoint has reported by time t: the last daily scan at or before its
 * eidLastSeen, or null before its first scan. Findings change only when this changes, so everything an
 * endpoint reports moves only when its eidLastSeen moves (what incremental sync relies on).
 */
export function lastScan(c: FleetContext, i: number, seen: number): number | null {
  const phase = scanPhase(c, i);
  const scan = phase + Math.floor((seen - phase) / CHURN.scanIntervalMs) * CHURN.scanIntervalMs;
  return scan >= enrolledAt(c, i) ? scan : null;
}

/** The first scan at or after x. */
export function scanAtOrAfter(c: FleetContext, i: number, x: number): number {
  const phase = scanPhase(c, i);
  return phase + Math.ceil((x - phase) / CHURN.scanIntervalMs) * CHURN.scanIntervalMs;
}
