import { GraphQLError } from 'graphql';

/** Relay paging arguments as Tanium's connection fields take them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

const cursorOf = (n: number) => Buffer.from(`offset:${n}`).toString('base64url');

function positionOf(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = /^offset:(\d+)$/.exec(text)?.[1];
  if (n === undefined) throw new GraphQLError(`Invalid cursor "${cursor}".`);
  return Number(n);
}

/**
 * One page of a small collection (groups, sensors, actions, …) in either direction: `first`/`after`
 * forward, `last`/`before` backward (`last` is required with `before`). Cursors are positions in the
 * list, as stable as the list itself. `defaultFirst` is the field's `first` default in Tanium's schema.
 */
export function listConnection<T>(
  items: readonly T[],
  args: PageArgs,
  options: { max: number; defaultFirst: number },
) {
  const { max } = options;
  if (args.before && (args.last === null || args.last === undefined))
    throw new GraphQLError('"last" is required when "before" is given.');
  for (const [name, value] of [
    ['first', args.first],
    ['last', args.last],
  ] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > max))
      throw new GraphQLError(`"${name}" must be between 0 and ${max}.`);
  }
  const backward = args.before !== null && args.before !== undefined;
  let start: number;
  let end: number;
  if (backward || (args.last != null && args.first == null && !args.after)) {
    end = backward ? Math.min(positionOf(args.before!), items.length) : items.length;
    start = Math.max(0, end - (args.last ?? options.defaultFirst));
  } else {
    start = args.after ? positionOf(args.after) + 1 : 0;
    end = Math.min(items.length, start + (args.first ?? options.defaultFirst));
  }
  const slice = items.slice(start, Math.max(start, end));
  const edges = slice.map((node, k) => ({ cursor: cursorOf(start + k), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalRecords: items.length,
    totalCount: items.length,
  };
}
