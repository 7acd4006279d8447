import { GraphQLError } from 'graphql';
import type { FleetView, SensorParam } from '../../fleet/index.js';
import { type FieldFilterInput, filterList } from './listFilter.js';

const APP_FIELDS = ['name', 'version', 'silentUninstallString', 'uninstallable'];
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
}

/**
 * The object behind one `Endpoint` node. Fields with arguments are functions, which graphql-js
 * calls with those arguments, so findings and sensor readings are computed only when selected.
 */
export function endpointNode(view: FleetView, i: number): Record<string, unknown> {
  const endpoint = view.endpoint(i);
  return {
    ...endpoint,
    installedApplications: (args: { filter?: FieldFilterInput | null }) =>
      filterList(endpoint.installedApplications, args.filter, 'EndpointInstalledApplication', APP_FIELDS),
    compliance: {
      cveFindings: (args: { filter?: FieldFilterInput | null }) =>
        filterList(
          view.cveFindings(i).map((f) => ({ ...f, lastScanDate: f.lastFound })),
          args.filter,
          'EndpointComplianceCveFinding',
          CVE_FIELDS,
        ),
      complianceFindings: (args: { filter?: FieldFilterInput | null }) =>
        filterList(
          view.complianceFindings(i),
          args.filter,
          'EndpointComplianceComplianceFinding',
          COMPLIANCE_FIELDS,
        ),
    },
    sensorReadings: (args: { sensors: SensorRef[] }) => ({
      columns: args.sensors.flatMap((ref) => {
        const reading = view.sensorReading(i, ref.name, ref.params ?? []);
        const wanted = ref.columns?.length
          ? reading.columns.filter((c) => ref.columns!.includes(c.name))
          : reading.columns;
        return wanted.map((c) => ({ ...c, sensor: { name: ref.name, params: ref.params ?? [] } }));
      }),
    }),
    sensorReading: (args: { sensor: SensorRef }) => {
      const reading = view.sensorReading(i, args.sensor.name, args.sensor.params ?? []);
      const column = args.sensor.columns?.length
        ? reading.columns.find((c) => c.name === args.sensor.columns![0])
        : reading.columns[0];
      if (!column)
        throw new GraphQLError(`Sensor "${args.sensor.name}" has no column "${args.sensor.columns?.[0]}".`);
      return {
        values: column.values,
        floatValues: column.values.map((v) =>
          v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null,
        ),
      };
    },
  };
}
