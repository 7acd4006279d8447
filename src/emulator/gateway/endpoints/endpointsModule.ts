import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { taniumTime } from '../../clock.js';
import { type FleetView, UnknownSensorError } from '../../fleet/index.js';
import type { GatewayContext, GatewayModule } from '../gatewayModule.js';
import { connectionTypeDefs } from './connectionTypes.js';
import { windowed } from './edgeWindow.js';
import { compileEndpointFilter, type EndpointFieldFilterInput, seenSinceShortcut } from './endpointFilter.js';
import { attachEndpointResolvers, endpointNode, hasListMatch } from './endpointNode.js';
import { endpointTypeDefs } from './endpointTypes.js';
import type { FieldFilterInput } from './listFilter.js';
import { page } from './paging.js';
import { nestedArgs } from './selectionArgs.js';
import { sortIndices } from './sortEndpoints.js';

/** Tanium caps `endpoints.first` (and `last`) at 5,000. */
export const MAX_PAGE = 5_000;

interface EndpointsArgs {
  after?: string | null;
  before?: string | null;
  filter?: EndpointFieldFilterInput | null;
  first?: number | null;
  last?: number | null;
  refresh?: string | null;
  sort?: { path?: string | null; sensor?: { name: string } | null; order: 'asc' | 'desc' }[] | null;
}

/** The Gateway's endpoint inventory: `endpoints` (and `endpointIdChanges`). */
export const endpointsModule: GatewayModule = {
  typeDefs: endpointTypeDefs + connectionTypeDefs,
  fieldResolvers: attachEndpointResolvers,

  query: {
    endpoints: (rawArgs, context, info) =>
      windowed(context.edgeWindow, () => endpointsPage(rawArgs as EndpointsArgs, context, info)),
    endpointIdChanges: (_args, context) => ({
      // Endpoint ids in the fleet never change: there is nothing to report after any instant.
      before: taniumTime(context.state.now()),
      changes: [],
    }),
  },
};

/** One page of `endpoints`: of the collection the cursor names, or of a new one. */
function endpointsPage(args: EndpointsArgs, context: GatewayContext, info: GraphQLResolveInfo) {
  const size = args.last ?? args.first ?? 20;
  if (size < 0) throw new GraphQLError('"first" and "last" must not be negative.');
  if (size > MAX_PAGE)
    throw new GraphQLError(
      `"first" and "last" may be at most ${MAX_PAGE}; page through larger collections with "after".`,
    );
  if (args.before && args.last == null) throw new GraphQLError('"last" is required when "before" is given.');
  const { fleet, collections } = context.gateway;
  const now = context.state.now();
  const cursor = args.refresh ? undefined : (args.after ?? args.before ?? undefined);
  if (cursor) {
    const { collection, position } = collections.resolve(cursor, now, context.expireCursor === true);
    return page(
      collections,
      collection,
      fleet.view(collection.at),
      position,
      size,
      args.before ? 'backward' : 'forward',
      endpointNode,
    );
  }
  const view = fleet.view(now);
  const nested = nestedArgs(info);
  checkSensors(context, nested.sensors);
  let indices = select(view, args.filter, nested.listFilters, context);
  if (args.sort?.length) {
    if (args.sort.length > 1) throw new GraphQLError('Sort by at most one field.');
    indices = sortIndices(view, indices, args.sort[0]!);
  }
  const collection = collections.create(indices, now, now);
  return page(
    collections,
    collection,
    view,
    args.before ? indices.length : -1,
    size,
    args.before ? 'backward' : 'forward',
    endpointNode,
  );
}

function select(
  view: FleetView,
  filter: EndpointFieldFilterInput | null | undefined,
  listFilters: { field: string; filter: unknown }[],
  context: GatewayContext,
): Int32Array {
  if (filter && context.gateway.refusesUpdatedAfter) refuseUpdatedAfter(filter);
  const shortcut = seenSinceShortcut(filter);
  const candidates = shortcut ? view.seenSince(shortcut.ms, shortcut.op) : view.live();
  const predicates: ((i: number) => boolean)[] = [];
  if (filter && !shortcut) predicates.push(compileEndpointFilter(filter, view, context.state.objects.groups));
  for (const nested of listFilters) {
    const field = nested.field as 'installedApplications' | 'cveFindings' | 'complianceFindings';
    predicates.push((i) => hasListMatch(view, i, field, nested.filter as FieldFilterInput));
  }
  if (predicates.length === 0) return candidates;
  const kept: number[] = [];
  for (const i of candidates) if (predicates.every((p) => p(i))) kept.push(i);
  return Int32Array.from(kept);
}

/** A tenant whose data sources do not answer `UPDATED_AFTER` (beyond eidLastSeen) refuses the filter. */
function refuseUpdatedAfter(filter: EndpointFieldFilterInput): void {
  if (filter.op === 'UPDATED_AFTER' && filter.path !== 'eidLastSeen' && !filter.filters?.length) {
    const field = filter.path ? `path "${filter.path}"` : `sensor "${filter.sensor?.name ?? ''}"`;
    throw new GraphQLError(`Invalid filter on ${field}: operator UPDATED_AFTER is not valid for this field.`);
  }
  for (const child of filter.filters ?? []) refuseUpdatedAfter(child);
}

function checkSensors(context: GatewayContext, names: readonly string[]): void {
  for (const name of names) {
    if (!context.state.objects.sensors.byName(name)) {
      throw new GraphQLError(new UnknownSensorError(name).message);
    }
  }
}
