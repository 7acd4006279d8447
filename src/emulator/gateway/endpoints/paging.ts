import type { FleetView } from '../../fleet/index.js';
import type { Collection, CollectionStore } from './collections.js';

/**
 * One page of a collection. `position` is the edge the cursor named (-1 before the first edge, or
 * `length` after the last); forward pages start after it, backward pages end before it.
 */
export function page(
  store: CollectionStore,
  collection: Collection,
  view: FleetView,
  position: number,
  size: number,
  direction: 'forward' | 'backward',
  toNode: (view: FleetView, i: number) => unknown,
) {
  const total = collection.indices.length;
  const start =
    direction === 'forward' ? Math.max(0, position + 1) : Math.max(0, Math.min(position, total) - size);
  const end =
    direction === 'forward' ? Math.min(total, start + size) : Math.max(start, Math.min(position, total));
  const edges: { readonly cursor: string; node: unknown }[] = [];
  for (let p = start; p < end; p++)
    edges.push(lazyEdge(store, collection, p, toNode(view, collection.indices[p]!)));
  return {
    edges,
    totalRecords: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    // The TDS answers from its cache: the collection is complete when it is created.
    collectionInfo: {
      active: false,
      success: true,
      expectedTotal: total,
      respondedTotal: total,
      contributedTotal: total,
      respondedPercentage: total === 0 ? null : 1,
      startCursor: store.cursor(collection, -1),
    },
  };
}

/**
 * An edge whose cursor is encoded when it is read: a page of 5,000 whose query selects no edge
 * cursor (a sync's) costs no 5,000 encodings; one that selects them gets the same strings.
 */
function lazyEdge(store: CollectionStore, collection: Collection, p: number, node: unknown) {
  let cursor: string | undefined;
  return {
    get cursor(): string {
      cursor ??= store.cursor(collection, p);
      return cursor;
    },
    node,
  };
}
