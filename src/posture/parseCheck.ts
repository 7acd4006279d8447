import { parseDuration } from '../common/duration.js';
import { type Bounds, type Check, RISK_LEVELS, type RiskLevel } from './policy.js';

/** Collects problems by path; a validator adds to it and returns undefined where a value is bad. */
export type Problems = string[];

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const CHECK_NAMES = [
  'managed',
  'lastSeenWithin',
  'osPlatform',
  'osName',
  'osVersion',
  'diskEncrypted',
  'virtual',
  'riskScore',
  'riskLevel',
  'maxCvss',
  'kevCves',
  'failedCompliance',
  'sensor',
  'computerGroup',
  'identityVerified',
] as const;

/** One selector entry: an object with exactly one check name as its key. */
export function parseCheck(raw: unknown, path: string, problems: Problems): Check | undefined {
  if (!isObject(raw) || Object.keys(raw).length !== 1) {
    problems.push(`${path}: expected an object with one check, such as {"managed": true}`);
    return undefined;
  }
  const [name, value] = Object.entries(raw)[0] as [string, unknown];
  const at = `${path}.${name}`;
  if (!(CHECK_NAMES as readonly string[]).includes(name)) {
    problems.push(`${at}: unknown check; expected one of ${CHECK_NAMES.join(', ')}`);
    return undefined;
  }
  return PARSERS[name as (typeof CHECK_NAMES)[number]](value, at, problems);
}

type Parser = (value: unknown, at: string, problems: Problems) => Check | undefined;

const flag =
  (kind: 'managed' | 'diskEncrypted' | 'virtual' | 'identityVerified'): Parser =>
  (value, at, problems) => {
    if (typeof value === 'boolean') return { kind, expected: value };
    problems.push(`${at}: expected true or false`);
    return undefined;
  };

const bounded =
  (kind: 'riskScore' | 'maxCvss' | 'kevCves', min: number, max: number): Parser =>
  (value, at, problems) => {
    const bounds = parseBounds(value, at, problems, min, max, []);
    return bounds ? { kind, ...bounds } : undefined;
  };

const PARSERS: Record<(typeof CHECK_NAMES)[number], Parser> = {
  managed: flag('managed'),
  diskEncrypted: flag('diskEncrypted'),
  virtual: flag('virtual'),
  identityVerified: flag('identityVerified'),
  lastSeenWithin(value, at, problems) {
    if (typeof value === 'string' && /^(\d+(\.\d+)?[smhd])+$/.test(value.trim()))
      return { kind: 'lastSeenWithin', ms: parseDuration(value), text: value.trim() };
    problems.push(`${at}: expected a duration such as 1h, 3h, 6h, 12h, 24h, 7d or 30d`);
    return undefined;
  },
  osPlatform(value, at, problems) {
    const list = stringList(value, at, problems);
    return list ? { kind: 'osPlatform', anyOf: list } : undefined;
  },
  osName(value, at, problems) {
    if (typeof value === 'string' && value !== '') return { kind: 'osName', equals: value };
    const match = isObject(value) ? parseMatch(value, at, problems, ['equals', 'matches']) : undefined;
    if (match) return { kind: 'osName', ...match };
    if (!isObject(value)) problems.push(`${at}: expected a name, or {"matches": "regular expression"}`);
    return undefined;
  },
  osVersion(value, at, problems) {
    if (!isObject(value)) {
      problems.push(`${at}: expected {"atLeast": "10.0.19045"} and/or {"atMost": …}`);
      return undefined;
    }
    const check: Check & { kind: 'osVersion' } = { kind: 'osVersion' };
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'atLeast' || key === 'atMost') && isVersion(v)) check[key] = String(v);
      else if ((key === 'sensor' || key === 'column') && typeof v === 'string' && v !== '') check[key] = v;
      else if (key === 'atLeast' || key === 'atMost')
        problems.push(`${at}.${key}: expected a version of numbers and dots, such as "14.6.1"`);
      else problems.push(`${at}.${key}: unknown field; expected atLeast, atMost, sensor or column`);
    }
    if (check.atLeast === undefined && check.atMost === undefined)
      problems.push(`${at}: give atLeast or atMost`);
    return check;
  },
  riskScore: bounded('riskScore', 1, 1000),
  maxCvss: bounded('maxCvss', 0, 10),
  kevCves: bounded('kevCves', 0, 1_000_000),
  riskLevel(value, at, problems) {
    if (typeof value === 'string' || Array.isArray(value)) {
      const levels = levelList(value, at, problems);
      return levels ? { kind: 'riskLevel', anyOf: levels } : undefined;
    }
    if (isObject(value) && Object.keys(value).length === 1 && 'atMost' in value) {
      const [level] = levelList(value['atMost'], `${at}.atMost`, problems) ?? [];
      return level ? { kind: 'riskLevel', atMost: level } : undefined;
    }
    problems.push(`${at}: expected a level, a list of levels, or {"atMost": level}`);
    return undefined;
  },
  failedCompliance(value, at, problems) {
    const extra: { category?: string; standard?: string } = {};
    const bounds = parseBounds(value, at, problems, 0, 1_000_000, ['category', 'standard'], extra);
    return bounds ? { kind: 'failedCompliance', ...bounds, ...extra } : undefined;
  },
  /** A group name, a list of names, or {"in": [names]}: a member of any of them passes. */
  computerGroup(value, at, problems) {
    if (isObject(value)) {
      const match = parseMatch(value, at, problems, ['in']);
      return match?.anyOf ? { kind: 'computerGroup', anyOf: match.anyOf } : undefined;
    }
    const list = stringList(value, at, problems);
    return list ? { kind: 'computerGroup', anyOf: list } : undefined;
  },
  sensor(value, at, problems) {
    if (!isObject(value) || typeof value['name'] !== 'string' || value['name'] === '') {
      problems.push(`${at}.name: expected the name of a synced sensor`);
      return undefined;
    }
    const { name, column, ...rest } = value;
    if (column !== undefined && (typeof column !== 'string' || column === ''))
      problems.push(`${at}.column: expected a column name`);
    const match = parseMatch(rest, at, problems, ['equals', 'matches', 'in']);
    if (!match) return undefined;
    return { kind: 'sensor', name, ...(typeof column === 'string' ? { column } : {}), ...match };
  },
};

function parseBounds(
  value: unknown,
  at: string,
  problems: Problems,
  min: number,
  max: number,
  allowed: readonly string[],
  extra: Record<string, string> = {},
): Bounds | undefined {
  if (!isObject(value)) {
    problems.push(`${at}: expected {"atMost": n} and/or {"atLeast": n}`);
    return undefined;
  }
  const bounds: Bounds = {};
  const before = problems.length;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'atLeast' || key === 'atMost') {
      if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) bounds[key] = v;
      else problems.push(`${at}.${key}: expected a number from ${min} to ${max}`);
    } else if (allowed.includes(key)) {
      if (typeof v === 'string' && v !== '') extra[key] = v;
      else problems.push(`${at}.${key}: expected a non-empty string`);
    } else
      problems.push(`${at}.${key}: unknown field; expected ${['atLeast', 'atMost', ...allowed].join(', ')}`);
  }
  if (bounds.atLeast === undefined && bounds.atMost === undefined && problems.length === before)
    problems.push(`${at}: give atLeast or atMost`);
  return problems.length === before ? bounds : undefined;
}

/** `equals` (a string), `matches` (a regular expression) or `in` (a list): exactly one. */
function parseMatch(
  value: Raw,
  at: string,
  problems: Problems,
  allowed: readonly ('equals' | 'matches' | 'in')[],
): { equals?: string; matches?: RegExp; anyOf?: string[] } | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(allowed as readonly string[]).includes(keys[0]!)) {
    problems.push(`${at}: expected exactly one of ${allowed.join(', ')}`);
    return undefined;
  }
  const key = keys[0] as 'equals' | 'matches' | 'in';
  const v = value[key];
  if (key === 'in') {
    const list = stringList(v, `${at}.in`, problems);
    return list ? { anyOf: list } : undefined;
  }
  if (typeof v !== 'string' || v === '') {
    problems.push(`${at}.${key}: expected a non-empty string`);
    return undefined;
  }
  if (key === 'equals') return { equals: v };
  try {
    return { matches: new RegExp(v, 'i') };
  } catch {
    problems.push(`${at}.matches: not a valid regular expression`);
    return undefined;
  }
}

function stringList(value: unknown, at: string, problems: Problems): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === 'string' && v !== ''))
    return list as string[];
  problems.push(`${at}: expected a string or a non-empty list of strings`);
  return undefined;
}

function levelList(value: unknown, at: string, problems: Problems): RiskLevel[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 0 && list.every((v) => (RISK_LEVELS as readonly unknown[]).includes(v)))
    return list as RiskLevel[];
  problems.push(`${at}: expected one of ${RISK_LEVELS.join(', ')}`);
  return undefined;
}

function isVersion(v: unknown): boolean {
  return (typeof v === 'string' && /^\d+(\.\d+)*$/.test(v)) || (typeof v === 'number' && Number.isInteger(v));
}
