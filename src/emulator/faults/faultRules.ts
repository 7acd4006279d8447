import { GATEWAY_PATH } from '../gateway/graphqlRoute.js';

/**
 * Fault rules: what `POST /__emulator/faults` and `--faults FILE` accept, validated strictly.
 * Every refusal names the field (`rules[2].fault`) and the values it allows.
 */

/** One installed rule, normalised (method upper-case, defaults filled in), as the control routes echo it. */
export interface FaultRule {
  method: string;
  path: string;
  operation?: string;
  fault: string;
  rate?: number;
  count?: number;
  retryAfter?: number;
}

/** The parsed meaning of a rule's `fault` string. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter: number | undefined }
  | { kind: 'latency'; ms: number }
  /** The handler runs (a change is applied), then the answer waits `ms` before it is sent. */
  | { kind: 'latency-after-commit'; ms: number }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'graphql-error' }
  | { kind: 'expire-cursor' }
  | { kind: 'drop-response-after-commit' };

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

export const FAULT_KINDS =
  'status:CODE (400-599), latency:MS, latency-after-commit:MS, reset, truncate, graphql-error, expire-cursor, drop-response-after-commit';
export const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const RULE_FIELDS = ['method', 'path', 'operation', 'fault', 'rate', 'count', 'retryAfter'] as const;
/** The longest injected delay: long enough for any client timeout test, short enough to not wedge a run. */
export const MAX_LATENCY_MS = 600_000;
export const MAX_RULES = 100;
/** Seconds of `Retry-After` on a 429 when the rule does not say. */
export const DEFAULT_RETRY_AFTER_S = 1;

/** Parses `{"rules": [...]}`; throws FaultRuleError on the first problem, so nothing half-valid is installed. */
export function parseFaultRules(body: unknown): FaultRule[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FaultRuleError('the body must be a JSON object {"rules": [...]}');
  const extra = Object.keys(body).filter((key) => key !== 'rules');
  if (extra.length > 0)
    throw new FaultRuleError(`unknown field "${extra[0]}"; the only allowed field is "rules"`);
  const rules = (body as { rules?: unknown }).rules;
  if (!Array.isArray(rules))
    throw new FaultRuleError('field "rules" is required and must be an array of rules');
  if (rules.length > MAX_RULES) throw new FaultRuleError(`field "rules" holds at most ${MAX_RULES} rules`);
  return rules.map((rule, index) => parseRule(rule, `rules[${index}]`));
}

function parseRule(input: unknown, at: string): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultRuleError(`${at} must be an object with fields ${RULE_FIELDS.join(', ')}`);
  const rule = input as Record<string, unknown>;
  const unknown = Object.keys(rule).find((key) => !(RULE_FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined)
    throw new FaultRuleError(
      `${at}.${unknown} is not a rule field; allowed fields: ${RULE_FIELDS.join(', ')}`,
    );

  const method = parseMethod(rule['method'], `${at}.method`);
  const path = parsePath(rule['path'], `${at}.path`);
  const faultText = rule['fault'];
  if (typeof faultText !== 'string')
    throw new FaultRuleError(`${at}.fault is required; allowed values: ${FAULT_KINDS}`);
  const fault = parseFault(faultText, `${at}.fault`);
  const out: FaultRule = { method, path, fault: faultText };

  const operation = rule['operation'];
  if (operation !== undefined) {
    if (typeof operation !== 'string' || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(operation))
      throw new FaultRuleError(
        `${at}.operation must be a GraphQL name (an operation name or a root field such as "apiTokenRotate")`,
      );
    if (!pathMatches(path, GATEWAY_PATH))
      throw new FaultRuleError(
        `${at}.operation applies only to the Gateway: set ${at}.path to "${GATEWAY_PATH}"`,
      );
    out.operation = operation;
  }

  const { rate, count } = rule;
  if ((rate === undefined) === (count === undefined))
    throw new FaultRuleError(
      `${at} needs exactly one of "rate" (0 < rate <= 1, a probability per request) or "count" (the first n requests)`,
    );
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 1))
      throw new FaultRuleError(`${at}.rate must be a number with 0 < rate <= 1, e.g. 0.05`);
    out.rate = rate;
  }
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)
      throw new FaultRuleError(`${at}.count must be a whole number of at least 1`);
    out.count = count;
  }

  const retryAfter = rule['retryAfter'];
  if (retryAfter !== undefined) {
    if (fault.kind !== 'status')
      throw new FaultRuleError(`${at}.retryAfter applies only to status faults (e.g. "status:429")`);
    if (typeof retryAfter !== 'number' || !Number.isSafeInteger(retryAfter) || retryAfter < 0)
      throw new FaultRuleError(`${at}.retryAfter must be a whole number of seconds, 0 or more`);
    out.retryAfter = retryAfter;
  } else if (fault.kind === 'status' && fault.status === 429) {
    out.retryAfter = DEFAULT_RETRY_AFTER_S;
  }
  return out;
}

function parseMethod(value: unknown, at: string): string {
  if (value === undefined) return '*';
  const method = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (method === undefined || !(METHODS as readonly string[]).includes(method))
    throw new FaultRuleError(`${at} must be one of ${METHODS.join(', ')}`);
  return method;
}

function parsePath(value: unknown, at: string): string {
  const hint = 'an exact path such as "/api/v2/api_tokens", or a prefix ending in "*" such as "/api/v2/*"';
  if (typeof value !== 'string' || value === '') throw new FaultRuleError(`${at} is required: ${hint}`);
  if (value !== '*' && !value.startsWith('/')) throw new FaultRuleError(`${at} must start with "/": ${hint}`);
  if (value.slice(0, -1).includes('*'))
    throw new FaultRuleError(`${at} may hold "*" only at its end: ${hint}`);
  if (value.includes('?')) throw new FaultRuleError(`${at} is matched without the query string; drop "?…"`);
  if (value.startsWith('/__emulator/'))
    throw new FaultRuleError(`${at}: faults never apply to the emulator's own /__emulator/ routes`);
  return value;
}

export function parseFault(text: string, at = 'fault'): Fault {
  const [name, argument] = splitOnce(text);
  switch (name) {
    case 'status': {
      const status = wholeNumber(argument);
      if (status === undefined || status < 400 || status > 599)
        throw new FaultRuleError(
          `${at} "${text}": the status must be a code from 400 to 599, e.g. "status:503"`,
        );
      return { kind: 'status', status, retryAfter: undefined };
    }
    case 'latency':
    case 'latency-after-commit': {
      const ms = wholeNumber(argument);
      if (ms === undefined || ms > MAX_LATENCY_MS)
        throw new FaultRuleError(
          `${at} "${text}": the delay must be whole milliseconds from 0 to ${MAX_LATENCY_MS}, e.g. "${name}:250"`,
        );
      return { kind: name, ms };
    }
    case 'reset':
    case 'truncate':
    case 'graphql-error':
    case 'expire-cursor':
    case 'drop-response-after-commit':
      if (argument !== undefined)
        throw new FaultRuleError(`${at} "${text}": "${name}" takes no ":" argument`);
      return { kind: name };
    default:
      throw new FaultRuleError(`${at} "${text}" is not a fault; allowed values: ${FAULT_KINDS}`);
  }
}

function splitOnce(text: string): [string, string | undefined] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Whether a rule's path (exact, or a prefix ending in `*`) covers a request path (without query string). */
export function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return path === pattern;
}
