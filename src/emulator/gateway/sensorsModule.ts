import { taniumTime } from '../clock.js';
import type { SensorEntry } from '../objects/sensorCatalogue.js';
import { type FieldFilterInput, filterList } from './endpoints/listFilter.js';
import type { GatewayModule } from './gatewayModule.js';
import { listConnection, type PageArgs } from './listConnection.js';

const FILTER_FIELDS = [
  'name',
  'category',
  'description',
  'valueType',
  'virtual',
  'hidden',
  'harvested',
  'contentSetName',
];

/** The sensor catalogue: `sensors` (both paging directions) and `sensorHarvest` (Tanium's SDL). */
export const sensorsModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    type SensorColumn { hidden: Boolean! ignoreCase: Boolean! name: String! valueType: String! }
    type SensorParameter { defaultValue: String name: String! }
    type SensorParameterValue { name: String! value: String! }
    type SensorParameterization { endpointQueryPaths: [[String!]!]! harvested: Boolean! values: [SensorParameterValue!]! }
    enum SensorScriptType { BESRelevance JScript Powershell Python UnixShell Unknown VBScript WMIQuery }
    type SensorScript { platform: EndpointPlatform! source: String! type: SensorScriptType! }
    "A named source of endpoint data: a script on endpoints, or a virtual sensor kept by TDS."
    type Sensor {
      category: String!
      columns: [SensorColumn!]
      contentSet: TaniumPlatformContentSet
      contentSetName: String!
      created: Time
      description: String!
      endpointQueryPaths: [[String!]!]!
      harvested: Boolean!
      hidden: Boolean!
      ignoreCase: Boolean!
      keepDuplicatesFlag: Boolean
      lastUpdatedBy: String!
      maxAgeSeconds: Int
      name: String!
      parameterizations: [SensorParameterization!]
      parameters: [SensorParameter!]
      scripts: [SensorScript!]
      updated: Time
      valueType: String!
      virtual: Boolean!
    }
    type SensorEdge implements Edge { cursor: Cursor! node: Sensor! }
    type SensorConnection implements Connection { edges: [SensorEdge!]! pageInfo: PageInfo! totalRecords: Int! }
    input SensorHarvestInput {
      cursor: Cursor
      harvest: Boolean!
      integrationName: String!
      name: String!
      parameters: [EndpointSensorRefParam!]
    }
    type SensorHarvestPayload { cursor: Cursor error: SystemError success: Boolean }
    extend type Query {
      sensors(
        after: Cursor
        before: Cursor
        filter: FieldFilter
        first: Int = 2000
        includeHidden: Boolean! = false
        last: Int
      ): SensorConnection
    }
    extend type Mutation {
      sensorHarvest(input: SensorHarvestInput!): SensorHarvestPayload!
    }
  `,
  query: {
    sensors: (rawArgs, { state }) => {
      const args = rawArgs as unknown as PageArgs & {
        filter?: FieldFilterInput | null;
        includeHidden: boolean;
      };
      const nodes = state.objects.sensors
        .list()
        .filter((s) => args.includeHidden || !s.hidden)
        .map(sensorNode);
      const filtered = filterList(nodes, args.filter, 'Sensor', FILTER_FIELDS);
      return listConnection(filtered, args, { max: 5_000, defaultFirst: 2000 });
    },
  },
  mutation: {
    sensorHarvest: (rawArgs, { state }) => {
      const input = rawArgs['input'] as { harvest: boolean; integrationName: string; name: string };
      const entry = state.objects.sensors.byName(input.name);
      const refuse = (message: string) => ({
        cursor: null,
        success: false,
        error: { message, retryable: false, timedOut: false },
      });
      if (!entry)
        return refuse(`Sensor "${input.name}" does not exist: a sensor must refer to an existing sensor.`);
      if (!/^[a-z0-9]+(-[a-z0-9]+)+$/.test(input.integrationName))
        return refuse(
          'integrationName must be lowercase words joined by hyphens, company first (acme-inventory).',
        );
      if (input.integrationName.startsWith('tanium-'))
        return refuse(
          'integrationName may not start with "tanium-": the prefix is reserved for Tanium integrations.',
        );
      if (entry.virtual) return refuse(`Sensor "${entry.name}" is virtual: TDS keeps it already.`);
      state.objects.sensors.harvest(entry, input.harvest);
      return { cursor: null, success: true, error: null };
    },
  },
};

function sensorNode(s: SensorEntry) {
  const multi = s.columns.length > 1;
  return {
    name: s.name,
    category: s.category,
    description: s.description,
    valueType: s.valueType,
    virtual: s.virtual,
    hidden: s.hidden,
    harvested: s.harvested,
    ignoreCase: s.ignoreCase,
    keepDuplicatesFlag: s.virtual ? null : s.keepDuplicates,
    maxAgeSeconds: s.virtual ? null : s.maxAgeSeconds,
    lastUpdatedBy: s.modifiedBy,
    created: taniumTime(s.createdMs),
    updated: taniumTime(s.modifiedMs),
    // Tanium answers `columns` only for multi-column sensors, `parameters` only for parameterised ones.
    columns: multi
      ? s.columns.map((name) => ({ name, valueType: 'String', hidden: false, ignoreCase: true }))
      : null,
    parameters: s.parameters.length ? s.parameters.map((p) => ({ ...p })) : null,
    parameterizations: s.parameters.length ? [] : null,
    endpointQueryPaths: [],
    contentSetName: s.contentSet.name,
    contentSet: { id: String(s.contentSet.id), name: s.contentSet.name, description: null },
    scripts: s.virtual
      ? null
      : s.scripts.map((x) => ({ platform: x.platform, source: x.script, type: x.scriptType })),
  };
}
