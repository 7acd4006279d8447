/**
 * Compliance findings. Each endpoint is evaluated, at every daily scan, against every rule of its OS's
 * benchmark; one finding per rule carries the latest state. A rule's pass/fail state holds for a period of
 * 7 to 60 days (per endpoint and rule), then is drawn again, so states flip as time moves; `error` is a
 * transient result of single scans; a few rules are `notapplicable` on an endpoint for good.
 */
import { type Benchmark, benchmarkFor, type Rule } from './catalogue/rules.js';
import type { FleetContext } from './context.js';
import { below, h1, h2, h3, pickWeighted, unit } from './hash.js';
import { enrolledAt, scanAtOrAfter } from './lifecycle.js';
import { kindOf } from './profile.js';
import { DAY, rfc3339 } from './time.js';
import type { ComplianceState, EndpointComplianceComplianceFinding } from './types.js';

export const COMPLIANCE_MODEL = {
  notApplicableShare: 0.04,
  errorShare: 0.005,
  exceptedShare: 0.01,
  minPeriodDays: 7,
  maxPeriodDays: 60,
} as const;

const benchmarkCache = new Map<string, Benchmark>();

/** The benchmark endpoint i is evaluated against. */
export function benchmarkOf(c: FleetContext, i: number): Benchmark {
  const key = pickWeighted(h1(c.k.os, i), kindOf(c, i).os).benchmark;
  let found = benchmarkCache.get(key);
  if (found === undefined) {
    found = benchmarkFor(key);
    benchmarkCache.set(key, found);
  }
  return found;
}

/** Number of rules a kind of endpoint is evaluated against, cheaply (all OS choices of a kind share a rule count). */
export function ruleCount(c: FleetContext, i: number): number {
  return benchmarkFor(kindOf(c, i).os[0]?.benchmark ?? '').rules.length;
}

function hardening(c: FleetContext, i: number): number {
  return 0.5 + unit(h1(c.k.rule, i));
}

/** Period of rule n's pass/fail state on endpoint i; one hash: low byte not-applicable, 12 bits length, 12 bits offset. */
function ruleHash(c: FleetContext, i: number, n: number): number {
  return h2(c.k.rule, i, n);
}

const NOT_APPLICABLE_BYTE = Math.round(COMPLIANCE_MODEL.notApplicableShare * 256);
const SPAN_DAYS = COMPLIANCE_MODEL.maxPeriodDays - COMPLIANCE_MODEL.minPeriodDays;

function periodLength(hash: number): number {
  return (COMPLIANCE_MODEL.minPeriodDays + (((hash >>> 8) & 4095) / 4096) * SPAN_DAYS) * DAY;
}

function periodOffset(hash: number, length: number): number {
  return ((hash >>> 20) / 4096) * length;
}

function periodState(
  c: FleetContext,
  i: number,
  n: number,
  rule: Rule,
  p: number,
  harden: number,
): 'pass' | 'fail' {
  return unit(h3(c.k.ruleState, i, n, p)) < Math.min(0.95, rule.failShare * harden) ? 'fail' : 'pass';
}

/**
 * The rule that errors at this scan, if any: one draw per endpoint and scan (about `errorShare` of
 * findings are `error` at any scan).
 */
function erroringRule(c: FleetContext, i: number, scan: number, rules: number): number {
  return below(
    h2(c.k.ruleExcepted, i, Math.floor(scan / DAY) + 0x40000000),
    Math.round(rules / COMPLIANCE_MODEL.errorShare),
  );
}

/** The state of rule n at a scan (allocation-free; used by the counting loops). */
export function ruleState(
  c: FleetContext,
  i: number,
  n: number,
  rule: Rule,
  scan: number,
  harden: number,
  erroring: number,
): ComplianceState {
  const hash = ruleHash(c, i, n);
  if ((hash & 255) < NOT_APPLICABLE_BYTE) return 'notapplicable';
  if (n === erroring) return 'error';
  const length = periodLength(hash);
  return periodState(c, i, n, rule, Math.floor((scan - periodOffset(hash, length)) / length), harden);
}

/** When the state rule n shows at a scan began: enrolment, the scan itself (errors), or its run of periods. */
function stateSince(
  c: FleetContext,
  i: number,
  n: number,
  rule: Rule,
  scan: number,
  harden: number,
  state: ComplianceState,
): number {
  const enrolled = enrolledAt(c, i);
  if (state === 'notapplicable') return enrolled;
  if (state === 'error') return scan;
  const hash = ruleHash(c, i, n);
  const length = periodLength(hash);
  const offset = periodOffset(hash, length);
  let p = Math.floor((scan - offset) / length);
  // Walk back while earlier periods had the same state (at most a few), not before enrolment.
  for (let back = 0; back < 6; back++) {
    const start = offset + p * length;
    if (start <= enrolled || periodState(c, i, n, rule, p - 1, harden) !== state) break;
    p--;
  }
  return Math.max(enrolled, offset + p * length);
}

/** Counts findings by state at a scan (adds into `into`); returns the number of findings. */
export function countComplianceFindings(
  c: FleetContext,
  i: number,
  scan: number | null,
  into: Record<ComplianceState, number> | null,
): number {
  if (scan === null) return 0;
  const rules = benchmarkOf(c, i).rules;
  if (into !== null) {
    const harden = hardening(c, i);
    const erroring = erroringRule(c, i, scan, rules.length);
    for (let n = 0; n < rules.length; n++)
      into[ruleState(c, i, n, rules[n] as Rule, scan, harden, erroring)]++;
  }
  return rules.length;
}

/** The compliance findings endpoint i reports at a scan, with Tanium's field names. */
export function complianceFindings(
  c: FleetContext,
  i: number,
  scan: number | null,
): EndpointComplianceComplianceFinding[] {
  if (scan === null) return [];
  const bench = benchmarkOf(c, i);
  const harden = hardening(c, i);
  const lastScanDate = rfc3339(scan);
  const erroring = erroringRule(c, i, scan, bench.rules.length);
  return bench.rules.map((rule, n) => {
    const state = ruleState(c, i, n, rule, scan, harden, erroring);
    const since = stateSince(c, i, n, rule, scan, harden, state);
    return {
      id: rule.id,
      ruleId: rule.ruleId,
      rule: rule.title,
      category: rule.category,
      state,
      standard: bench.standard,
      standardVersion: bench.standardVersion,
      profile: bench.profile,
      profileVersion: bench.profileVersion,
      firstFoundDate: rfc3339(Math.min(scan, scanAtOrAfter(c, i, since))),
      lastScanDate,
      excepted: unit(h2(c.k.ruleExcepted, i, n)) < COMPLIANCE_MODEL.exceptedShare,
    };
  });
}
