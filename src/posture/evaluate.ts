import type { EndpointGroups, PostureEndpoint } from '../store/posture.js';
import { type Bounds, type Check, RISK_LEVELS, type RiskLevel } from './policy.js';
import { groupSentence, spell, spellWindow } from './sentences.js';
import { compareVersions, versionIn } from './version.js';

/** What a check is judged against: the endpoint's facts and the moment of the decision. */
export interface CheckContext {
  endpoint: PostureEndpoint;
  now: number;
  managedWithinMs: number;
  /** The synced rows of each sensor a check names (loaded before evaluation). */
  sensors: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /**
   * The endpoint's computer groups (loaded when a check names groups); undefined: membership was
   * never read for the connection.
   */
  groups?: EndpointGroups;
  /** Whether the endpoint proved its identity (`posture verify`); undefined: not asked. */
  identityVerified?: boolean;
}

/** A check's finding: whether its condition holds (null: the data does not say), in one sentence. */
export interface Finding {
  holds: boolean | null;
  sentence: string;
}

export function evaluate(check: Check, ctx: CheckContext): Finding {
  return EVALUATORS[check.kind](check as never, ctx);
}

type Evaluator<K extends Check['kind']> = (check: Extract<Check, { kind: K }>, ctx: CheckContext) => Finding;

function lastSeen(ctx: CheckContext, windowMs: number, label: string): Finding {
  const seen = ctx.endpoint.lastSeen === null ? Number.NaN : Date.parse(ctx.endpoint.lastSeen);
  if (Number.isNaN(seen)) return { holds: false, sentence: `${label}no last-seen time is known` };
  const age = ctx.now - seen;
  const within = age <= windowMs;
  return {
    holds: within,
    sentence: `${label}last seen ${spell(age)} ago: ${within ? 'within' : 'more than'} ${spellWindow(windowMs)}`,
  };
}

const EVALUATORS: { [K in Check['kind']]: Evaluator<K> } = {
  managed(check, ctx) {
    const seen = lastSeen(ctx, ctx.managedWithinMs, '');
    const managed = seen.holds === true;
    return {
      holds: managed === check.expected,
      sentence: `${managed ? 'managed' : 'not managed'}: ${seen.sentence}`,
    };
  },
  lastSeenWithin: (check, ctx) => lastSeen(ctx, check.ms, ''),
  osPlatform(check, { endpoint }) {
    const platform = endpoint.osPlatform;
    if (!platform) return { holds: null, sentence: 'OS platform not known' };
    const holds = check.anyOf.some((p) => p.toLowerCase() === platform.toLowerCase());
    return {
      holds,
      sentence: `OS platform ${platform}: ${holds ? 'is' : 'not'} ${check.anyOf.join(' or ')}`,
    };
  },
  osName(check, { endpoint }) {
    const name = endpoint.osName;
    if (!name) return { holds: null, sentence: 'OS name not known' };
    const holds = check.matches
      ? check.matches.test(name)
      : name.toLowerCase() === check.equals?.toLowerCase();
    const wanted = check.matches ? `matching /${check.matches.source}/` : `"${check.equals}"`;
    return { holds, sentence: `OS name "${name}": ${holds ? 'is' : 'not'} ${wanted}` };
  },
  osVersion(check, ctx) {
    const version = check.sensor
      ? sensorValues(ctx, check.sensor, check.column)
          .map((v) => versionIn(v))
          .find((v) => v !== undefined)
      : versionIn(ctx.endpoint.osName ?? '', true);
    const source = check.sensor ? `sensor ${check.sensor}` : 'the OS name';
    if (version === undefined) return { holds: null, sentence: `OS version not known (from ${source})` };
    const low = check.atLeast === undefined || compareVersions(version, check.atLeast) >= 0;
    const high = check.atMost === undefined || compareVersions(version, check.atMost) <= 0;
    const sentence = !low
      ? `OS version ${version}: below ${check.atLeast}`
      : !high
        ? `OS version ${version}: above ${check.atMost}`
        : `OS version ${version}: ${boundsText(check.atLeast, check.atMost)}`;
    return { holds: low && high, sentence };
  },
  diskEncrypted: (check, { endpoint }) =>
    flag(endpoint.isEncrypted, check.expected, 'disk encrypted', 'disk not encrypted', 'disk encryption'),
  virtual: (check, { endpoint }) =>
    flag(endpoint.isVirtual, check.expected, 'virtual machine', 'physical machine', 'virtual or physical'),
  riskScore: (check, { endpoint }) => bounded(endpoint.riskScore, check, 'risk score'),
  riskLevel(check, { endpoint }) {
    const level = endpoint.riskLevel?.toLowerCase() as RiskLevel | undefined;
    const rank = level === undefined ? -1 : RISK_LEVELS.indexOf(level);
    if (rank < 0) return { holds: null, sentence: 'risk level not known' };
    if (check.atMost !== undefined) {
      const holds = rank <= RISK_LEVELS.indexOf(check.atMost);
      return { holds, sentence: `risk level ${level}: ${holds ? 'at most' : 'above'} ${check.atMost}` };
    }
    const holds = (check.anyOf ?? []).includes(level!);
    return {
      holds,
      sentence: `risk level ${level}: ${holds ? 'is' : 'not'} ${(check.anyOf ?? []).join(' or ')}`,
    };
  },
  maxCvss(check, { endpoint }) {
    if (!endpoint.factsKnown)
      return { holds: null, sentence: 'CVE findings not computed yet (no complete sync)' };
    if (endpoint.maxCvss === null) return bounded(0, check, 'highest CVSS (no open CVE findings)');
    return bounded(endpoint.maxCvss, check, 'highest CVSS of open CVE findings');
  },
  kevCves(check, { endpoint }) {
    if (!endpoint.factsKnown)
      return { holds: null, sentence: 'CVE findings not computed yet (no complete sync)' };
    const n = endpoint.kevCves.length;
    const found = bounded(n, check, 'open CISA KEV CVEs');
    const named = n > 0 ? ` (${endpoint.kevCves.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''})` : '';
    return { holds: found.holds, sentence: `${found.sentence}${named}` };
  },
  failedCompliance(check, { endpoint }) {
    if (!endpoint.factsKnown)
      return { holds: null, sentence: 'compliance findings not computed yet (no complete sync)' };
    const n = endpoint.failedCompliance
      .filter((f) => check.category === undefined || f.category === check.category)
      .filter((f) => check.standard === undefined || f.standard === check.standard)
      .reduce((sum, f) => sum + f.count, 0);
    const scope = [check.category, check.standard].filter(Boolean).join(', ');
    return bounded(n, check, `failed compliance findings${scope ? ` (${scope})` : ''}`);
  },
  sensor(check, ctx) {
    const values = sensorValues(ctx, check.name, check.column);
    const label = `sensor ${check.name}${check.column ? ` (${check.column})` : ''}`;
    if (values.length === 0) return { holds: null, sentence: `${label}: no synced value` };
    const one = (v: string) =>
      check.matches
        ? check.matches.test(v)
        : check.anyOf
          ? check.anyOf.includes(v)
          : v.toLowerCase() === check.equals?.toLowerCase();
    const holds = values.some(one);
    const wanted = check.matches
      ? `matching /${check.matches.source}/`
      : check.anyOf
        ? `one of ${check.anyOf.join(', ')}`
        : `"${check.equals}"`;
    return { holds, sentence: `${label} "${values[0]}": ${holds ? 'is' : 'not'} ${wanted}` };
  },
  computerGroup(check, { groups }) {
    if (!groups)
      return { holds: null, sentence: 'computer group membership not known (no complete sync has read it)' };
    const lower = (list: readonly string[]) => new Set(list.map((g) => g.toLowerCase()));
    const member = lower(groups.memberOf);
    const hit = check.anyOf.find((g) => member.has(g.toLowerCase()));
    if (hit) return { holds: true, sentence: `member of ${hit}` };
    const read = lower(groups.groups);
    const missing = check.anyOf.filter((g) => !read.has(g.toLowerCase()));
    // Beyond the cap a group was not read: its membership is unknown, never "not a member".
    if (groups.capped && missing.length > 0)
      return {
        holds: null,
        sentence: `computer group membership of ${missing.join(', ')} not known (more groups than were read)`,
      };
    return { holds: false, sentence: groupSentence(check.anyOf, missing) };
  },
  identityVerified(check, ctx) {
    const verified = ctx.identityVerified === true;
    const sentence =
      ctx.identityVerified === undefined
        ? 'endpoint identity not verified (no identity proof was asked for)'
        : verified
          ? 'endpoint identity verified'
          : 'endpoint identity not verified';
    return { holds: verified === check.expected, sentence };
  },
};

function flag(value: boolean | null, expected: boolean, yes: string, no: string, what: string): Finding {
  if (value === null) return { holds: null, sentence: `${what} not known` };
  return { holds: value === expected, sentence: value ? yes : no };
}

function bounded(value: number | null, bounds: Bounds, label: string): Finding {
  if (value === null) return { holds: null, sentence: `${label} not known` };
  if (bounds.atLeast !== undefined && value < bounds.atLeast)
    return { holds: false, sentence: `${label} ${value}: below ${bounds.atLeast}` };
  if (bounds.atMost !== undefined && value > bounds.atMost)
    return { holds: false, sentence: `${label} ${value}: more than ${bounds.atMost}` };
  return { holds: true, sentence: `${label} ${value}: ${boundsText(bounds.atLeast, bounds.atMost)}` };
}

function boundsText(atLeast: unknown, atMost: unknown): string {
  const parts = [
    atLeast === undefined ? '' : `at least ${atLeast}`,
    atMost === undefined ? '' : `at most ${atMost}`,
  ];
  return parts.filter(Boolean).join(' and ');
}

/** The values of a sensor's column (its first column when none is named) on every synced row. */
function sensorValues(ctx: CheckContext, sensor: string, column: string | undefined): string[] {
  const rows = ctx.sensors.get(sensor) ?? [];
  return rows.flatMap((row) => {
    const value = column === undefined ? Object.values(row)[0] : row[column];
    return value === undefined || value === null ? [] : [String(value)];
  });
}
