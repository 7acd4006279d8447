import { GraphQLError } from 'graphql';
import { type FleetView, UnknownSensorError } from '../../fleet/index.js';
import type { GatewayContext, GatewayModule } from '../gatewayModule.js';
import { connectionTypeDefs } from './connectionTypes.js';
import { compileEndpointFilter, type EndpointFieldFilterInput, seenSinceShortcut } from './endpointFilter.js';
import { attachEndpointResolvers, endpointNode, hasListMatch } from './endpointNode.js';
import { endpointTypeDefs } from './endpointTypes.js';
import { type FieldFilterInput, filterList } from './listFilter.js';
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

/** The Gateway's endpoint inventory: `endpoints`, `computerGroups`, `computerGroup`, `sensors`. */
export const endpointsModule: GatewayModule = {
  typeDefs: endpointTypeDefs + connectionTypeDefs,
  fieldResolvers: attachEndpointResolvers,

  query: {
    endpoints: (rawArgs, context, info) => {
      const args = rawArgs as EndpointsArgs;
      const size = args.last ?? args.first ?? 20;
      if (size < 0) throw new GraphQLError('"first" and "last" must not be negative.');
      if (size > MAX_PAGE)
        throw new GraphQLError(
          `"first" and "last" may be at most ${MAX_PAGE}; page through larger collections with "after".`,
        );
      if (args.before && args.last == null)
        throw new GraphQLError('"last" is required when "before" is given.');
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
      let indices = select(view, args.filter, nested.listFilters);
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
    },
    computerGroups: (rawArgs, context) => {
      const args = rawArgs as {
        first?: number;
        after?: string | null;
        filter?: { name?: string; nameOp?: string; type?: string };
      };
      let groups = context.gateway.fleet.groups();
      const f = args.filter;
      if (f?.name) {
        const name = f.name.toLowerCase();
        groups = groups.filter((g) =>
          f.nameOp === 'CONTAINS' ? g.name.toLowerCase().includes(name) : g.name.toLowerCase() === name,
        );
      }
      if (f?.type) groups = groups.filter((g) => g.type === f.type);
      return simpleConnection(groups, args.first ?? 20, args.after);
    },
    computerGroup: (rawArgs, context) => {
      const ref = rawArgs['ref'] as { id?: string; name?: string };
      return (
        context.gateway.fleet.groups().find((g) => (ref.id ? g.id === ref.id : g.name === ref.name)) ?? null
      );
    },
    sensors: (rawArgs, context) => {
      const args = rawArgs as { first?: number; after?: string | null; filter?: FieldFilterInput | null };
      const sensors = context.gateway.fleet.sensors().map((s) => ({
        ...s,
        hidden: false,
        ignoreCase: true,
        maxAgeSeconds: 600,
        columns: s.columns.map((name) => ({ name, valueType: s.valueType, hidden: false, ignoreCase: true })),
        parameters: [...s.parameters],
      }));
      const filtered = filterList(sensors, args.filter, 'Sensor', [
        'name',
        'category',
        'description',
        'valueType',
        'virtual',
      ]);
      return simpleConnection(filtered, args.first ?? 2000, args.after);
    },
  },
};

function select(
  view: FleetView,
  filter: EndpointFieldFilterInput | null | undefined,
  listFilters: { field: string; filter: unknown }[],
): Int32Array {
  const shortcut = seenSinceShortcut(filter);
  const candidates = shortcut ? view.seenSince(shortcut.ms, shortcut.op) : view.live();
  const predicates: ((i: number) => boolean)[] = [];
  if (filter && !shortcut) predicates.push(compileEndpointFilter(filter, view));
  for (const nested of listFilters) {
    const field = nested.field as 'installedApplications' | 'cveFindings' | 'complianceFindings';
    predicates.push((i) => hasListMatch(view, i, field, nested.filter as FieldFilterInput));
  }
  if (predicates.length === 0) return candidates;
  const kept: number[] = [];
  for (const i of candidates) if (predicates.every((p) => p(i))) kept.push(i);
  return Int32Array.from(kept);
}

function checkSensors(context: GatewayContext, names: readonly string[]): void {
  const known = new Set(context.gateway.fleet.sensors().map((s) => s.name.toLowerCase()));
  for (const name of names) {
    if (!known.has(name.toLowerCase())) {
      throw new GraphQLError(new UnknownSensorError(name).message);
    }
  }
}

/** Small, static collections (groups, sensors): cursors are plain offsets. */
function simpleConnection<T>(items: readonly T[], first: number, after: string | null | undefined) {
  if (first < 0 || first > MAX_PAGE) throw new GraphQLError(`"first" must be between 0 and ${MAX_PAGE}.`);
  const start = after
    ? Number(
        Buffer.from(after, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      ) + 1
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new GraphQLError(`Invalid cursor "${after}".`);
  const slice = items.slice(start, start + first);
  const cursor = (n: number) => Buffer.from(`offset:${n}`).toString('base64url');
  return {
    edges: slice.map((node, k) => ({ cursor: cursor(start + k), node })),
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursor(start) : null,
      endCursor: slice.length ? cursor(start + slice.length - 1) : null,
    },
    totalRecords: items.length,
  };
}
