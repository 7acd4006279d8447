/** SDL of the `endpoints` query, its filter, sort and source inputs, and the collection types (Tanium's names). */
export const connectionTypeDefs = /* GraphQL */ `
  enum FieldFilterOp { EQ CONTAINS STARTS_WITH ENDS_WITH MATCHES GT GTE LT LTE READ_AFTER UPDATED_AFTER }
  enum SortOrder { asc desc }

  input EndpointSensorFilterRef { name: String! column: String params: [SensorParamInput!] }
  input NamedRefInput { id: ID name: String }
  input EndpointFieldFilter {
    path: String
    sensor: EndpointSensorFilterRef
    memberOf: NamedRefInput
    op: FieldFilterOp! = EQ
    value: String
    negated: Boolean! = false
    any: Boolean! = false
    filters: [EndpointFieldFilter!]
    maxAge: Int
  }
  "A filter on the items of a list field."
  input FieldFilter {
    path: String
    op: FieldFilterOp! = EQ
    value: String
    negated: Boolean! = false
    any: Boolean! = false
    filters: [FieldFilter!]
    restrictOwner: Boolean! = true
  }
  input EndpointFieldSort { path: String sensor: EndpointSensorFilterRef order: SortOrder! = asc }
  enum EndpointScope { ALL }
  input EndpointSourceTDS {
    allNamespaces: Boolean! = false
    namespaces: [String!]
    excludeErrors: Boolean! = false
    excludeNoResults: Boolean! = false
  }
  input EndpointSourceTS {
    maxWaitTime: Int! = 30
    stableWaitTime: Int
    minPercentage: Float
    expectedCount: Int
    maxAge: Int
    excludeErrors: Boolean! = false
    excludeNoResults: Boolean! = false
  }
  input EndpointSource { tds: EndpointSourceTDS ts: EndpointSourceTS }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: Cursor endCursor: Cursor }
  type EndpointEdge { cursor: Cursor! node: Endpoint! }
  type EndpointCollectionInfo {
    active: Boolean!
    success: Boolean!
    expectedTotal: Int
    respondedTotal: Int
    contributedTotal: Int!
    respondedPercentage: Float
    startCursor: Cursor
  }
  type EndpointConnection {
    edges: [EndpointEdge!]!
    pageInfo: PageInfo!
    totalRecords: Int!
    collectionInfo: EndpointCollectionInfo!
  }

  enum ComputerGroupType { STANDARD MANUAL }
  type ComputerGroup {
    id: ID!
    name: String!
    type: ComputerGroupType!
    expression: String!
    filterEnabled: Boolean!
    managementRightsEnabled: Boolean!
  }
  type ComputerGroupEdge { cursor: Cursor! node: ComputerGroup! }
  type ComputerGroupConnection { edges: [ComputerGroupEdge!]! pageInfo: PageInfo! totalRecords: Int! }
  input ComputerGroupsFilter { name: String nameOp: FieldFilterOp type: ComputerGroupType }

  type SensorColumn { name: String! valueType: String! hidden: Boolean! ignoreCase: Boolean! }
  type Sensor {
    name: String!
    description: String!
    category: String!
    valueType: String!
    virtual: Boolean!
    hidden: Boolean!
    ignoreCase: Boolean!
    maxAgeSeconds: Int!
    columns: [SensorColumn!]!
    parameters: [String!]!
  }
  type SensorEdge { cursor: Cursor! node: Sensor! }
  type SensorConnection { edges: [SensorEdge!]! pageInfo: PageInfo! totalRecords: Int! }

  extend type Query {
    endpoints(
      after: Cursor
      before: Cursor
      filter: EndpointFieldFilter
      first: Int = 20
      last: Int
      refresh: Cursor
      sort: [EndpointFieldSort!]
      source: EndpointSource
    ): EndpointConnection
    computerGroups(after: Cursor, filter: ComputerGroupsFilter, first: Int = 20): ComputerGroupConnection
    computerGroup(ref: NamedRefInput!): ComputerGroup
    sensors(after: Cursor, filter: FieldFilter, first: Int = 2000, includeHidden: Boolean = false): SensorConnection
  }
`;
