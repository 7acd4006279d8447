/**
 * Realism: the gaps a real Tanium answer has. Tanium's published Gateway schema lets `compliance`,
 * `compliance.cveFindings`, `compliance.complianceFindings` and several endpoint and finding fields be
 * null, and a real server records `TSE-Error: …` and `[current result unavailable]` readings. With
 * `realism` s, each kind of gap happens with chance s per endpoint and check-in, drawn from the seed: an
 * endpoint answered in one pass may have a gap in the next. Gaps change only when the endpoint's
 * eidLastSeen moves, like everything it reports, so an incremental sync sees every change.
 */
import type { FleetContext } from './context.js';
import { below, h3, unit } from './hash.js';
import { SECOND } from './time.js';

/** `Endpoint` fields the schema lets be null (the ones a client reads, and `disks`). */
export const NULLABLE_ENDPOINT_FIELDS = [
  'isVirtual',
  'isEncrypted',
  'ipAddresses',
  'macAddresses',
  'eidFirstSeen',
  'disks',
  'risk',
] as const;
export type NullableEndpointField = (typeof NULLABLE_ENDPOINT_FIELDS)[number];

/** Finding fields left null by a `findingFields` gap: per-endpoint state in experimental fields. */
export const NULLABLE_CVE_FINDING_FIELDS = ['epssScore', 'excepted'] as const;
export const NULLABLE_COMPLIANCE_FINDING_FIELDS = ['excepted'] as const;

/** What the Gateway leaves null for one endpoint at one check-in. */
export interface AnswerGaps {
  /** `compliance` is null (its lists are not known either) */
  compliance: boolean;
  /** `compliance.cveFindings` is null */
  cveFindings: boolean;
  /** `compliance.complianceFindings` is null */
  complianceFindings: boolean;
  /** endpoint fields answered null */
  endpointFields: readonly NullableEndpointField[];
  /** the findings' `NULLABLE_*_FINDING_FIELDS` are null */
  findingFields: boolean;
}

export const NO_GAPS: AnswerGaps = Object.freeze({
  compliance: false,
  cveFindings: false,
  complianceFindings: false,
  endpointFields: Object.freeze([]),
  findingFields: false,
});

/** Draw numbers: one per kind of gap; sensors use `SENSOR_DRAW + sensor index`. */
const DRAW = { compliance: 0, cveFindings: 1, complianceFindings: 2, endpointFields: 3, findingFields: 4 };
const FIELD_PICK = 5;
const SENSOR_DRAW = 16;

/** The check-in an answer belongs to, in seconds (fits the hash until 2106). */
const checkIn = (seen: number): number => Math.floor(seen / SECOND);

/** The gaps of endpoint i's answer given at check-in `seen` (its eidLastSeen, ms). */
export function answerGaps(c: FleetContext, i: number, seen: number): AnswerGaps {
  if (c.realism <= 0) return NO_GAPS;
  const at = checkIn(seen);
  const draw = (kind: number) => unit(h3(c.k.realism, i, kind, at)) < c.realism;
  const gaps = {
    compliance: draw(DRAW.compliance),
    cveFindings: draw(DRAW.cveFindings),
    complianceFindings: draw(DRAW.complianceFindings),
    endpointFields: draw(DRAW.endpointFields) ? pickFields(h3(c.k.realism, i, FIELD_PICK, at)) : [],
    findingFields: draw(DRAW.findingFields),
  };
  const any =
    gaps.compliance ||
    gaps.cveFindings ||
    gaps.complianceFindings ||
    gaps.endpointFields.length > 0 ||
    gaps.findingFields;
  return any ? gaps : NO_GAPS;
}

/** One or more fields, from the bits of a hash. */
function pickFields(x: number): NullableEndpointField[] {
  const fields = NULLABLE_ENDPOINT_FIELDS.filter((_, k) => ((x >>> k) & 1) === 1);
  return fields.length > 0 ? fields : [NULLABLE_ENDPOINT_FIELDS[below(x, NULLABLE_ENDPOINT_FIELDS.length)]!];
}

export type SensorGap = 'error' | 'unavailable';

/** Sensor errors as the Tanium Client reports them (wording ours; Tanium prefixes them `TSE-Error:`). */
const TSE_ERRORS = [
  'TSE-Error: Sensor script timed out',
  'TSE-Error: Script exited with a non-zero exit code',
  'TSE-Error: Access is denied',
];

/**
 * The placeholder reading sensor n gives on endpoint i at check-in `seen`, if any: half `TSE-Error: …`,
 * half `[current result unavailable]`. Only sensors that run on the endpoint (not virtual ones).
 */
export function sensorGap(c: FleetContext, i: number, seen: number, n: number): SensorGap | null {
  if (c.realism <= 0) return null;
  const x = h3(c.k.realism, i, SENSOR_DRAW + n, checkIn(seen));
  if (unit(x) >= c.realism) return null;
  return (x & 1) === 0 ? 'error' : 'unavailable';
}

/** The text of a `TSE-Error` reading. */
export function tseError(c: FleetContext, i: number, seen: number, n: number): string {
  return TSE_ERRORS[below(h3(c.k.realism, i, SENSOR_DRAW + n + 0x10000, checkIn(seen)), TSE_ERRORS.length)]!;
}
