import type { StreamDefinition, StreamOptions } from '../streams/stream.js';

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
  return `query SyncEndpoints($first: Int, $after: Cursor, $filter: EndpointFieldFilter) {
  endpoints(first: $first, after: $after, filter: $filter) {
    totalRecords
    pageInfo { hasNextPage endCursor }
    edges { node { ${parts.join('\n')} } }
  }
}`;
}
