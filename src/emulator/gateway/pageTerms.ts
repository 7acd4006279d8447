import type { FieldNode } from 'graphql';
import { Kind } from 'graphql';

/**
 * How many connection items (`first`/`last`) an operation asks for, as a sum that the request's
 * variables complete: `endpoints(first: 5000)` is fixed, `endpoints(first: $first)` depends on
 * `$first`. Aliases multiply pages, and pages are what cost time and memory, not fields.
 */
export interface PageTerms {
  fixed: number;
  /** Multiplicity of each variable-sized page, keyed `name\u0000fallback` (fallback when unset). */
  variable: Map<string, number>;
}

export const noPages = (): PageTerms => ({ fixed: 0, variable: new Map() });

/** Adds `times` copies of `more` to `into`. */
export function addPages(into: PageTerms, more: PageTerms, times = 1): void {
  into.fixed += more.fixed * times;
  for (const [key, count] of more.variable)
    into.variable.set(key, (into.variable.get(key) ?? 0) + count * times);
}

/**
 * The page one field asks for: `first` and `last` (both count when both are given), else the field's
 * default page size from `defaults` (connection fields by name), else nothing.
 */
export function fieldPages(field: FieldNode, defaults: ReadonlyMap<string, number>): PageTerms {
  const terms = noPages();
  const fallback = defaults.get(field.name.value) ?? 0;
  const sizes = (field.arguments ?? []).filter((a) => a.name.value === 'first' || a.name.value === 'last');
  if (sizes.length === 0) {
    terms.fixed = fallback;
    return terms;
  }
  for (const { value } of sizes) {
    if (value.kind === Kind.INT) terms.fixed += Number(value.value);
    else if (value.kind === Kind.VARIABLE) terms.variable.set(`${value.name.value}\u0000${fallback}`, 1);
    else terms.fixed += fallback;
  }
  return terms;
}

/** The items asked for, given the request's variables (an unset or non-integer variable counts its fallback). */
export function pageItems(terms: PageTerms, variables: Readonly<Record<string, unknown>>): number {
  let total = terms.fixed;
  for (const [key, count] of terms.variable) {
    const [name = '', fallback] = key.split('\u0000');
    const value = variables[name];
    total +=
      count * (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : Number(fallback));
  }
  return total;
}
