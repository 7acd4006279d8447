import {
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  getArgumentValues,
  Kind,
  type SelectionSetNode,
} from 'graphql';

export interface NestedArgs {
  /** sensor names read by `sensorReadings`/`sensorReading` anywhere under the field */
  sensors: string[];
  /** list-field filters under the field, by list field name */
  listFilters: { field: 'installedApplications' | 'cveFindings' | 'complianceFindings'; filter: unknown }[];
}

const LIST_FIELDS = new Set(['installedApplications', 'cveFindings', 'complianceFindings']);

/**
 * Reads the arguments of nested Endpoint fields before any node resolves, so an unknown sensor fails
 * once (naming it) instead of once per endpoint, and list filters can restrict the owning endpoints.
 */
export function nestedArgs(info: GraphQLResolveInfo): NestedArgs {
  const result: NestedArgs = { sensors: [], listFilters: [] };
  const endpointType = info.schema.getType('Endpoint') as GraphQLObjectType;
  const complianceType = info.schema.getType('EndpointCompliance') as GraphQLObjectType;
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (!seen.has(name)) {
          seen.add(name);
          visit(info.fragments[name]?.selectionSet, seen);
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
        continue;
      }
      read(selection);
      visit(selection.selectionSet, seen);
    }
  };
  const read = (field: FieldNode) => {
    const name = field.name.value;
    if (name === 'sensorReadings' || name === 'sensorReading') {
      const args = getArgumentValues(endpointType.getFields()[name]!, field, info.variableValues);
      const refs = (name === 'sensorReadings' ? args['sensors'] : [args['sensor']]) as { name: string }[];
      for (const ref of refs ?? []) result.sensors.push(ref.name);
    } else if (LIST_FIELDS.has(name)) {
      const owner = name === 'installedApplications' ? endpointType : complianceType;
      const def = owner.getFields()[name];
      if (!def) return;
      const args = getArgumentValues(def, field, info.variableValues);
      const filter = args['filter'] as { restrictOwner?: boolean } | undefined;
      if (filter && filter.restrictOwner !== false) {
        result.listFilters.push({ field: name as NestedArgs['listFilters'][number]['field'], filter });
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, new Set());
  return result;
}
