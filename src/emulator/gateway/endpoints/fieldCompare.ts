import { GraphQLError } from 'graphql';

/** Tanium's `FieldFilterOp` values. */
export type FilterOp =
  | 'EQ'
  | 'CONTAINS'
  | 'STARTS_WITH'
  | 'ENDS_WITH'
  | 'MATCHES'
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE'
  | 'READ_AFTER'
  | 'UPDATED_AFTER';

const TIME = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/**
 * Builds a test of one value against `op` and `value`. String operators ignore case, as Tanium's
 * sensors do by default; comparisons are numeric for numbers, chronological for times and
 * lexicographic otherwise. A list value matches when any of its items does.
 */
export function valueTest(
  op: FilterOp,
  value: string | null | undefined,
  label: string,
): (actual: unknown) => boolean {
  if (value === null || value === undefined) {
    throw new GraphQLError(`Invalid filter on ${label}: a value is required for operator ${op}.`);
  }
  const wanted = value.toLowerCase();
  let test: (actual: string | number | boolean) => boolean;
  switch (op) {
    case 'EQ':
      test = (a) => String(a).toLowerCase() === wanted;
      break;
    case 'CONTAINS':
      test = (a) => String(a).toLowerCase().includes(wanted);
      break;
    case 'STARTS_WITH':
      test = (a) => String(a).toLowerCase().startsWith(wanted);
      break;
    case 'ENDS_WITH':
      test = (a) => String(a).toLowerCase().endsWith(wanted);
      break;
    case 'MATCHES': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${value})$`, 'i');
      } catch {
        throw new GraphQLError(`Invalid filter on ${label}: "${value}" is not a valid regular expression.`);
      }
      test = (a) => pattern.test(String(a));
      break;
    }
    case 'GT':
    case 'GTE':
    case 'LT':
    case 'LTE':
      test = comparison(op, value, label);
      break;
    default:
      throw new GraphQLError(`Invalid filter on ${label}: operator ${op} is not supported for this field.`);
  }
  return (actual) => {
    if (Array.isArray(actual))
      return actual.some((item) => item !== null && item !== undefined && test(item));
    if (actual === null || actual === undefined || typeof actual === 'object') return false;
    return test(actual as string | number | boolean);
  };
}

function comparison(op: 'GT' | 'GTE' | 'LT' | 'LTE', value: string, label: string) {
  const ordered = (cmp: number) =>
    op === 'GT' ? cmp > 0 : op === 'GTE' ? cmp >= 0 : op === 'LT' ? cmp < 0 : cmp <= 0;
  const number = Number(value);
  const isNumber = value.trim() !== '' && Number.isFinite(number);
  const time = TIME.test(value.trim()) ? Date.parse(value) : Number.NaN;
  return (actual: string | number | boolean): boolean => {
    if (typeof actual === 'number') {
      if (!isNumber) throw new GraphQLError(`Invalid filter on ${label}: "${value}" is not a number.`);
      return ordered(actual - number);
    }
    if (typeof actual === 'string' && TIME.test(actual)) {
      if (Number.isNaN(time))
        throw new GraphQLError(`Invalid filter on ${label}: "${value}" is not an RFC 3339 time.`);
      return ordered(Date.parse(actual) - time);
    }
    return ordered(String(actual).localeCompare(value));
  };
}

/** Parses the value of a time comparison, naming the field when it is not a time. */
export function timeValue(value: string | null | undefined, label: string): number {
  const ms = value && TIME.test(value.trim()) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new GraphQLError(`Invalid filter on ${label}: "${value}" is not an RFC 3339 time.`);
  return ms;
}

/** Reads a dot path (`os.platform`) from an object; undefined when a step is missing. */
export function readPath(source: unknown, path: readonly string[]): unknown {
  let current = source;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
