import { GraphQLError } from 'graphql';
import { type FilterOp, readPath, valueTest } from './fieldCompare.js';

/** Tanium's `FieldFilter` for the items of a list field (installed applications, findings). */
export interface FieldFilterInput {
  path?: string | null;
  op: FilterOp;
  value?: string | null;
  negated: boolean;
  any: boolean;
  filters?: FieldFilterInput[] | null;
  restrictOwner?: boolean;
}

export function compileListFilter<T>(filter: FieldFilterInput, itemType: string): (item: T) => boolean {
  const children = (filter.filters ?? []).map((child) => compileListFilter<T>(child, itemType));
  let leaf: ((item: T) => boolean) | undefined;
  if (filter.path) {
    const steps = filter.path.split('.');
    const test = valueTest(filter.op, filter.value, `${itemType}.${filter.path}`);
    leaf = (item) => test(readPath(item, steps));
  }
  if (!leaf && children.length === 0)
    throw new GraphQLError(`Invalid filter on ${itemType}: give a path or filters.`);
  const group =
    children.length === 0
      ? undefined
      : filter.any
        ? (item: T) => children.some((c) => c(item))
        : (item: T) => children.every((c) => c(item));
  const combined = leaf && group ? (item: T) => leaf(item) && group(item) : (leaf ?? group)!;
  return filter.negated ? (item) => !combined(item) : combined;
}

/** Filters a list, checking first that the path names a field of the item type. */
export function filterList<T extends object>(
  items: readonly T[],
  filter: FieldFilterInput | null | undefined,
  itemType: string,
  fields: readonly string[],
): T[] {
  if (!filter) return items as T[];
  checkPaths(filter, itemType, fields);
  const keep = compileListFilter<T>(filter, itemType);
  return items.filter(keep);
}

function checkPaths(filter: FieldFilterInput, itemType: string, fields: readonly string[]): void {
  if (filter.path && !fields.includes(filter.path.split('.')[0] ?? '')) {
    throw new GraphQLError(`Invalid filter path "${filter.path}": ${itemType} has no such field.`);
  }
  for (const child of filter.filters ?? []) checkPaths(child, itemType, fields);
}
