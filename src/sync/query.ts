import type { StreamDefinition, StreamOptions } from '../streams/stream.js';

/**
 * A pass reads endpoints in id order (Gateway `EndpointFieldSort`, experimental 1.2 in Tanium's schema),
 * so that a pass whose cursor is gone can continue after the last id it committed (`id GT key`).
 */
export const ID_ORDER = [{ path: 'id', order: 'asc' }] as const;

/**
 * The pass's filter: endpoints seen since `since` (incremental), or those `changes` selects (an
 * incremental pass reading what changed, src/sync/changeFilter.ts), after `afterId` (resumed), or both.
 */
export function passFilter(
  since: string | null,
  afterId: string | null,
  changes: Record<string, unknown> | null = null,
): Record<string, unknown> | null {
  const seen = changes ?? (since === null ? null : { path: 'eidLastSeen', op: 'GT', value: since });
  const after = afterId === null ? null : { path: 'id', op: 'GT', value: afterId };
  if (seen && after) return { filters: [seen, after] };
  return seen ?? after;
}

/**
 * One Gateway `endpoints` query feeding every selected stream: the endpoint identity plus each stream's
 * selection, so one pass over the fleet fills assets, vulnerabilities, compliance and sensors.
 * `compliance { … }` selections of two streams are merged into one field.
 */
export function endpointsQuery(streams: readonly StreamDefinition[], options: StreamOptions): string {
  const parts: string[] = ['id eidLastSeen'];
  const compliance: string[] = [];
  for (const stream of streams) {
    const selection = stream.selection(options).trim();
    const nested = /^compliance\s*\{([\s\S]*)\}$/.exec(selection);
    if (nested) compliance.push(nested[1]!.trim());
    else if (selection) parts.push(selection);
  }
  if (compliance.length > 0) parts.push(`compliance { ${compliance.join(' ')} }`);
  return `query SyncEndpoints($first: Int, $after: Cursor, $filter: EndpointFieldFilter, $sort: [EndpointFieldSort!]) {
  endpoints(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalRecords
    pageInfo { hasNextPage endCursor }
    edges { node { ${parts.join('\n')} } }
  }
}`;
}

/**
 * The ids of the endpoints an incremental pass will read in full, asked with the pass's change filter
 * before its pages (src/sync/changedIds.ts): a few bytes per endpoint.
 */
export const CHANGED_IDS_QUERY = `query SyncChangedIds($first: Int, $after: Cursor, $filter: EndpointFieldFilter, $sort: [EndpointFieldSort!]) {
  endpoints(first: $first, after: $after, filter: $filter, sort: $sort) {
    pageInfo { hasNextPage endCursor }
    edges { node { id } }
  }
}`;

/** The check-in pass's query: ids and check-in times only (src/sync/checkIns.ts). */
export const CHECK_INS_QUERY = `query SyncCheckIns($first: Int, $after: Cursor, $filter: EndpointFieldFilter, $sort: [EndpointFieldSort!]) {
  endpoints(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalRecords
    pageInfo { hasNextPage endCursor }
    edges { node { id eidLastSeen } }
  }
}`;
