/**
 * The fleet's parameters and its per-purpose hash keys. Everything else is a pure function of
 * (context, endpoint index, time).
 */
import { key, seedToInt } from './hash.js';
import { DAY } from './time.js';

export interface FleetOptions {
  /** number of endpoints in the fleet at `epoch` */
  size: number;
  /** any number or string; the same seed gives the same fleet */
  seed: number | string;
  /** the fleet's creation time in ms since 1970; default 2026-01-01T00:00:00Z */
  epoch?: number;
  /**
   * The chance, per endpoint, check-in and kind of gap, that an answer has a gap Tanium may give: a
   * field its schema lets be null comes back null, a sensor reads `TSE-Error` or `[current result
   * unavailable]` (docs/emulator.md). 0 (the default) answers every field.
   */
  realism?: number;
  /**
   * How endpoints check in. `sparse` (the default): every 5 min to 4 h, and what an endpoint reports may
   * change at any check-in. `frequent`: as a real fleet, online endpoints check in every 1-5 minutes and
   * what they report changes only at data events (scans, patch cycles with their reboot and application
   * updates); a check-in in between moves eidLastSeen alone (docs/emulator-fleet.md, "Check-ins").
   */
  checkIns?: CheckInModel;
}

export type CheckInModel = 'sparse' | 'frequent';

/** Rates of the churn model (see docs/emulator-fleet.md). */
export const CHURN = {
  /** new endpoints enrolled per day, as a share of `size` */
  enrolPerDay: 0.002,
  /** room for enrolments after epoch, as a share of `size` (0.25 / 0.002 = 125 days of enrolments) */
  enrolHeadroom: 0.25,
  /** mean life after epoch (or enrolment) before retirement: 0.2% of the fleet retires per day */
  retireMeanDays: 500,
  /** share of endpoints that went silent in the 120 days before epoch */
  silentBeforeEpoch: 0.06,
  silentBeforeEpochWindowDays: 120,
  /** mean time after epoch before a still-active endpoint goes silent (about 0.1% per day) */
  silentMeanDays: 1000,
  /** share of silent endpoints that come back, after 5 to 45 days */
  comeBackShare: 0.3,
  /** short outages (powered off, travelling): chance per 14-day window, lasting 2 hours to 6 days */
  outageWindowDays: 14,
  outageShare: 0.25,
  /** vulnerability and compliance scans run daily (each endpoint has its own phase) */
  scanIntervalMs: DAY,
} as const;

export const SALT = {
  kind: 1,
  enrol: 2,
  retire: 3,
  interval: 4,
  phase: 5,
  jitter: 6,
  silent: 7,
  silentAt: 8,
  comeBack: 9,
  outage: 10,
  outageAt: 11,
  outageLength: 12,
  scanPhase: 13,
  identity: 14,
  computerId: 15,
  serial: 16,
  hardware: 17,
  os: 18,
  user: 19,
  apps: 20,
  cveCount: 21,
  cveSlot: 22,
  cveFound: 23,
  cveFix: 24,
  cveAgain: 25,
  cveExcepted: 26,
  rule: 27,
  ruleState: 28,
  ruleExcepted: 29,
  sensor: 30,
  placeholder: 31,
  network: 32,
  criticality: 33,
  compliancePhase: 34,
  mac: 35,
  realism: 36,
} as const;

export type Keys = { readonly [K in keyof typeof SALT]: number };

export interface FleetContext {
  readonly seed: number;
  readonly epoch: number;
  readonly size: number;
  /** endpoints at epoch plus room for those enrolled later */
  readonly capacity: number;
  /** ms between two enrolments after epoch */
  readonly enrolEveryMs: number;
  /** see `FleetOptions.realism` */
  readonly realism: number;
  /** see `FleetOptions.checkIns` */
  readonly checkIns: CheckInModel;
  readonly k: Keys;
}

export const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);

export function makeContext(options: FleetOptions): FleetContext {
  const size = options.size;
  if (!Number.isInteger(size) || size < 1 || size > 5_000_000) {
    throw new RangeError(`fleet size must be an integer from 1 to 5,000,000, got ${size}`);
  }
  const realism = options.realism ?? 0;
  if (!(realism >= 0 && realism <= 1))
    throw new RangeError(`realism must be a share from 0 to 1, got ${realism}`);
  const checkIns = options.checkIns ?? 'sparse';
  if (checkIns !== 'sparse' && checkIns !== 'frequent')
    throw new RangeError(`checkIns must be "sparse" or "frequent", got ${String(checkIns)}`);
  const seed = seedToInt(options.seed);
  const k = Object.fromEntries(Object.entries(SALT).map(([name, salt]) => [name, key(seed, salt)])) as Keys;
  const epoch = Math.floor((options.epoch ?? DEFAULT_EPOCH) / 1000) * 1000;
  return {
    seed,
    epoch,
    size,
    capacity: size + Math.ceil(size * CHURN.enrolHeadroom),
    enrolEveryMs: Math.max(1000, Math.round(DAY / (size * CHURN.enrolPerDay))),
    realism,
    checkIns,
    k,
  };
}
