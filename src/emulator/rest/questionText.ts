import { HttpError } from '../httpError.js';

/** One selected sensor of a question, with parameters given in brackets: `Get Folder Exists[/opt] from …`. */
export interface QuestionSelect {
  sensor: string;
  params: { name: string; value: string }[];
}

/** A question's optional `with` clause: `with Operating System contains Windows`. */
export interface QuestionCondition {
  sensor: string;
  operator:
    | 'contains'
    | 'equals'
    | 'starts with'
    | 'ends with'
    | 'matches'
    | 'does not contain'
    | 'not equals';
  value: string;
}

export interface ParsedQuestion {
  selects: QuestionSelect[];
  condition?: QuestionCondition;
}

const OPERATORS: readonly QuestionCondition['operator'][] = [
  'does not contain',
  'not equals',
  'starts with',
  'ends with',
  'contains',
  'equals',
  'matches',
];

/**
 * Reads Tanium's canonical question text: `Get <sensor>[params] and <sensor> from all machines
 * [with <sensor> <operator> <value>]`. Sensors named here are checked by the caller.
 */
export function parseQuestionText(text: string): ParsedQuestion {
  const match = /^\s*get\s+(.+?)\s+from\s+all\s+(?:machines|entities)(?:\s+with\s+(.+?))?\s*$/i.exec(text);
  if (!match) {
    throw new HttpError(
      400,
      'QuestionParseError',
      `cannot parse "${text}": use the form "Get <sensor> [and <sensor>…] from all machines [with <sensor> contains <value>]"`,
    );
  }
  const selects = splitSelects(match[1]!).map(parseSelect);
  const condition = match[2] ? parseCondition(match[2]) : undefined;
  return { selects, ...(condition ? { condition } : {}) };
}

function splitSelects(list: string): string[] {
  // " and " separates sensors, except inside the brackets of a parameter.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let k = 0; k < list.length; k++) {
    const ch = list[k]!;
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && /^\s+and\s+/i.test(list.slice(k))) {
      parts.push(current);
      current = '';
      k += (/^\s+and\s+/i.exec(list.slice(k))?.[0].length ?? 1) - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseSelect(text: string): QuestionSelect {
  const match = /^(.+?)(?:\[(.*)\])?$/.exec(text);
  const sensor = match?.[1]?.trim() ?? text;
  const params =
    match?.[2] !== undefined
      ? match[2].split(',').map((value, k) => ({ name: `param${k + 1}`, value: value.trim() }))
      : [];
  return { sensor, params };
}

function parseCondition(text: string): QuestionCondition {
  const lower = text.toLowerCase();
  for (const operator of OPERATORS) {
    const at = lower.indexOf(` ${operator} `);
    if (at > 0) {
      return {
        sensor: text.slice(0, at).trim(),
        operator,
        value: text.slice(at + operator.length + 2).trim(),
      };
    }
  }
  throw new HttpError(
    400,
    'QuestionParseError',
    `cannot parse the condition "${text}": use "<sensor> contains|equals|starts with|ends with|matches <value>"`,
  );
}

export function canonicalText(question: ParsedQuestion): string {
  const selects = question.selects
    .map((s) => (s.params.length ? `${s.sensor}[${s.params.map((p) => p.value).join(',')}]` : s.sensor))
    .join(' and ');
  const condition = question.condition
    ? ` with ${question.condition.sensor} ${question.condition.operator} ${question.condition.value}`
    : '';
  return `Get ${selects} from all machines${condition}`;
}
