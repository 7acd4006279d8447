import { parseDocument } from 'yaml';
import { parseDuration } from '../common/duration.js';
import { type Problems, parseCheck } from './parseCheck.js';
import { type Check, DEFAULT_MANAGED_WITHIN_MS, type Policy, type Rule } from './policy.js';
import { policyError } from './policyError.js';

export type PolicyFormat = 'yaml' | 'json';

/** Largest policy text accepted: a policy is a page of rules, not a data set. */
export const MAX_POLICY_BYTES = 256 * 1024;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOP = ['name', 'managedWithin', 'maxDataAge', 'onStaleData', 'rules'];
const RULE = ['name', 'action', 'include', 'require', 'exclude', 'score'];
const DURATION = /^(\d+(\.\d+)?[smhd])+$/;

/**
 * Reads a policy from YAML or JSON and validates all of it: either every problem is reported, each
 * with its path (`rules[2].require[0].riskLevel: expected one of …`), or the whole policy is returned.
 */
export function parsePolicy(text: string, format: PolicyFormat, fallbackName = 'policy'): Policy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    throw policyError([`(file): larger than ${MAX_POLICY_BYTES / 1024} KiB`]);
  const raw = format === 'json' ? readJson(text) : readYaml(text);
  const problems: Problems = [];
  const policy = validate(raw, fallbackName, problems);
  if (problems.length > 0 || !policy) throw policyError(problems);
  return policy;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = /position (\d+)/.exec((error as Error).message)?.[1];
    throw policyError([`(file): not valid JSON${where ? ` at character ${where}` : ''}`]);
  }
}

function readYaml(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw policyError(
      doc.errors.map(
        (e) => `(file): line ${e.linePos?.[0]?.line ?? '?'}: ${e.code.toLowerCase().replaceAll('_', ' ')}`,
      ),
    );
  return doc.toJS() as unknown;
}

function validate(raw: unknown, fallbackName: string, problems: Problems): Policy | undefined {
  if (!isObject(raw)) {
    problems.push('(top): expected an object with "rules"');
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (!TOP.includes(key)) problems.push(`${key}: unknown field; expected ${TOP.join(', ')}`);
  const name = raw['name'] ?? fallbackName;
  if (typeof name !== 'string' || !/^[\w.-]{1,63}$/.test(name))
    problems.push('name: expected 1 to 63 letters, digits, _, . or -');
  const managedWithinMs =
    duration(raw['managedWithin'], 'managedWithin', problems) ?? DEFAULT_MANAGED_WITHIN_MS;
  const maxDataAgeMs = duration(raw['maxDataAge'], 'maxDataAge', problems);
  const onStaleData = raw['onStaleData'] ?? 'deny';
  if (onStaleData !== 'deny' && onStaleData !== 'allow') problems.push('onStaleData: expected deny or allow');
  const rules = raw['rules'];
  if (!Array.isArray(rules) || rules.length === 0) {
    problems.push('rules: expected a non-empty list of rules');
    return undefined;
  }
  const parsed = rules.map((rule, i) => parseRule(rule, `rules[${i}]`, problems));
  const names = new Set<string>();
  parsed.forEach((rule, i) => {
    if (rule && names.has(rule.name)) problems.push(`rules[${i}].name: "${rule.name}" is used twice`);
    if (rule) names.add(rule.name);
  });
  return {
    name: String(name),
    managedWithinMs,
    ...(maxDataAgeMs === undefined ? {} : { maxDataAgeMs }),
    onStaleData: onStaleData === 'allow' ? 'allow' : 'deny',
    rules: parsed.filter((r): r is Rule => r !== undefined),
  };
}

function parseRule(raw: unknown, path: string, problems: Problems): Rule | undefined {
  if (!isObject(raw)) {
    problems.push(`${path}: expected a rule with name, action and include`);
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (!RULE.includes(key)) problems.push(`${path}.${key}: unknown field; expected ${RULE.join(', ')}`);
  const name = raw['name'];
  if (typeof name !== 'string' || name === '') problems.push(`${path}.name: expected a non-empty string`);
  const action = raw['action'];
  if (action !== 'allow' && action !== 'block') problems.push(`${path}.action: expected allow or block`);
  const include = selectors(raw['include'], `${path}.include`, problems, true);
  const require = selectors(raw['require'], `${path}.require`, problems, false);
  const exclude = selectors(raw['exclude'], `${path}.exclude`, problems, false);
  const score = raw['score'];
  if (score !== undefined && !(Number.isInteger(score) && (score as number) >= 0 && (score as number) <= 100))
    problems.push(`${path}.score: expected a whole number from 0 to 100`);
  if (typeof name !== 'string' || (action !== 'allow' && action !== 'block')) return undefined;
  return { name, action, include, require, exclude, ...(typeof score === 'number' ? { score } : {}) };
}

/** Cloudflare requires at least one include selector per rule; require and exclude are optional. */
function selectors(raw: unknown, path: string, problems: Problems, required: boolean): Check[] {
  if (raw === undefined && !required) return [];
  if (!Array.isArray(raw) || (required && raw.length === 0)) {
    problems.push(`${path}: expected a ${required ? 'non-empty ' : ''}list of checks`);
    return [];
  }
  return raw.flatMap((entry, i) => parseCheck(entry, `${path}[${i}]`, problems) ?? []);
}

function duration(raw: unknown, path: string, problems: Problems): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && DURATION.test(raw.trim()) && parseDuration(raw) > 0)
    return parseDuration(raw);
  problems.push(`${path}: expected a duration such as 2h or 7d`);
  return undefined;
}

/** The format a file name says (`.json`: JSON; anything else: YAML, which also reads JSON). */
export function formatOf(file: string): PolicyFormat {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}
