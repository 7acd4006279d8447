import { GraphQLError } from 'graphql';
import type { Endpoint, FleetView } from '../../fleet/index.js';
import type { GroupCatalogue, GroupFilter } from '../../objects/groupCatalogue.js';
import { type FilterOp, readPath, timeValue, valueTest } from './fieldCompare.js';
import { compare } from './sortEndpoints.js';

/** Tanium's `EndpointFieldFilter` input, as graphql-js hands it over. */
export interface EndpointFieldFilterInput {
  path?: string | null;
  sensor?: {
    name?: string | null;
    column?: string | null;
    params?: { name: string; value: string }[] | null;
  } | null;
  memberOf?: { id?: string | null; name?: string | null } | null;
  op: FilterOp;
  value?: string | null;
  negated: boolean;
  any: boolean;
  filters?: EndpointFieldFilterInput[] | null;
}

/** Endpoint fields a filter path may name: scalars and lists of scalars, reached through nested objects. */
const OBJECT_FIELDS = new Set(['os', 'os.windows', 'primaryUser', 'memory', 'processor', 'risk']);

/**
 * Builds a predicate over live endpoint indices; endpoints are materialised only for paths that need
 * them. `memberOf` asks the tenant's group catalogue (a deleted group holds nobody; a created one holds
 * the endpoints its filter passes).
 */
export function compileEndpointFilter(
  filter: EndpointFieldFilterInput,
  view: FleetView,
  groups?: GroupCatalogue,
): (i: number) => boolean {
  return compile(filter, view, groups, new Map());
}

/**
 * Predicates that give the same answer for every endpoint, shared within one compiled filter: the
 * incremental sync's `any` filter has one `UPDATED_AFTER` clause per field read (docs/sync.md,
 * "Incremental"), and the emulator answers each from the endpoint's data events alone, so they are
 * one test. A combination asks a shared test once (`distinct`): the same answer, without asking it
 * once per field for each of the fleet's endpoints.
 */
type Shared = Map<string, (i: number) => boolean>;

const shared = (cache: Shared, key: string, make: () => (i: number) => boolean) => {
  let predicate = cache.get(key);
  if (!predicate) {
    predicate = make();
    cache.set(key, predicate);
  }
  return predicate;
};

/** A combination's children, each predicate once (they have no side effects, so `some`/`every` agree). */
const distinct = (children: ((i: number) => boolean)[]) => [...new Set(children)];

/** Group filters compiled once per view (a created group's filter is asked for every endpoint). */
const compiledGroups = new WeakMap<FleetView, WeakMap<GroupFilter, (i: number) => boolean>>();

function groupMember(groups: GroupCatalogue) {
  return (filter: GroupFilter, view: FleetView, i: number): boolean => {
    let byFilter = compiledGroups.get(view);
    if (!byFilter) {
      byFilter = new WeakMap();
      compiledGroups.set(view, byFilter);
    }
    let predicate = byFilter.get(filter);
    if (!predicate) {
      predicate = compile(filter as EndpointFieldFilterInput, view, groups, new Map());
      byFilter.set(filter, predicate);
    }
    return predicate(i);
  };
}

function compile(
  filter: EndpointFieldFilterInput,
  view: FleetView,
  groups: GroupCatalogue | undefined,
  cache: Shared,
): (i: number) => boolean {
  const leaf = leafPredicate(filter, view, groups, cache);
  const children = distinct((filter.filters ?? []).map((child) => compile(child, view, groups, cache)));
  let combined: (i: number) => boolean;
  if (children.length === 0) {
    if (!leaf) throw new GraphQLError('Invalid filter: give one of path, sensor, memberOf or filters.');
    combined = leaf;
  } else {
    const group = filter.any
      ? (i: number) => children.some((child) => child(i))
      : (i: number) => children.every((child) => child(i));
    combined = leaf ? (i: number) => leaf(i) && group(i) : group;
  }
  return filter.negated ? (i: number) => !combined(i) : combined;
}

function leafPredicate(
  filter: EndpointFieldFilterInput,
  view: FleetView,
  groups: GroupCatalogue | undefined,
  cache: Shared,
): ((i: number) => boolean) | undefined {
  const kinds = [filter.path, filter.sensor, filter.memberOf].filter((k) => k !== null && k !== undefined);
  if (kinds.length > 1) throw new GraphQLError('Invalid filter: give only one of path, sensor or memberOf.');
  if (filter.memberOf) {
    const ref = filter.memberOf;
    const group = ref.id ? { id: ref.id } : ref.name ? { name: ref.name } : undefined;
    if (!group) throw new GraphQLError('Invalid filter: memberOf needs an id or a name.');
    if (!groups) return (i) => view.isMember(i, group);
    return groups.memberTest(view, group, groupMember(groups));
  }
  if (filter.sensor) {
    const { column, params } = filter.sensor;
    const name = filter.sensor.name;
    if (!name) throw new GraphQLError('Invalid filter: a sensor filter needs the sensor name.');
    if (isChangeOp(filter.op)) return sensorChangePredicate(filter, name, view, cache);
    const test = valueTest(filter.op, filter.value, `sensor "${name}"`);
    return (i) => {
      const reading = view.sensorReading(i, name, params ?? []);
      const col = column ? reading.columns.find((c) => c.name === column) : reading.columns[0];
      if (!col) throw new GraphQLError(`Invalid filter: sensor "${name}" has no column "${column}".`);
      return test(col.values);
    };
  }
  if (filter.path === 'id' && TEXT_OPS.has(filter.op)) return idTextPredicate(filter, view);
  if (filter.path) return pathPredicate(filter, filter.path, view, cache);
  return undefined;
}

/** String operators, which Tanium applies to string fields (the endpoint id is one). */
const TEXT_OPS = new Set<FilterOp>(['CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'MATCHES']);

/**
 * A string operator on `id` (`id MATCHES ".*[0-4]"` splits a fleet by the id's last character), with
 * the same answer as on the built endpoint, without building it: the id alone is read.
 */
function idTextPredicate(filter: EndpointFieldFilterInput, view: FleetView): (i: number) => boolean {
  const test = valueTest(filter.op, filter.value, 'path "id"');
  return (i) => test(view.endpointId(i));
}

function pathPredicate(
  filter: EndpointFieldFilterInput,
  path: string,
  view: FleetView,
  cache: Shared,
): (i: number) => boolean {
  if (path === 'eidLastSeen' && filter.op !== 'EQ') {
    // The incremental-sync filter: answered from the fleet's check-in times without building endpoints.
    // eidLastSeen is read and updated at every check-in, so both change operators are GT.
    const op = isChangeOp(filter.op) ? 'GT' : filter.op;
    if (!['GT', 'GTE', 'LT', 'LTE'].includes(op)) {
      throw new GraphQLError(`Invalid filter on eidLastSeen: operator ${filter.op} does not apply to times.`);
    }
    const at = timeValue(filter.value, 'eidLastSeen');
    const seen = (i: number) => Math.floor(view.eidLastSeen(i) / 1000) * 1000;
    if (op === 'GT') return (i) => seen(i) > at;
    if (op === 'GTE') return (i) => seen(i) >= at;
    if (op === 'LT') return (i) => seen(i) < at;
    return (i) => seen(i) <= at;
  }
  if (path === 'id' && ['EQ', 'GT', 'GTE', 'LT', 'LTE'].includes(filter.op)) return idPredicate(filter, view);
  if (isChangeOp(filter.op)) return pathChangePredicate(filter, path, view, cache);
  if (path === 'eidFirstSeen' && ['GT', 'GTE', 'LT', 'LTE'].includes(filter.op))
    return timePredicate(filter, 'eidFirstSeen', (i) => view.eidFirstSeen(i));
  const steps = path.split('.');
  validatePath(view, path, steps);
  const test = valueTest(filter.op, filter.value, `path "${path}"`);
  return (i) => test(readPath(view.endpoint(i), steps));
}

const isChangeOp = (op: FilterOp): op is 'READ_AFTER' | 'UPDATED_AFTER' =>
  op === 'READ_AFTER' || op === 'UPDATED_AFTER';

/** A time field compared in whole seconds (as clients see it), without building endpoints. */
function timePredicate(
  filter: EndpointFieldFilterInput,
  label: string,
  ms: (i: number) => number,
): (i: number) => boolean {
  const at = timeValue(filter.value, label);
  const value = (i: number) => Math.floor(ms(i) / 1000) * 1000;
  if (filter.op === 'GT') return (i) => value(i) > at;
  if (filter.op === 'GTE') return (i) => value(i) >= at;
  if (filter.op === 'LT') return (i) => value(i) < at;
  return (i) => value(i) <= at;
}

/**
 * `READ_AFTER` and `UPDATED_AFTER` on an endpoint field (Tanium: "the field value must have been read /
 * updated after the given date and time"). The Data Service reads every field at each check-in; a field
 * is updated when a data event the endpoint reported changed it. The emulator answers for the endpoint
 * as a whole (fleet/reports.ts): a field of an endpoint with a data event since is counted as updated
 * even if that event left it as it was, so an answer may hold more endpoints than changed, never fewer.
 */
function pathChangePredicate(
  filter: EndpointFieldFilterInput,
  path: string,
  view: FleetView,
  cache: Shared,
): (i: number) => boolean {
  const at = timeValue(filter.value, `path "${path}"`);
  const steps = path.split('.');
  const sample: Endpoint | undefined = view.count() > 0 ? view.endpoint(view.live()[0] ?? 0) : undefined;
  const known =
    steps[0] === 'compliance'
      ? steps.length === 1 ||
        (steps.length === 2 && ['cveFindings', 'complianceFindings'].includes(steps[1]!))
      : sample === undefined || readPath(sample, steps) !== undefined;
  if (!known) throw new GraphQLError(`Invalid filter path "${path}": it does not name a field of Endpoint.`);
  if (filter.op === 'READ_AFTER') return shared(cache, `read:${at}`, () => (i) => view.eidLastSeen(i) > at);
  if (path === 'id' || path === 'eidFirstSeen') return (i) => view.eidFirstSeen(i) > at;
  return shared(cache, `updated:${at}`, () => (i) => view.updatedSince(i, at));
}

/** `READ_AFTER` and `UPDATED_AFTER` on a sensor; Online changes with the connection, not with data. */
function sensorChangePredicate(
  filter: EndpointFieldFilterInput,
  name: string,
  view: FleetView,
  cache: Shared,
): (i: number) => boolean {
  const at = timeValue(filter.value, `sensor "${name}"`);
  const sample = view.live()[0];
  if (sample !== undefined) view.sensorReading(sample, name, filter.sensor?.params ?? []);
  if (filter.op === 'READ_AFTER') return shared(cache, `read:${at}`, () => (i) => view.eidLastSeen(i) > at);
  if (name.toLowerCase() === 'online') return (i) => view.onlineChangedSince(i, at);
  return shared(cache, `updated:${at}`, () => (i) => view.updatedSince(i, at));
}

/**
 * `id` compared as the string it is, in the order `sort: {path: "id"}` gives (a sync that lost its
 * cursor asks for `id GT <last id>` in id order), answered without building endpoints.
 */
function idPredicate(filter: EndpointFieldFilterInput, view: FleetView): (i: number) => boolean {
  const value = filter.value;
  if (value === null || value === undefined)
    throw new GraphQLError(`Invalid filter on path "id": a value is required for operator ${filter.op}.`);
  const cmp = (i: number) => compare(view.endpointId(i), value);
  switch (filter.op) {
    case 'EQ':
      return (i) => view.endpointId(i) === value;
    case 'GT':
      return (i) => cmp(i) > 0;
    case 'GTE':
      return (i) => cmp(i) >= 0;
    case 'LT':
      return (i) => cmp(i) < 0;
    default:
      return (i) => cmp(i) <= 0;
  }
}

function validatePath(view: FleetView, path: string, steps: readonly string[]): void {
  const sample: Endpoint | undefined = view.count() > 0 ? view.endpoint(view.live()[0] ?? 0) : undefined;
  if (!sample) return;
  const value = readPath(sample, steps);
  if (
    value === undefined ||
    OBJECT_FIELDS.has(path) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value))
  ) {
    throw new GraphQLError(`Invalid filter path "${path}": it does not name a scalar field of Endpoint.`);
  }
}

/**
 * Whether a filter is exactly the incremental-sync form, so candidates come from the fleet's index.
 * Clients see eidLastSeen in whole seconds, so the bound is moved to the second boundary that gives
 * the same answer as comparing the printed values.
 */
export function seenSinceShortcut(
  filter: EndpointFieldFilterInput | null | undefined,
): { ms: number; op: 'GTE' } | undefined {
  if (!filter || filter.negated || filter.filters?.length || filter.path !== 'eidLastSeen') return undefined;
  if (filter.op !== 'GT' && filter.op !== 'GTE') return undefined;
  const at = timeValue(filter.value, 'eidLastSeen');
  const ms = filter.op === 'GT' ? Math.floor(at / 1000) * 1000 + 1000 : Math.ceil(at / 1000) * 1000;
  return { ms, op: 'GTE' };
}
