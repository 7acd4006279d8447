/** SDL of the `endpoints` query, its filter, sort and source inputs, and the collection types (Tanium's names). */
export const connectionTypeDefs = /* GraphQL */ `
  input EndpointFieldFilterSensorParam { name: String! value: String! }
  input EndpointFieldFilterSensor { column: String name: String params: [EndpointFieldFilterSensorParam!] }
  input EndpointFieldFilterComputerGroup { id: ID name: String }
  input EndpointFieldFilter {
    any: Boolean! = false
    filters: [EndpointFieldFilter!]
    maxAge: Int
    memberOf: EndpointFieldFilterComputerGroup
    negated: Boolean! = false
    op: FieldFilterOp! = EQ
    path: String
    sensor: EndpointFieldFilterSensor
    value: String
  }
  input EndpointFieldSortSensor { column: String name: String! params: [EndpointFieldFilterSensorParam!] }
  input EndpointFieldSort { order: SortOrder! = asc path: String sensor: EndpointFieldSortSensor }
  "The scope of entities queried, as between 'from all machines' and 'from all entities' in Interact."
  enum EndpointScope { ALL_TS_SOURCED_ENTITIES TANIUM_CLIENTS }
  input EndpointSourceTDS {
    allNamespaces: Boolean! = false
    excludeErrors: Boolean! = false
    excludeNoResults: Boolean! = false
    namespaces: [String!]
    scope: EndpointScope
  }
  input EndpointSourceTS {
    excludeErrors: Boolean! = false
    excludeNoResults: Boolean! = false
    expectedCount: Int
    maxAge: Int
    maxWaitTime: Int! = 30
    minPercentage: Float
    scope: EndpointScope! = TANIUM_CLIENTS
    stableWaitTime: Int
  }
  input EndpointSource { tds: EndpointSourceTDS ts: EndpointSourceTS }

  type EndpointEdge implements Edge { cursor: Cursor! node: Endpoint! }
  type EndpointQuestion { consoleURL: String id: ID! }
  type EndpointCollectionInfo {
    active: Boolean!
    contributedTotal: Int!
    expectedTotal: Int
    question: EndpointQuestion
    respondedPercentage: Float
    respondedTotal: Int
    startCursor: Cursor
    success: Boolean!
  }
  type EndpointConnection implements Connection {
    collectionInfo: EndpointCollectionInfo!
    edges: [EndpointEdge!]!
    pageInfo: PageInfo!
    totalRecords: Int!
  }
  type EndpointIdChange { newId: ID! oldId: ID! }
  type EndpointIdChangesPayload { before: Time! changes: [EndpointIdChange!]! }

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
    endpointIdChanges(after: Time!, namespace: String): EndpointIdChangesPayload!
  }
`;
