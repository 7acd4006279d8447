import type { DocumentNode, GraphQLError } from 'graphql';
import { measureDocument, type PageDefaults } from './documentMeasure.js';
import { type PageTerms, pageItems } from './pageTerms.js';
import { type GatewayLimits, limitError } from './queryLimits.js';
import { textNesting } from './textNesting.js';

/**
 * The checks that run before parsing: the text's size and how deeply it nests (the parser recurses
 * per level, and a few thousand levels would overflow its stack). The first limit exceeded is returned
 * as a Gateway error.
 */
export function checkBeforeParse(text: string, limits: GatewayLimits): GraphQLError | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxDocumentBytes) return limitError('QUERY_TOO_LARGE', bytes, limits.maxDocumentBytes);
  const nesting = textNesting(text);
  if (nesting.selections > limits.maxDepth) {
    return limitError('QUERY_TOO_DEEP', nesting.selections, limits.maxDepth);
  }
  if (nesting.values > limits.maxDepth) return limitError('VALUE_TOO_DEEP', nesting.values, limits.maxDepth);
  return undefined;
}

/** Variables nest no deeper than values in the text may (their coercion recurses too); every request. */
export function checkVariables(variables: unknown, limits: GatewayLimits): GraphQLError | undefined {
  // The variables object itself is not a level: `{"f": {"path": …}}` nests one level, as `f: {path: …}`.
  const depth = jsonNesting(variables) - 1;
  return depth > limits.maxDepth ? limitError('VALUE_TOO_DEEP', depth, limits.maxDepth) : undefined;
}

/**
 * The checks that need the parsed document: depth, aliases and fields with fragments expanded. Also
 * returns each operation's page terms, which every request completes with its variables (`checkPages`).
 */
export function checkParsed(
  document: DocumentNode,
  limits: GatewayLimits,
  defaults: PageDefaults,
): { error: GraphQLError } | { pages: PageTerms[] } {
  const measure = measureDocument(document, defaults);
  if (measure.depth > limits.maxDepth) {
    return { error: limitError('QUERY_TOO_DEEP', measure.depth, limits.maxDepth) };
  }
  if (measure.aliases > limits.maxAliases) {
    return { error: limitError('TOO_MANY_ALIASES', measure.aliases, limits.maxAliases) };
  }
  if (measure.fields > limits.maxFields) {
    return { error: limitError('TOO_MANY_FIELDS', measure.fields, limits.maxFields) };
  }
  return { pages: measure.operationPages };
}

/** The connection items the largest operation asks for, with this request's variables, within the limit. */
export function checkPages(
  pages: readonly PageTerms[],
  variables: Readonly<Record<string, unknown>>,
  limits: GatewayLimits,
): GraphQLError | undefined {
  const items = Math.max(0, ...pages.map((terms) => pageItems(terms, variables)));
  return items > limits.maxPageItems ? limitError('TOO_MANY_ITEMS', items, limits.maxPageItems) : undefined;
}

/** How deeply JSON arrays and objects nest in `value` (0 for a scalar), without recursion. */
export function jsonNesting(value: unknown): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return deepest;
}
