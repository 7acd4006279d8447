import { taniumTime } from '../clock.js';
import type { GatewayModule } from './gatewayModule.js';

/**
 * The Gateway's root types, its two smoke tests (`query { now }`, `mutation { ping }`) and the types
 * every slice shares, with Tanium's names, fields and nullability (docs/emulator.md, "Fidelity").
 */
export const coreModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    "An instant in time in RFC 3339 format."
    scalar Time
    "A date in RFC 3339 long-date format."
    scalar Date
    "An opaque position in a collection."
    scalar Cursor
    "A map of JSON data."
    scalar Map
    "An untyped value."
    scalar Any
    "A cron expression (GNU crontab format)."
    scalar CronExpression

    type Query {
      "The current time of the server; intended as a connectivity test."
      now: Time!
    }
    type Mutation {
      "Returns true; intended as a connectivity test."
      ping: Boolean!
    }

    "A page of records."
    interface Connection { edges: [Edge]! pageInfo: PageInfo! }
    "A record within a page."
    interface Edge { cursor: Cursor! }
    type PageInfo { endCursor: Cursor hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: Cursor }

    "A problem met while processing a command; mutations answer it in their payload."
    type SystemError { message: String retryable: Boolean timedOut: Boolean }

    type NamedRef { id: ID name: String }
    input NamedRefInput { id: ID name: String }
    type IdRef { id: ID! }
    input IdRefInput { id: ID! }
    type Principal { persona: NamedRef user: NamedRef! }
    type Metadata { adminFlag: Boolean! name: String! value: String! }
    input MetadataInput { name: String! value: String! }
    type MonotonicDuration { nanoseconds: Int! seconds: Int! }
    input MonotonicDurationInput { nanoseconds: Int seconds: Int! }
    enum SortOrder { asc desc }
    enum DayOfWeek { FRIDAY MONDAY SATURDAY SUNDAY THURSDAY TUESDAY WEDNESDAY }

    type TaniumPlatformContentSet { description: String id: ID! name: String! }
    type TaniumPlatformUser { displayName: String id: ID! username: String }
    type TaniumPlatformUserPersona { id: ID! name: String }
    type TaniumPlatformUserContext { persona: TaniumPlatformUserPersona user: TaniumPlatformUser! }

    enum FieldFilterOp { CONTAINS ENDS_WITH EQ GT GTE LT LTE MATCHES READ_AFTER STARTS_WITH UPDATED_AFTER }
    "A filter on field values (on the items of a list field, or on a root collection)."
    input FieldFilter {
      any: Boolean! = false
      filters: [FieldFilter!]
      negated: Boolean! = false
      op: FieldFilterOp! = EQ
      path: String
      restrictOwner: Boolean! = true
      value: String
    }
  `,
  query: { now: (_args, { state }) => taniumTime(state.now()) },
  mutation: { ping: () => true },
};
