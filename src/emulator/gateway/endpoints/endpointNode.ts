import { GraphQLError, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import {
  type AnswerGaps,
  type Endpoint,
  type FleetView,
  NO_RESULTS,
  NULLABLE_COMPLIANCE_FINDING_FIELDS,
  NULLABLE_CVE_FINDING_FIELDS,
  rfc3339,
  type SensorParam,
  UnknownSensorError,
} from '../../fleet/index.js';
import type { SensorCatalogue } from '../../objects/sensorCatalogue.js';
import type { GatewayContext } from '../gatewayModule.js';
import {
  deployedSoftwarePackages,
  discover,
  diskSpace,
  ENTITY_PROVIDER,
  eventCounts,
  memoryUse,
  sentinel,
  software,
  WIRELESS_DEPRECATED,
} from './endpointExtras.js';
import { type FieldFilterInput, filterList } from './listFilter.js';
import { type SensorValueFilterInput, sensorValueRows } from './sensorValueFilter.js';

const APP_FIELDS = ['name', 'version', 'silentUninstallString', 'uninstallable'];
const DEPLOY_FIELDS = ['id', 'name', 'vendor', 'version', 'applicability', 'gallery'];
const CVE_FIELDS = [
  'cveId',
  'cveYear',
  'cvssScore',
  'cvssScoreV3',
  'severity',
  'severityV3',
  'summary',
  'firstFound',
  'lastFound',
  'absoluteFirstFoundDate',
  'excepted',
  'isCisaKev',
  'epssScore',
  'lastScanDate',
];
const COMPLIANCE_FIELDS = [
  'id',
  'ruleId',
  'rule',
  'category',
  'state',
  'standard',
  'standardVersion',
  'profile',
  'profileVersion',
  'firstFoundDate',
  'lastScanDate',
  'excepted',
];

interface SensorRef {
  name: string;
  params?: SensorParam[] | null;
  columns?: string[] | null;
  filter?: SensorValueFilterInput | null;
}

/**
 * Where a node came from, so field resolvers compute findings and readings only when selected, and the
 * gaps of its answer (realism: fields Tanium's schema lets be null that come back null this time).
 */
const ORIGIN = Symbol('endpoint origin');
interface Origin {
  view: FleetView;
  i: number;
  gaps: AnswerGaps;
}
type EndpointNode = Endpoint & { [ORIGIN]: Origin };

/**
 * The object behind one `Endpoint` node: the fleet's endpoint as the Gateway answers it (its gaps null),
 * tagged with where it came from. Filters and sorts read the fleet's values, not these. Built on first
 * use of a field other than `id` and `eidLastSeen`, so that a query of ids and check-ins only (a sync's
 * check-in pass, group members) does not build every endpoint.
 */
export function endpointNode(view: FleetView, i: number): EndpointNode {
  let built: EndpointNode | undefined;
  const build = (): EndpointNode => {
    if (built) return built;
    const gaps = view.gaps(i);
    built = Object.assign(view.endpoint(i), { [ORIGIN]: { view, i, gaps } });
    for (const field of gaps.endpointFields) (built as unknown as Record<string, unknown>)[field] = null;
    return built;
  };
  return new Proxy({} as EndpointNode, {
    get(_target, prop) {
      if (built === undefined && prop === 'id') return view.endpointId(i);
      if (built === undefined && prop === 'eidLastSeen') return rfc3339(view.eidLastSeen(i));
      return Reflect.get(build(), prop);
    },
    has: (_target, prop) => Reflect.has(build(), prop),
    ownKeys: () => Reflect.ownKeys(build()),
    getOwnPropertyDescriptor: (_target, prop) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(build(), prop);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** The findings as answered: null when their list is a gap, experimental fields null when those are. */
function answered<T extends object>(
  findings: T[],
  listGap: boolean,
  o: Origin,
  fields: readonly string[],
): T[] | null {
  if (listGap || o.gaps.compliance) return null;
  if (!o.gaps.findingFields) return findings;
  return findings.map((f) => ({ ...f, ...Object.fromEntries(fields.map((name) => [name, null])) }));
}

type Resolver<S, A> = (source: S, args: A, context: GatewayContext) => unknown;

/** Resolvers of the Endpoint fields that take arguments or compute on demand. */
export function attachEndpointResolvers(schema: GraphQLSchema): void {
  const on = <S, A>(type: string, field: string, resolve: Resolver<S, A>) => {
    const target = (schema.getType(type) as GraphQLObjectType).getFields()[field];
    if (!target) throw new Error(`schema has no field ${type}.${field}`);
    target.resolve = resolve as Resolver<unknown, unknown>;
  };
  attachDerived(on);
  on<EndpointNode, { filter?: FieldFilterInput | null }>('Endpoint', 'installedApplications', (node, args) =>
    filterList(node.installedApplications, args.filter, 'EndpointInstalledApplication', APP_FIELDS),
  );
  on<EndpointNode, { filter?: FieldFilterInput | null }>(
    'Endpoint',
    'deployedSoftwarePackages',
    (node, args) =>
      filterList(deployedSoftwarePackages(node), args.filter, 'EndpointDeploySoftwarePackage', DEPLOY_FIELDS),
  );
  on<EndpointNode, unknown>('Endpoint', 'compliance', (node) =>
    node[ORIGIN].gaps.compliance ? null : node[ORIGIN],
  );
  on<Origin, { filter?: FieldFilterInput | null }>('EndpointCompliance', 'cveFindings', (o, args) =>
    answered(
      filterList(o.view.cveFindings(o.i), args.filter, 'EndpointComplianceCveFinding', CVE_FIELDS),
      o.gaps.cveFindings,
      o,
      NULLABLE_CVE_FINDING_FIELDS,
    ),
  );
  on<Origin, { filter?: FieldFilterInput | null }>('EndpointCompliance', 'complianceFindings', (o, args) =>
    answered(
      filterList(
        o.view.complianceFindings(o.i),
        args.filter,
        'EndpointComplianceComplianceFinding',
        COMPLIANCE_FIELDS,
      ),
      o.gaps.complianceFindings,
      o,
      NULLABLE_COMPLIANCE_FINDING_FIELDS,
    ),
  );
  // `lastScanDate` is Tanium's deprecated name for `lastFound`.
  on<{ lastFound: string }, unknown>('EndpointComplianceCveFinding', 'lastScanDate', (f) => f.lastFound);
  on<EndpointNode, { sensors: SensorRef[] }>('Endpoint', 'sensorReadings', (node, args, context) => {
    const { view, i } = node[ORIGIN];
    const catalogue = context.state.objects.sensors;
    return { columns: args.sensors.flatMap((ref) => readingColumns(view, i, ref, catalogue)) };
  });
  on<EndpointNode, { sensor: SensorRef }>('Endpoint', 'sensorReading', (node, args, context) => {
    const { view, i } = node[ORIGIN];
    const reading = readingColumns(view, i, { ...args.sensor, columns: null }, context.state.objects.sensors);
    const wanted = args.sensor.columns ?? [];
    if (wanted.length === 0 && reading.length > 1)
      throw new GraphQLError(`Sensor "${args.sensor.name}" has several columns: name exactly one.`);
    const column = wanted.length ? reading.find((c) => c.name === wanted[0]) : reading[0];
    if (!column) {
      throw new GraphQLError(`Sensor "${args.sensor.name}" has no column "${wanted[0]}".`);
    }
    return {
      values: column.values,
      floatValues: column.values.map((v) =>
        v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null,
      ),
    };
  });
}

type On = <S, A>(type: string, field: string, resolve: Resolver<S, A>) => void;

/** Fields derived from the fleet's endpoint on demand (endpointExtras.ts). */
function attachDerived(on: On): void {
  on<EndpointNode, unknown>('Endpoint', 'discover', discover);
  on<EndpointNode, unknown>('Endpoint', 'diskSpace', diskSpace);
  on<EndpointNode, unknown>('Endpoint', 'eventCounts', eventCounts);
  on<EndpointNode, unknown>('Endpoint', 'sentinel', sentinel);
  on<EndpointNode, unknown>('Endpoint', 'software', software);
  on<EndpointNode, unknown>('Endpoint', 'configurationItem', () => null);
  on<EndpointNode, unknown>('Endpoint', 'memory', (node) => ({
    ...node.memory,
    ...memoryUse(node.memory, node.id),
  }));
  for (const [field, value] of Object.entries(ENTITY_PROVIDER))
    on<EndpointNode, unknown>('Endpoint', field, () => value);
  on<EndpointNode, unknown>('Endpoint', 'networking', (node) => ({
    ...node.networking,
    wirelessAdapters: node.networking.wirelessAdapters.map((w) => ({
      ...w,
      ...WIRELESS_DEPRECATED,
      macAddress: node.macAddresses?.[0] ?? '',
    })),
  }));
}

/** The columns of one sensor as answered (realism gaps included), filtered and cut to the asked columns. */
function readingColumns(view: FleetView, i: number, ref: SensorRef, catalogue: SensorCatalogue) {
  const params = ref.params?.length ? ref.params : null;
  const entry = catalogue.byName(ref.name);
  if (!entry) throw new GraphQLError(new UnknownSensorError(ref.name).message);
  // A sensor created over REST runs no script in the emulator: it reads `[no results]`.
  const reading = entry.created
    ? {
        columns: (entry.columns.length ? entry.columns : [entry.name]).map((name) => ({
          name,
          values: [NO_RESULTS],
        })),
      }
    : view.sensorAnswer(i, entry.name, ref.params ?? []);
  const rows = ref.filter ? sensorValueRows(reading.columns, ref.filter, ref.name) : null;
  const wanted = ref.columns?.length
    ? reading.columns.filter((c) => ref.columns!.includes(c.name))
    : reading.columns;
  return wanted.map((c) => ({
    name: c.name,
    values: rows ? rows.map((r) => c.values[r] ?? '') : c.values,
    sensor: { name: ref.name, params },
  }));
}

/** Whether a node has a matching item in one of its lists (for filters that restrict their owner). */
export function hasListMatch(
  view: FleetView,
  i: number,
  field: 'installedApplications' | 'cveFindings' | 'complianceFindings',
  filter: FieldFilterInput,
): boolean {
  if (field === 'installedApplications') {
    return (
      filterList(view.endpoint(i).installedApplications, filter, 'EndpointInstalledApplication', APP_FIELDS)
        .length > 0
    );
  }
  if (field === 'cveFindings') {
    return filterList(view.cveFindings(i), filter, 'EndpointComplianceCveFinding', CVE_FIELDS).length > 0;
  }
  return (
    filterList(view.complianceFindings(i), filter, 'EndpointComplianceComplianceFinding', COMPLIANCE_FIELDS)
      .length > 0
  );
}
