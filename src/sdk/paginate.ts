/**
 * Gateway connection paging (Octokit's paginate as an async iterator): `first`/`after` variables,
 * `pageInfo { hasNextPage endCursor }`. A cursor seen before (or a missing one while hasNextPage)
 * would loop forever, so it stops with a typed error instead.
 */
import { UnexpectedResponseError } from './errors.js';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  edges: { node: TNode; cursor?: string }[];
  pageInfo: PageInfo;
  totalRecords?: number;
}

export interface PaginateOptions {
  /** Where the connection sits in `data`: a dotted path (`endpoints`) or a function. */
  connection: string | ((data: unknown) => unknown);
  /** Page size passed as `$first` (Tanium suggests 100 to start; endpoints allow up to 5,000). */
  first?: number;
  /** Other variables; `first` and `after` are set by the iterator. */
  variables?: Record<string, unknown>;
}

export type RunQuery = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

function pick(data: unknown, path: string): unknown {
  let current = data;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asConnection<TNode>(value: unknown, where: string): Connection<TNode> {
  const c = value as Partial<Connection<TNode>> | null | undefined;
  if (
    c === null ||
    c === undefined ||
    !Array.isArray(c.edges) ||
    typeof c.pageInfo !== 'object' ||
    c.pageInfo === null
  ) {
    throw new UnexpectedResponseError(`Gateway answer has no connection (edges, pageInfo) at "${where}".`, {
      kind: 'invalid-json',
    });
  }
  return c as Connection<TNode>;
}

/** Yield each page's connection in order. */
export async function* paginatePages<TNode>(
  run: RunQuery,
  query: string,
  options: PaginateOptions,
): AsyncGenerator<Connection<TNode>> {
  const where = typeof options.connection === 'string' ? options.connection : 'the selected field';
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const data = await run(query, { ...options.variables, first: options.first ?? 100, after });
    const raw =
      typeof options.connection === 'string' ? pick(data, options.connection) : options.connection(data);
    const page = asConnection<TNode>(raw, where);
    yield page;
    if (!page.pageInfo.hasNextPage) return;
    const next = page.pageInfo.endCursor;
    if (next === null || next === undefined || next === '' || seen.has(next) || next === after) {
      throw new UnexpectedResponseError(
        `Gateway cursor did not advance at "${where}" (hasNextPage is true but endCursor ${next ? 'repeats' : 'is empty'}); stopping to avoid an endless loop. Restart the collection.`,
        { kind: 'stalled-cursor' },
      );
    }
    seen.add(next);
    after = next;
  }
}

/** Yield every node of every page, once. */
export async function* paginate<TNode>(
  run: RunQuery,
  query: string,
  options: PaginateOptions,
): AsyncGenerator<TNode> {
  for await (const page of paginatePages<TNode>(run, query, options)) {
    for (const edge of page.edges) yield edge.node;
  }
}
