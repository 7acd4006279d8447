import { GraphQLError } from 'graphql';

/**
 * How large and complex one Gateway request may be. Checked before a document is validated or
 * executed, so an abusive query costs a scan of its text and nothing more. Tanium publishes no such
 * limits; these are the emulator's, generous enough for every document tanium-bridge sends
 * (docs/emulator.md says how each is counted).
 */
export interface GatewayLimits {
  /** Largest query text, in UTF-8 bytes. */
  maxDocumentBytes: number;
  /** Deepest nesting of selection sets (inline fragments count, named fragments expanded), and of values. */
  maxDepth: number;
  /** Most aliases in one operation, named fragments expanded. */
  maxAliases: number;
  /** Most field selections in one operation, named fragments expanded. */
  maxFields: number;
  /** Most connection items one operation asks for: `first`/`last` summed over its fields and aliases. */
  maxPageItems: number;
}

export const DEFAULT_GATEWAY_LIMITS: Readonly<GatewayLimits> = Object.freeze({
  maxDocumentBytes: 64 * 1024,
  maxDepth: 32,
  maxAliases: 64,
  maxFields: 500,
  maxPageItems: 10_000,
});

/** Defaults with any given limits in place; each must be a whole number of at least 1. */
export function resolveGatewayLimits(overrides: Partial<GatewayLimits> = {}): GatewayLimits {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Gateway limit ${name} must be a whole number of at least 1 (got ${value})`);
    }
  }
  return limits;
}

/** The extension codes of limit errors, one per limit. */
export type LimitCode =
  | 'QUERY_TOO_LARGE'
  | 'QUERY_TOO_DEEP'
  | 'VALUE_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_FIELDS'
  | 'TOO_MANY_ITEMS';

const count = (value: number) => (Number.isFinite(value) ? value.toLocaleString('en-US') : 'too many');

/** A Gateway error for a request over a limit: what was found, the limit, and what to do instead. */
export function limitError(code: LimitCode, actual: number, limit: number): GraphQLError {
  const message = {
    QUERY_TOO_LARGE: `The query is ${count(actual)} bytes; the Gateway accepts at most ${count(limit)}. Send a shorter query.`,
    QUERY_TOO_DEEP: `The query nests selections ${count(actual)} levels deep; the Gateway allows at most ${count(limit)}. Select fewer nested fields.`,
    VALUE_TOO_DEEP: `A value in the query or its variables nests ${count(actual)} levels deep; the Gateway allows at most ${count(limit)}. Flatten the value (for filters, combine conditions in one "filters" list).`,
    TOO_MANY_ALIASES: `The query has ${count(actual)} aliases; the Gateway allows at most ${count(limit)}. Send several smaller queries.`,
    TOO_MANY_FIELDS: `The query selects ${count(actual)} fields (fragments expanded); the Gateway allows at most ${count(limit)}. Select fewer fields, or send several smaller queries.`,
    TOO_MANY_ITEMS: `The query asks for ${count(actual)} connection items (first/last summed over its fields and aliases); the Gateway allows at most ${count(limit)}. Page through one collection at a time.`,
  }[code];
  return new GraphQLError(message, {
    extensions: { code, limit, actual: Number.isFinite(actual) ? actual : null },
  });
}
