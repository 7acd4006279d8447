import { GraphQLError } from 'graphql';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import type { ComputerGroup } from '../fleet/index.js';
import { HttpError } from '../httpError.js';
import type { GroupFilter } from '../objects/groupCatalogue.js';
import { compileEndpointFilter, type EndpointFieldFilterInput } from './endpoints/endpointFilter.js';
import { type GatewayModule, systemError } from './gatewayModule.js';
import { listConnection, type PageArgs } from './listConnection.js';

/** Computer groups: `computerGroups`, `computerGroup`, `computerGroupCreate`, `computerGroupDelete` (Tanium's SDL). */
export const groupsModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    enum ComputerGroupType { MANUAL STANDARD }
    type ComputerGroup {
      contentSet: NamedRef
      contentSetV2: TaniumPlatformContentSet
      expression: String!
      filterEnabled: Boolean!
      id: ID!
      managementRightsEnabled: Boolean!
      modifiedTime: Time
      name: String!
      type: ComputerGroupType!
    }
    type ComputerGroupEdge implements Edge { cursor: Cursor! node: ComputerGroup! }
    type ComputerGroupConnection implements Connection {
      edges: [ComputerGroupEdge!]!
      pageInfo: PageInfo!
      totalRecords: Int!
    }
    input ComputerGroupsFilter {
      filterEnabled: Boolean
      managementRightsEnabled: Boolean
      name: String
      nameOp: FieldFilterOp = EQ
      type: ComputerGroupType
    }
    "The conditions for membership in a standard computer group."
    input ComputerGroupFilter {
      any: Boolean! = false
      filters: [ComputerGroupFilter!]
      memberOf: EndpointFieldFilterComputerGroup
      negated: Boolean! = false
      op: FieldFilterOp! = EQ
      sensor: EndpointFieldFilterSensor
      value: String
    }
    input ComputerGroupCreateInput {
      contentSetRef: NamedRefInput
      filter: ComputerGroupFilter!
      managementRightsEnabled: Boolean!
      name: String!
    }
    type ComputerGroupCreatePayload { error: SystemError group: ComputerGroup }
    type ComputerGroupDeletePayload { error: SystemError id: ID }
    extend type Query {
      computerGroup(ref: NamedRefInput!): ComputerGroup
      computerGroups(
        after: Cursor
        before: Cursor
        filter: ComputerGroupsFilter
        first: Int = 20
        last: Int
      ): ComputerGroupConnection
      "The management rights groups of the caller's persona; empty when its rights are unrestricted."
      managementRightsGroups: [ComputerGroup!]!
    }
    extend type Mutation {
      computerGroupCreate(input: ComputerGroupCreateInput!): ComputerGroupCreatePayload!
      computerGroupDelete(ref: NamedRefInput!): ComputerGroupDeletePayload!
    }
  `,
  query: {
    computerGroups: (rawArgs, { state }) => {
      const args = rawArgs as PageArgs & { filter?: GroupsFilter | null };
      const groups = state.objects.groups.list().filter(matches(args.filter));
      return listConnection(groups.map(groupNode), args, { max: 5_000, defaultFirst: 20 });
    },
    computerGroup: (rawArgs, { state }) => {
      const group = state.objects.groups.find(rawArgs['ref'] as { id?: string; name?: string });
      return group ? groupNode(group) : null;
    },
    managementRightsGroups: () => [],
  },
  mutation: {
    computerGroupCreate: (rawArgs, { state }) => {
      const input = rawArgs['input'] as {
        name: string;
        managementRightsEnabled: boolean;
        filter: GroupFilter;
        contentSetRef?: { id?: string | null; name?: string | null } | null;
      };
      try {
        if (input.name.trim() === '') throw new Error('the computer group name must not be empty');
        checkFilter(input.filter, state);
        const contentSet = input.contentSetRef
          ? { id: input.contentSetRef.id ?? '2', name: input.contentSetRef.name ?? 'Base' }
          : null;
        const group = state.objects.groups.create(
          { ...input, expression: expressionOf(input.filter) },
          contentSet,
          state.now(),
        );
        return { group: groupNode(group), error: null };
      } catch (error) {
        return { group: null, error: failure(error) };
      }
    },
    computerGroupDelete: (rawArgs, { state }) => {
      const ref = rawArgs['ref'] as { id?: string | null; name?: string | null };
      const id = state.objects.groups.delete(ref);
      if (id === undefined)
        return {
          id: null,
          error: { message: `no computer group ${refText(ref)}`, retryable: false, timedOut: false },
        };
      return { id, error: null };
    },
  },
};

interface GroupsFilter {
  filterEnabled?: boolean | null;
  managementRightsEnabled?: boolean | null;
  name?: string | null;
  nameOp?: string | null;
  type?: string | null;
}

function matches(filter: GroupsFilter | null | undefined) {
  const name = nameTest(filter?.name, filter?.nameOp ?? 'EQ');
  return (g: ComputerGroup) =>
    (filter?.filterEnabled == null || g.filterEnabled === filter.filterEnabled) &&
    (filter?.managementRightsEnabled == null ||
      g.managementRightsEnabled === filter.managementRightsEnabled) &&
    (filter?.type == null || g.type === filter.type) &&
    name(g.name);
}

/** `nameOp`: EQ, CONTAINS, STARTS_WITH, ENDS_WITH, MATCHES, as Tanium's schema lists (case-insensitive). */
function nameTest(value: string | null | undefined, op: string): (name: string) => boolean {
  if (value === null || value === undefined) return () => true;
  const wanted = value.toLowerCase();
  switch (op) {
    case 'EQ':
      return (n) => n.toLowerCase() === wanted;
    case 'CONTAINS':
      return (n) => n.toLowerCase().includes(wanted);
    case 'STARTS_WITH':
      return (n) => n.toLowerCase().startsWith(wanted);
    case 'ENDS_WITH':
      return (n) => n.toLowerCase().endsWith(wanted);
    case 'MATCHES': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${value})$`, 'i');
      } catch {
        throw new GraphQLError(`Invalid filter: "${value}" is not a regular expression.`);
      }
      return (n) => pattern.test(n);
    }
    default:
      throw new GraphQLError(`Invalid filter: nameOp ${op} does not apply to computer group names.`);
  }
}

export function groupNode(
  g: ComputerGroup & { modifiedMs: number; contentSet?: { id: string; name: string } | null },
) {
  const contentSet =
    g.contentSet !== undefined ? g.contentSet : g.filterEnabled ? { id: '2', name: 'Base' } : null;
  return {
    id: g.id,
    name: g.name,
    type: g.type,
    expression: g.expression,
    filterEnabled: g.filterEnabled,
    managementRightsEnabled: g.managementRightsEnabled,
    modifiedTime: taniumTime(g.modifiedMs),
    contentSet,
    contentSetV2: contentSet ? { ...contentSet, description: null } : null,
  };
}

/** A readable expression for a created group (Tanium shows one like `Operating System contains Windows`). */
export function expressionOf(filter: GroupFilter): string {
  const children = filter.filters ?? [];
  let text: string;
  if (children.length) text = `(${children.map(expressionOf).join(filter.any ? ' or ' : ' and ')})`;
  else if (filter.memberOf) text = `member of ${filter.memberOf.name ?? filter.memberOf.id ?? ''}`;
  else
    text =
      `${filter.sensor?.name ?? ''} ${filter.op.toLowerCase().replace(/_/g, ' ')} ${filter.value ?? ''}`.trim();
  return filter.negated ? `not ${text}` : text;
}

const refText = (ref: { id?: string | null; name?: string | null }) =>
  ref.id ? `with id ${ref.id}` : `named "${ref.name ?? ''}"`;

function failure(error: unknown) {
  if (error instanceof HttpError) return systemError(error);
  return {
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
    timedOut: false,
  };
}

/** Refuses a filter the Gateway could not evaluate (an unknown sensor, a bad operator) before creating anything. */
function checkFilter(filter: GroupFilter, state: EmulatorState): void {
  const view = state.fleet.view(state.now());
  const predicate = compileEndpointFilter(filter as EndpointFieldFilterInput, view, state.objects.groups);
  const first = view.live()[0];
  if (first !== undefined) predicate(first);
}
