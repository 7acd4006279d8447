/** SDL of actions, action groups, packages as actions use them, and scheduled actions (Tanium's names). */
export const actionTypeDefs = /* GraphQL */ `
  enum ActionStatus {
    ACTIVE @deprecated(reason: "No longer supported: use OPEN.")
    CLOSED
    EXPIRED @deprecated(reason: "No longer supported: use CLOSED.")
    OPEN
    PENDING
    STOPPED
  }
  type PackageParam { name: String! value: String! }
  type PackageRef { id: ID name: String params: [String!] sensorSourcedParams: [PackageParam!] }
  input PackageParamInput { name: String! value: String! }
  input PackageRefInput { id: ID name: String params: [String!] sensorSourcedParams: [PackageParamInput!] }
  type ActionResults {
    completed: Int!
    downloading: Int!
    expired: Int!
    failed: Int!
    failedVerification: Int!
    id: ID!
    pendingVerification: Int!
    running: Int!
    verified: Int!
    waiting: Int!
    waitingToRetry: Int!
  }
  type ActionTargets { actionGroup: NamedRef! targetGroup: NamedRef! }
  type Action {
    approver: Principal
    comment: String!
    creationTime: Time
    creator: Principal!
    distributeSeconds: Int
    expirationTime: Time
    expireSeconds: Int
    id: ID!
    metadata: [Metadata!]!
    name: String!
    package: PackageRef!
    results: ActionResults!
    scheduledAction: ScheduledAction
    startTime: Time
    status: ActionStatus
    stopped: Boolean!
    stoppedFlag: Boolean
    targets: ActionTargets!
  }
  type ActionEdge implements Edge { cursor: Cursor! node: Action! }
  type ActionConnection implements Connection { edges: [ActionEdge!]! pageInfo: PageInfo! totalRecords: Int! }
  input ActionActionGroupInput { id: ID name: String }
  input ActionTargetGroupInput { filter: ComputerGroupFilter id: ID name: String }
  input ActionTargetsInput {
    actionGroup: ActionActionGroupInput
    endpoints: [ID!]
    platforms: [EndpointPlatform!]
    targetGroup: ActionTargetGroupInput
  }
  input ActionScheduleInput { distributeSeconds: Int = 0 expireSeconds: Int startTime: Time }
  input ActionCreateInput {
    comment: String
    metadata: [MetadataInput!]
    name: String
    package: PackageRefInput!
    schedule: ActionScheduleInput
    targets: ActionTargetsInput!
  }
  type ActionCreatePayload { action: Action error: SystemError }
  type ActionStopPayload { error: SystemError id: ID }

  enum ActionGroupVisibility { ADMIN ALL USER_GROUPS }
  type ActionGroup {
    any: Boolean!
    computerGroups: [ComputerGroup!]!
    id: ID!
    name: String!
    userGroups: [NamedRef!]
    visibility: ActionGroupVisibility!
  }
  type ActionGroupEdge implements Edge { cursor: Cursor! node: ActionGroup! }
  type ActionGroupConnection implements Connection { edges: [ActionGroupEdge!]! pageInfo: PageInfo! totalRecords: Int! }
  input ActionGroupCreateInput {
    any: Boolean! = false
    computerGroups: [NamedRefInput!]!
    name: String!
    userGroups: [NamedRefInput!]
    visibility: ActionGroupVisibility!
  }
  type ActionGroupCreatePayload { error: SystemError group: ActionGroup }
  type ActionGroupDeletePayload { error: SystemError id: ID }

  enum ScheduledActionStatus { DELETED DISABLED ENABLED }
  type ScheduledAction {
    approved: Boolean!
    approver: Principal
    comment: String!
    creator: Principal!
    distributeSeconds: Int
    endTime: Time
    expireSeconds: Int
    id: ID!
    issueCount: Int!
    issueSeconds: Int
    lastAction: Action
    lastStartTime: Time
    metadata: [Metadata!]!
    name: String!
    nextStartTime: Time
    package: PackageRef!
    startTime: Time
    status: ScheduledActionStatus
    targets: ActionTargets!
  }
  type ScheduledActionEdge implements Edge { cursor: Cursor! node: ScheduledAction! }
  type ScheduledActionConnection implements Connection {
    edges: [ScheduledActionEdge!]!
    pageInfo: PageInfo!
    totalRecords: Int!
  }
  input ScheduledActionScheduleInput {
    distributeSeconds: Int = 0
    endTime: Time
    expireSeconds: Int
    reissueSeconds: Int!
    startTime: Time
  }
  input ScheduledActionCreateInput {
    comment: String
    metadata: [MetadataInput!]
    name: String
    package: PackageRefInput!
    schedule: ScheduledActionScheduleInput!
    targets: ActionTargetsInput!
  }
  type ScheduledActionCreatePayload { error: SystemError scheduledAction: ScheduledAction }
  type ScheduledActionDeletePayload { error: SystemError id: ID }
  type ScheduledActionApprovePayload { approved: Boolean error: SystemError id: ID }

  extend type Query {
    action(ref: IdRefInput!): Action
    actionGroup(ref: NamedRefInput!): ActionGroup
    actionGroups(after: Cursor, before: Cursor, first: Int = 20, last: Int): ActionGroupConnection
    actions(after: Cursor, before: Cursor, filter: FieldFilter, first: Int = 20, last: Int): ActionConnection
    scheduledAction(ref: IdRefInput!): ScheduledAction
    scheduledActions(after: Cursor, before: Cursor, filter: FieldFilter, first: Int = 20, last: Int): ScheduledActionConnection
  }
  extend type Mutation {
    actionCreate(input: ActionCreateInput!): ActionCreatePayload!
    actionGroupCreate(input: ActionGroupCreateInput!): ActionGroupCreatePayload!
    actionGroupDelete(ref: NamedRefInput!): ActionGroupDeletePayload!
    actionStop(ref: IdRefInput!): ActionStopPayload!
    scheduledActionApprove(ref: IdRefInput!): ScheduledActionApprovePayload!
    scheduledActionCreate(input: ScheduledActionCreateInput!): ScheduledActionCreatePayload!
    scheduledActionDelete(ref: IdRefInput!): ScheduledActionDeletePayload!
  }
`;
