/**
 * The stable traits of endpoint i (kind, OS, hardware, user, office), derived from the seed. Cheap to
 * compute; everything visible about an endpoint starts here.
 */

import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, OFFICES, type Office } from './catalogue/people.js';
import { type HardwareChoice, KINDS, type Kind, type OsChoice } from './catalogue/platforms.js';
import type { FleetContext } from './context.js';
import { h1, h2, pick, pickWeighted, unit } from './hash.js';
import type { RiskLevel } from './types.js';

export interface Profile {
  kind: Kind;
  os: OsChoice;
  hardware: HardwareChoice;
  office: Office;
  firstName: string;
  lastName: string;
  department: string;
  criticality: RiskLevel;
}

const KIND_CUMULATIVE: number[] = (() => {
  let sum = 0;
  const total = KINDS.reduce((a, kind) => a + kind.weight, 0);
  return KINDS.map((kind) => {
    sum += kind.weight / total;
    return sum;
  });
})();

/** Index into KINDS; one hash, no allocation (used by the hot counting loops). */
export function kindIndex(c: FleetContext, i: number): number {
  const u = unit(h1(c.k.kind, i));
  let n = 0;
  while (n < KIND_CUMULATIVE.length - 1 && u >= (KIND_CUMULATIVE[n] as number)) n++;
  return n;
}

export function kindOf(c: FleetContext, i: number): Kind {
  return KINDS[kindIndex(c, i)] as Kind;
}

const SERVER_CRITICALITY: readonly { weight: number; level: RiskLevel }[] = [
  { weight: 3, level: 'Medium' },
  { weight: 5, level: 'High' },
  { weight: 2, level: 'Critical' },
];
const WORKSTATION_CRITICALITY: readonly { weight: number; level: RiskLevel }[] = [
  { weight: 60, level: 'Low' },
  { weight: 34, level: 'Medium' },
  { weight: 5, level: 'High' },
  { weight: 1, level: 'Critical' },
];

export function profileOf(c: FleetContext, i: number): Profile {
  const kind = kindOf(c, i);
  const virtual = unit(h2(c.k.hardware, i, 0)) < kind.virtualShare;
  const hardware = pickWeighted(h2(c.k.hardware, i, 1), virtual ? kind.virtual : kind.physical);
  return {
    kind,
    os: pickWeighted(h1(c.k.os, i), kind.os),
    hardware,
    office: pickWeighted(h2(c.k.user, i, 2), OFFICES),
    firstName: pick(h2(c.k.user, i, 0), FIRST_NAMES),
    lastName: pick(h2(c.k.user, i, 1), LAST_NAMES),
    department: kind.role === 'server' ? 'IT' : pick(h2(c.k.user, i, 3), DEPARTMENTS),
    criticality: pickWeighted(
      h1(c.k.criticality, i),
      kind.role === 'server' ? SERVER_CRITICALITY : WORKSTATION_CRITICALITY,
    ).level,
  };
}
